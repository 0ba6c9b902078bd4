'use strict';
// Order resource through n8n's engine against the sandbox over HTTP.
const { sandbox, credentials, run, jsons, runHelloTech, expectRefusedBeforeSending } = require('./helpers');
const { newClientBody, newClientOrder } = require('./fixtures');


const posts = async () => (await sandbox.state()).log.filter((entry) => entry.method === 'POST');

beforeEach(() => sandbox.reset());

describe('Order → Create', () => {
	test('creates an order for a new client and outputs the unwrapped order, paired to its item', async () => {
		const result = await run(
			newClientOrder({
				purchaseOrderId: 'PO-1234',
				additionalFields: { addressDetails: 'Yellow house', businessName: 'Lopez LLC', devices: 'iPhone 13, Galaxy S22', notes: 'Call first' },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(1);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		const order = result.output[0].json;
		expect(order.id).toEqual(expect.any(Number));
		expect(order.status).toBe('Pending');

		const [sent] = await posts();
		expect(sent.path).toBe('/api/partners/orders');
		expect(sent.body).toEqual({
			...newClientBody(),
			purchase_order_id: 'PO-1234',
			address_details: 'Yellow house',
			business_name: 'Lopez LLC',
			devices: ['iPhone 13', 'Galaxy S22'],
			notes: 'Call first',
		});
		const state = await sandbox.state();
		expect(state.orders.map((o) => o.id)).toEqual([order.id]);
		expect(state.clients[0].email).toBe('maya@example.com');
	});

	test('books for an existing client; SKU IDs from a comma-separated string; time windows in the workflow zone become UTC', async () => {
		const client = await sandbox.addClient({ email: 'sam@example.com', first_name: 'Sam' });
		const result = await run({
			resource: 'order',
			operation: 'create',
			clientType: 'existing',
			clientId: String(client.id),
			address: '350 5th Ave, New York, NY 10118',
			phone: '(212) 555-0102',
			skuIds: '={{ "10639, 10641" }}',
			timeWindows: {
				window: [
					{ start: '2025-06-10T09:00:00', end: '2025-06-10T10:00:00' }, // America/Los_Angeles, PDT
					{ start: '2025-06-10T17:00:00Z', end: '2025-06-10T18:00:00.000Z' },
				],
			},
		});
		expect(result.error).toBeUndefined();
		const [sent] = await posts();
		expect(sent.body.client_id).toBe(client.id);
		expect(sent.body.first_name).toBeUndefined();
		expect(sent.body.sku_id).toEqual([10639, 10641]);
		expect(sent.body.time_windows).toEqual([
			{ start_time: '2025-06-10T16:00:00.000Z', end_time: '2025-06-10T17:00:00.000Z' },
			{ start_time: '2025-06-10T17:00:00.000Z', end_time: '2025-06-10T18:00:00.000Z' },
		]);
		expect(result.output[0].json.client_id).toBe(client.id);
	});

	test('SKU IDs as a list from an expression, and as a JSON array string', async () => {
		const result = await run(newClientOrder({ skuIds: '={{ $json.skus }}' }), {
			items: [{ skus: [10640, '10641'] }, { skus: '[10642]' }],
		});
		expect(result.error).toBeUndefined();
		// Sent side by side, so compared in the order of their first SKU.
		expect((await posts()).map((entry) => entry.body.sku_id).sort((x, y) => x[0] - y[0])).toEqual([[10640, 10641], [10642]]);
	});

	test("HelloTech's own validation words reach the user, with the HTTP status", async () => {
		const result = await run(newClientOrder({ skuIds: '99999' }));
		expect(result.error.message).toContain('Sku 99999 does not exist');
		expect(result.error.message).toContain('[item 0]');
		expect(result.error.httpCode).toBe('422');
	});
});

describe('Order → Get', () => {
	test('gets one order by ID', async () => {
		const { ids } = await sandbox.seedOrders({ count: 3, fields: { tags: ['a'] } });
		const result = await run({ resource: 'order', operation: 'get', orderId: String(ids[1]) });
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toEqual([expect.objectContaining({ id: ids[1], tags: ['a'] })]);
	});

	test('an unknown order is a clear not-found error', async () => {
		const result = await run({ resource: 'order', operation: 'get', orderId: '123' });
		expect(result.error.message).toBe('Order 123 not found: HelloTech says "Record Not Found" [item 0]');
		expect(result.error.httpCode).toBe('404');
	});
});

describe('Order → Get Many', () => {
	const getMany = (overrides = {}) => ({ resource: 'order', operation: 'getAll', ...overrides });
	const listCalls = async () => (await sandbox.state()).log.filter((e) => e.method === 'GET' && e.path === '/api/partners/orders');

	test('Return All pages through 250 orders by last id: every order once, in order, three pages and the empty one after', async () => {
		const { ids } = await sandbox.seedOrders({ count: 250 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((order) => order.id)).toEqual(ids);
		expect(result.output.every((item) => item.pairedItem.item === 0)).toBe(true);
		const calls = await listCalls();
		expect(calls.map((call) => call.query.cursor)).toEqual([undefined, String(ids[99]), String(ids[199]), String(ids[249])]);
		expect(calls.map((call) => call.query.limit)).toEqual(['100', '100', '100', '100']);
	});

	test.each(['next_cursor', 'meta'])('Return All follows the %s cursor the response names', async (style) => {
		await sandbox.reset({ paginationStyle: style, maxPageSize: 40 });
		const { ids } = await sandbox.seedOrders({ count: 130 });
		const result = await run(getMany({ returnAll: true }));
		expect(jsons(result).map((order) => order.id)).toEqual([...ids].reverse());
		// The server caps pages at 40 though 100 were asked: its cursor keeps the paging going.
		expect((await listCalls()).length).toBe(4);
	});

	test('Limit stops as soon as it has enough, asking only for what it needs', async () => {
		await sandbox.seedOrders({ count: 300 });
		const result = await run(getMany({ returnAll: false, limit: 130 }));
		expect(result.output).toHaveLength(130);
		expect((await listCalls()).map((call) => call.query.limit)).toEqual(['100', '30']);
	});

	test('Limit defaults to 50', async () => {
		await sandbox.seedOrders({ count: 80 });
		const result = await run(getMany());
		expect(result.output).toHaveLength(50);
	});

	test('an empty result is no items and one request', async () => {
		const result = await run(getMany({ returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(result.output).toEqual([]);
		expect(await listCalls()).toHaveLength(1);
	});

	test('filters reach the API as the reference spells them', async () => {
		await sandbox.seedOrders({ count: 2 });
		const result = await run(
			getMany({
				returnAll: true,
				filters: {
					tags: 'store-42, spring-promo',
					statuses: ['0', '2'],
					clientId: '7001',
					from: '2024-09-25T00:00:00',
					to: '={{ "10/01/2024" }}',
					orderBy: 'appointment',
					sort: 'ASC',
				},
			}),
		);
		expect(result.error).toBeUndefined();
		const [call] = await listCalls();
		expect(call.query).toEqual({
			tags: ['store-42', 'spring-promo'],
			status: ['0', '2'],
			client_id: '7001',
			from: '09-25-2024',
			to: '10-01-2024',
			order_by: 'appointment',
			sort: 'ASC',
			limit: '100',
		});
	});

	test('filters select the right orders; an expression date ($now) works', async () => {
		await sandbox.seedOrders([
			{ tags: ['store-42'], statusCode: 2 },
			{ tags: ['store-42'], statusCode: 3 },
			{ tags: ['online'], statusCode: 2 },
		]);
		const result = await run(
			getMany({
				returnAll: true,
				filters: { tags: 'store-42', statuses: ['2'], from: '={{ $now.minus({ days: 1 }) }}', to: '={{ $now.plus({ days: 1 }) }}' },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((o) => [o.tags, o.status])).toEqual([[['store-42'], 'Assigned']]);
		const [call] = await listCalls();
		expect(call.query.from).toMatch(/^\d{2}-\d{2}-\d{4}$/);
	});

	test('status names in an expression are turned into codes', async () => {
		const result = await run(getMany({ filters: { statuses: '={{ ["assigned", "CANCELLED_BY_GEEK", 3] }}' } }));
		expect(result.error).toBeUndefined();
		expect((await listCalls())[0].query.status).toEqual(['2', '7', '3']);
	});
});

describe('Order → Count by Tag', () => {
	beforeEach(async () => {
		await sandbox.seedOrders([{ tags: ['a'] }, { tags: ['a', 'b'] }, { tags: ['b'] }, { tags: ['c'] }]);
	});

	test('reads a total count and counts each tag on its own', async () => {
		const result = await run({ resource: 'order', operation: 'countByTag', tags: 'a, b' });
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toEqual([{ tags: ['a', 'b'], count: 3, counts: { a: 2, b: 2 } }]);
		const calls = (await sandbox.state()).log.filter((e) => e.path === '/api/partners/orders/count');
		expect(calls.map((call) => call.query.tags)).toEqual([['a', 'b'], ['a'], ['b']]);
	});

	test('reads a map of counts in one request', async () => {
		await sandbox.reset({ countStyle: 'map' });
		await sandbox.seedOrders([{ tags: ['a'] }, { tags: ['a', 'b'] }]);
		const result = await run({ resource: 'order', operation: 'countByTag', tags: '={{ ["a", "b", "z"] }}' });
		expect(jsons(result)).toEqual([{ tags: ['a', 'b', 'z'], counts: { a: 2, b: 1, z: 0 } }]);
	});

	test('one tag: its count', async () => {
		const result = await run({ resource: 'order', operation: 'countByTag', tags: 'c' });
		expect(jsons(result)).toEqual([{ tags: ['c'], count: 1, counts: { c: 1 } }]);
	});
});

describe('bad input never reaches the API', () => {
	const cases = [
		['a missing address (an expression giving nothing)', newClientOrder({ address: '={{ $json.address }}' }), 'Address: is required [item 0]'],
		['a missing first name', newClientOrder({ firstName: ' ' }), 'First Name: is required [item 0]'],
		['a missing email for a new client', newClientOrder({ email: '={{ $json.email }}' }), 'Email: is required [item 0]'],
		['an email that is not one', newClientOrder({ email: 'maya@' }), 'Email: "maya@" is not an email address [item 0]'],
		['a phone that is not one', newClientOrder({ phone: 'n/a' }), 'Phone: "n/a" is not a phone number [item 0]'],
		['empty SKU IDs', newClientOrder({ skuIds: '={{ $json.skus }}' }), 'SKU Names or IDs: at least one SKU ID is required [item 0]'],
		['SKU IDs of blanks', newClientOrder({ skuIds: '={{ " , ," }}' }), 'SKU Names or IDs: at least one SKU ID is required [item 0]'],
		['a non-integer SKU ID', newClientOrder({ skuIds: '10639, 12.5' }), 'SKU Names or IDs: "12.5" is not a positive whole number ID [item 0]'],
		['a text SKU ID', newClientOrder({ skuIds: 'tv-mount' }), 'SKU Names or IDs: "tv-mount" is not a positive whole number ID [item 0]'],
		[
			'a time window that is not a date-time',
			newClientOrder({ timeWindows: { window: [{ start: 'tomorrow 9am', end: '2025-06-10T10:00:00Z' }] } }),
			'Time Windows → window 1 → Start: "tomorrow 9am" is not an ISO 8601 date-time [item 0]',
		],
		[
			'a time window without an end',
			newClientOrder({ timeWindows: { window: [{ start: '2025-06-10T09:00:00Z' }] } }),
			'Time Windows → window 1 → End: is required [item 0]',
		],
		[
			'a time window of 90 minutes',
			newClientOrder({ timeWindows: { window: [{ start: '2025-06-10T09:00:00Z', end: '2025-06-10T10:30:00Z' }] } }),
			'Time Windows → window 1 → End: must be exactly one hour after Start (2025-06-10T09:00:00.000Z), got 2025-06-10T10:30:00.000Z [item 0]',
		],
		[
			'a time window that ends before it starts',
			newClientOrder({ timeWindows: { window: [{ start: '2025-06-10T09:00:00Z', end: '2025-06-10T08:00:00Z' }] } }),
			'Time Windows → window 1 → End: must be exactly one hour after Start (2025-06-10T09:00:00.000Z), got 2025-06-10T08:00:00.000Z [item 0]',
		],
		[
			'an impossible date in a time window',
			newClientOrder({ timeWindows: { window: [{ start: '2025-02-30T09:00:00Z', end: '2025-02-30T10:00:00Z' }] } }),
			'Time Windows → window 1 → Start: "2025-02-30T09:00:00Z" is not a real date-time [item 0]',
		],
		[
			'a negative client ID',
			{ resource: 'order', operation: 'create', clientType: 'existing', clientId: '-3', address: 'x', phone: '3105550123', skuIds: [10639] },
			'Client ID: must be a positive whole number, got "-3" [item 0]',
		],
		[
			'a zero client ID',
			{ resource: 'order', operation: 'create', clientType: 'existing', clientId: '0', address: 'x', phone: '3105550123', skuIds: [10639] },
			'Client ID: must be a positive whole number, got "0" [item 0]',
		],
		['an order ID that is not a number', { resource: 'order', operation: 'get', orderId: 'abc' }, 'Order ID: must be a positive whole number, got "abc" [item 0]'],
		[
			'a From date after the To date',
			{ resource: 'order', operation: 'getAll', filters: { from: '2024-10-02', to: '2024-10-01' } },
			'From: 10-02-2024 is after To (10-01-2024) [item 0]',
		],
		['a From that is no date', { resource: 'order', operation: 'getAll', filters: { from: '31/31/2024' } }, 'From: "31/31/2024" is not a real date [item 0]'],
		['a From that is no date at all', { resource: 'order', operation: 'getAll', filters: { from: 'last tuesday' } }, 'From: "last tuesday" is not a date (use YYYY-MM-DD, MM-DD-YYYY or an ISO date-time) [item 0]'],
		['a filter client ID that is not a number', { resource: 'order', operation: 'getAll', filters: { clientId: 'x1' } }, 'Client ID: must be a positive whole number, got "x1" [item 0]'],
		['an unknown status', { resource: 'order', operation: 'getAll', filters: { statuses: '={{ ["late"] }}' } }, 'Statuses: "late" is not an order status (a code 0 to 15 or a name such as ASSIGNED) [item 0]'],
		['no tags to count', { resource: 'order', operation: 'countByTag', tags: ' , ' }, 'Tags: at least one tag is required [item 0]'],
	];

	test.each(cases)('%s', async (_name, parameters, message) => {
		await expectRefusedBeforeSending(await run(parameters), message);
	});

	test('the error names the failing item, not the first', async () => {
		const result = await run(newClientOrder({ email: '={{ $json.email }}' }), {
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'not-an-email' }],
		});
		expect(result.error.message).toBe('Email: "not-an-email" is not an email address [item 2]');
		expect(result.error.context.itemIndex).toBe(2);
	});
});

describe('Continue On Fail', () => {
	test('every item yields an output or an error item, paired to its source, and the others go on', async () => {
		const items = [
			{ email: 'a@example.com', sku: '10639' },
			{ email: 'broken', sku: '10639' },
			{ email: 'c@example.com', sku: '99999' }, // HelloTech refuses: unknown SKU
			{ email: 'd@example.com', sku: '10640' },
		];
		const result = await run(
			newClientOrder({ email: '={{ $json.email }}', skuIds: '={{ $json.sku }}', purchaseOrderId: '={{ "PO-" + $itemIndex }}' }),
			{ items, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		const [first, second, third, fourth] = jsons(result);
		expect(first.purchase_order_id).toBe('PO-0');
		expect(second).toEqual({ error: 'Email: "broken" is not an email address [item 1]' });
		expect(third.error).toContain('Sku 99999 does not exist');
		expect(third.httpCode).toBe('422');
		expect(fourth.purchase_order_id).toBe('PO-3');
		const state = await sandbox.state();
		expect(state.orders.map((o) => o.purchase_order_id).sort()).toEqual(['PO-0', 'PO-3']);
	});

	test('without it, the node fails on the first bad item and names it', async () => {
		const result = await run(newClientOrder({ email: '={{ $json.email }}' }), {
			items: [{ email: 'a@example.com' }, { email: 'broken' }],
		});
		expect(result.error.message).toBe('Email: "broken" is not an email address [item 1]');
	});
});

describe('the API key', () => {
	test('a wrong key is refused with a message that says so, and the key appears nowhere', async () => {
		const wrongKey = 'wrong-key-5f1c2a9b';
		const result = await runHelloTech(
			{ resource: 'order', operation: 'getAll' },
			{ credentials: credentials({ apiKey: wrongKey }) },
		);
		expect(result.error.message).toBe('HelloTech refused the API key (HTTP 401): Invalid API key [item 0]');
		expect(result.error.httpCode).toBe('401');
		expect(JSON.stringify(result.run)).not.toContain(wrongKey);
		expect(JSON.stringify(result.error)).not.toContain(wrongKey);
	});

	test('the right key is sent in the Api-Key header on every request', async () => {
		await sandbox.seedOrders({ count: 120 });
		await run({ resource: 'order', operation: 'getAll', returnAll: true });
		const { log } = await sandbox.state();
		expect(log.length).toBe(3); // two pages, and the empty one after
		expect(log.every((entry) => entry.apiKeyOk)).toBe(true);
	});

	test('an error that echoes the key back does not show it', async () => {
		const key = process.env.HELLOTECH_SANDBOX_KEY;
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 503, body: { errors: [`upstream rejected key ${key}`] }, times: 5 }] });
		const result = await run({ resource: 'order', operation: 'get', orderId: '1' });
		expect(result.error.message).toContain('[redacted]');
		expect(JSON.stringify(result.run)).not.toContain(key);
	});
});
