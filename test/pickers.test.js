'use strict';
// The record pickers (SKU and Order ID) as n8n's editor calls them: n8n-core's LoadOptionsContext,
// against the sandbox over HTTP; and what a picked value does in the node.
const { sandbox, run, jsons, credentials } = require('./helpers');
const { loadOptions } = require('./harness/engine');
const { DEFAULT_SKUS } = require('./sandbox/state');
const { newClientOrder } = require('./fixtures');

const requests = async () => (await sandbox.state()).log;
const skuCalls = async () => (await requests()).filter((entry) => entry.path === '/api/partners/skus');
const picker = (method, options = {}) => loadOptions(method, { credentials: credentials(), ...options });

/** A catalogue of `count` SKUs, ids from 20001, named "Service 0001"… */
const catalogue = (count) =>
	Array.from({ length: count }, (_, i) => ({ id: 20001 + i, name: `Service ${String(i + 1).padStart(4, '0')}`, category: 'Test', price: 50, zipPrefixes: ['9'] }));
const serviceIds = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => String(20000 + from + i));

beforeEach(() => sandbox.reset());

describe('before the node has a credential (a node just added)', () => {
	test.each(['getSkus', 'searchSkus', 'searchOrders'])('%s answers an empty list, not an error, and sends nothing', async (method) => {
		const answer = await picker(method, { withoutCredential: true, typeVersion: 2 });
		expect(answer).toEqual(method === 'getSkus' ? [] : { results: [] });
		expect(await requests()).toEqual([]);
	});

	test('with the credential attached, the same call lists the catalogue', async () => {
		expect(await picker('getSkus')).toHaveLength(DEFAULT_SKUS.length);
	});
});

describe('the SKU pickers', () => {
	const expectedOptions = DEFAULT_SKUS.map((sku) => ({ name: `${sku.name} (${sku.id})`, value: sku.id })).sort((a, b) =>
		a.name.localeCompare(b.name),
	);

	test("getSkus (version 1's Order → Create) lists the catalogue by name, each with its ID as the value", async () => {
		const options = await picker('getSkus');
		expect(options).toEqual(expectedOptions);
		const log = await requests();
		// Six SKUs, then the empty page that proves there are no more (a short page proves nothing).
		expect(log.map((entry) => [entry.method, entry.path, entry.apiKeyOk])).toEqual([
			['GET', '/api/partners/skus', true],
			['GET', '/api/partners/skus', true],
		]);
	});

	test('getSkus pages through a catalogue of 250', async () => {
		await sandbox.reset({ skus: catalogue(250) });
		const options = await picker('getSkus');
		expect(options).toHaveLength(250);
		expect(options[0]).toEqual({ name: 'Service 0001 (20001)', value: 20001 });
		expect(options[249]).toEqual({ name: 'Service 0250 (20250)', value: 20250 });
		expect(await requests()).toHaveLength(4);
	});

	test('searchSkus without a search text: the catalogue in HelloTech order, text IDs as values, one request; the next load finds the end', async () => {
		const answer = await picker('searchSkus');
		// A page shorter than asked for does not prove the end (a server may cap its pages): n8n
		// gets a token, and the load it asks for with it comes back empty, without one.
		expect(answer).toEqual({
			results: DEFAULT_SKUS.map((sku) => ({ name: `${sku.name} (${sku.id})`, value: String(sku.id) })),
			paginationToken: '10644',
		});
		expect((await skuCalls()).map((call) => call.query)).toEqual([{ limit: '100' }]);
		expect(await picker('searchSkus', { paginationToken: answer.paginationToken })).toEqual({ results: [] });
	});

	test.each([
		['smart', ['Smart Doorbell Installation (10640)', 'Smart Thermostat Installation (10642)', 'Home Security Camera Setup (10644)']],
		['  WI-FI ', ['Wi-Fi Network Setup (10641)']],
		['10643', ['Computer Tune-Up (10643)']],
		['networking', ['Wi-Fi Network Setup (10641)']],
		['plumbing', []],
	])('searchSkus for %p matches name, ID or category', async (filter, names) => {
		const { results } = await picker('searchSkus', { filter });
		expect(results.map((result) => result.name)).toEqual(names);
	});

	test('searchSkus pages a catalogue of 230 with the pagination token n8n sends back: each SKU once, 100 per load', async () => {
		await sandbox.reset({ skus: catalogue(230) });
		const first = await picker('searchSkus');
		expect(first.results.map((result) => result.value)).toEqual(serviceIds(1, 100));
		expect(first.paginationToken).toBe('20100');
		const second = await picker('searchSkus', { paginationToken: first.paginationToken });
		expect(second.results.map((result) => result.value)).toEqual(serviceIds(101, 200));
		const third = await picker('searchSkus', { paginationToken: second.paginationToken });
		expect(third.results.map((result) => result.value)).toEqual(serviceIds(201, 230));
		expect(third.paginationToken).toBe('20230');
		expect(await picker('searchSkus', { paginationToken: third.paginationToken })).toEqual({ results: [] });
		expect((await skuCalls()).map((call) => call.query.cursor)).toEqual([undefined, '20100', '20200', '20230']);
	});

	test('a search stops reading as soon as it has enough matches', async () => {
		await sandbox.reset({ skus: catalogue(1500) });
		const answer = await picker('searchSkus', { filter: 'service' });
		expect(answer.results).toHaveLength(100);
		expect(answer.paginationToken).toBe('20100');
		expect(await skuCalls()).toHaveLength(1);
	});

	test('a search never reads the whole catalogue at once: ten pages a load, then it goes on from its token', async () => {
		await sandbox.reset({ skus: catalogue(1500) });
		const first = await picker('searchSkus', { filter: 'Service 14' });
		expect(first).toEqual({ results: [], paginationToken: '21000' });
		expect(await skuCalls()).toHaveLength(10);
		const second = await picker('searchSkus', { filter: 'Service 14', paginationToken: first.paginationToken });
		// Pages 11 to 15: "Service 1400" is the last SKU of page 14, 1401–1499 fill page 15; enough.
		expect(second.results.map((result) => result.value)).toEqual(serviceIds(1400, 1499));
		expect(second.paginationToken).toBe('21500');
		expect((await skuCalls()).map((call) => call.query.cursor).slice(10)).toEqual(['21000', '21100', '21200', '21300', '21400']);
	});

	test('a SKU picked with searchSkus works in Check ZIP', async () => {
		const { results } = await picker('searchSkus', { filter: 'thermostat' });
		expect(results).toHaveLength(1);
		await sandbox.reset();
		const result = await run({ resource: 'sku', operation: 'checkZip', sku: { __rl: true, mode: 'list', value: results[0].value }, zip: '94103' });
		expect(jsons(result)[0]).toEqual(expect.objectContaining({ sku_id: 10642, available: true }));
	});

	test('SKUs picked with getSkus, by ID and by expression work in Order → Create', async () => {
		const options = await picker('getSkus');
		const doorbell = options.find((option) => option.name.startsWith('Smart Doorbell'));
		await sandbox.reset();
		const order = (skuIds) => newClientOrder({ skuIds });
		for (const skuIds of [[doorbell.value, 10641], '10640, 10641', '={{ $json.skus }}', '={{ [10640, "10641"] }}']) {
			const result = await run(order(skuIds), { items: [{ skus: [10640, 10641] }] });
			expect(result.error).toBeUndefined();
			expect(jsons(result)[0].skus.map((sku) => sku.id)).toEqual([10640, 10641]);
		}
		const posts = (await requests()).filter((entry) => entry.method === 'POST');
		expect(posts.map((entry) => entry.body.sku_id)).toEqual(Array(4).fill([10640, 10641]));
	});

	test('a wrong API key in the picker is a clear error without the key', async () => {
		for (const method of ['getSkus', 'searchSkus']) {
			const error = await loadOptions(method, { credentials: credentials({ apiKey: 'wrong-key-3e9d' }) }).catch((e) => e);
			expect(error).toBeInstanceOf(Error);
			expect(error.message).toBe('HelloTech refused the API key (HTTP 401): Invalid API key');
			expect(JSON.stringify(error)).not.toContain('wrong-key-3e9d');
		}
	});
});

describe('the Order ID picker (searchOrders)', () => {
	const orderCalls = async () => (await requests()).filter((entry) => entry.path === '/api/partners/orders');
	const seedCustomers = async () => {
		const maya = await sandbox.addClient({ first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com' });
		const sam = await sandbox.addClient({ first_name: 'Sam', last_name: 'Okafor', email: 'sam.okafor@example.com' });
		const { ids } = await sandbox.seedOrders([
			{ client_id: maya.id, statusCode: 0, purchase_order_id: 'PO-1001' },
			{ client_id: sam.id, statusCode: 2, purchase_order_id: 'PO-1002' },
			{ client_id: maya.id, statusCode: 13, purchase_order_id: 'PO-1003' },
		]);
		return ids;
	};

	test('lists the most recent orders first, each as "ID · customer · status" with its HelloTech link', async () => {
		const [oldest, middle, newest] = await seedCustomers();
		const answer = await picker('searchOrders', { typeVersion: 2 });
		expect(answer).toEqual({
			results: [
				{ name: `${newest} · Maya Lopez · Late Tech`, value: String(newest), url: `https://www.hellotech.com/orders/${newest}` },
				{ name: `${middle} · Sam Okafor · Assigned`, value: String(middle), url: `https://www.hellotech.com/orders/${middle}` },
				{ name: `${oldest} · Maya Lopez · Pending`, value: String(oldest), url: `https://www.hellotech.com/orders/${oldest}` },
			],
			paginationToken: String(oldest), // a short page is not proof of the end
		});
		expect((await orderCalls()).map((call) => call.query)).toEqual([{ order_by: 'created_at', sort: 'DESC', limit: '100' }]);
	});

	test.each([
		['a customer name', 'maya', ['Maya Lopez', 'Maya Lopez']],
		['an email', 'OKAFOR@', ['Sam Okafor']],
		['a status', 'late tech', ['Maya Lopez']],
		['a purchase order ID', 'po-1002', ['Sam Okafor']],
	])('searches by %s', async (_what, filter, customers) => {
		await seedCustomers();
		const { results } = await picker('searchOrders', { filter, typeVersion: 2 });
		expect(results.map((result) => result.name.split(' · ')[1])).toEqual(customers);
	});

	test('pages 250 orders newest first with the token n8n sends back: each order once', async () => {
		const { ids } = await sandbox.seedOrders({ count: 250 });
		const seen = [];
		let token;
		for (let load = 0; load < 5; load++) {
			const answer = await picker('searchOrders', { typeVersion: 2, paginationToken: token });
			seen.push(...answer.results.map((result) => Number(result.value)));
			token = answer.paginationToken;
			if (token === undefined) break;
		}
		expect(seen).toEqual([...ids].reverse());
		expect((await orderCalls()).map((call) => call.query.cursor)).toEqual([undefined, String(ids[150]), String(ids[50]), String(ids[0])]);
	});

	test('an order ID typed in the search is looked up directly, also when it is older than every page read', async () => {
		const { ids } = await sandbox.seedOrders({ count: 1200 });
		const oldest = ids[0];
		const { results } = await picker('searchOrders', { filter: String(oldest), typeVersion: 2 });
		expect(results[0]).toEqual(expect.objectContaining({ value: String(oldest) }));
		expect(results.filter((result) => result.value === String(oldest))).toHaveLength(1);
		const log = await requests();
		expect(log[0].path).toBe(`/api/partners/orders/${oldest}`);
		expect(log.filter((entry) => entry.path === '/api/partners/orders')).toHaveLength(10);
	});

	test('an ID HelloTech does not know is no error: the search just finds nothing', async () => {
		await seedCustomers();
		const { results } = await picker('searchOrders', { filter: '999999', typeVersion: 2 });
		expect(results).toEqual([]);
	});
});

describe('Order → Get with the Order ID picker (version 2)', () => {
	const get = (orderId) => ({ resource: 'order', operation: 'get', orderId, simplify: false });

	test('an order picked From List, typed By ID, or given By URL (its HelloTech link) is the same order', async () => {
		const { ids } = await sandbox.seedOrders({ count: 3 });
		const { results } = await picker('searchOrders', { typeVersion: 2 });
		const picked = results.find((result) => result.value === String(ids[1]));
		for (const orderId of [
			{ __rl: true, mode: 'list', value: picked.value, cachedResultName: picked.name, cachedResultUrl: picked.url },
			{ __rl: true, mode: 'id', value: ` ${ids[1]} ` },
			{ __rl: true, mode: 'url', value: picked.url },
			{ __rl: true, mode: 'url', value: `${picked.url}/finish?utm_source=mail` },
			{ __rl: true, mode: 'id', value: '={{ $json.order }}' },
		]) {
			const result = await run(get(orderId), { typeVersion: 2, items: [{ order: ids[1] }] });
			expect(result.error).toBeUndefined();
			expect(jsons(result).map((order) => order.id)).toEqual([ids[1]]);
		}
	});

	test.each([
		['a URL that is no order URL', { __rl: true, mode: 'url', value: '={{ $json.link }}' }, 'Order ID: "https://www.hellotech.com/clients/42" is not a HelloTech order URL (one with /orders/<ID> in it) [item 0]'],
		['an ID that is no number', { __rl: true, mode: 'id', value: '={{ $json.name }}' }, 'Order ID: must be a positive whole number, got "abc" [item 0]'],
		['no ID', { __rl: true, mode: 'list', value: '={{ $json.none }}' }, 'Order ID: is required [item 0]'],
	])('%s from an expression is refused before anything is sent', async (_what, orderId, message) => {
		const result = await run(get(orderId), { typeVersion: 2, items: [{ link: 'https://www.hellotech.com/clients/42', name: 'abc' }] });
		expect(result.error.message).toBe(message);
		expect(await requests()).toEqual([]);
	});

	test.each([
		[{ __rl: true, mode: 'url', value: 'https://www.hellotech.com/clients/42' }, 'Not a HelloTech order URL (…/orders/<ID>)'],
		[{ __rl: true, mode: 'id', value: 'abc' }, 'Not an order ID'],
	])('a typed %j is flagged by n8n itself, with the mode\'s own message, before the workflow runs', async (orderId, message) => {
		await expect(run(get(orderId), { typeVersion: 2 })).rejects.toThrow(message);
		expect(await requests()).toEqual([]);
	});

	test('version 1 keeps its plain Order ID text field: an ID works, a URL is refused as before', async () => {
		const { ids } = await sandbox.seedOrders({ count: 1 });
		const ok = await run({ resource: 'order', operation: 'get', orderId: String(ids[0]) }, { typeVersion: 1 });
		expect(jsons(ok).map((order) => order.id)).toEqual(ids);
		const url = await run({ resource: 'order', operation: 'get', orderId: `https://www.hellotech.com/orders/${ids[0]}` }, { typeVersion: 1 });
		expect(url.error.message).toBe(`Order ID: must be a positive whole number, got "https://www.hellotech.com/orders/${ids[0]}" [item 0]`);
	});
});
