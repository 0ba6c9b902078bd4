'use strict';
// Order → Create → Options: Validate Only and Check Availability First, through n8n's engine
// against the sandbox over HTTP. Sandbox coverage (test/sandbox/state.js): 10639 everywhere but
// ZIPs starting 4 and 5, 10641 everywhere, 10642 only at 9xxxx; no ZIP starting 000 is known.
const { sandbox, run, jsons } = require('./helpers');
const { orderFromRow } = require('./fixtures');

beforeEach(() => sandbox.reset());

/** Order → Create with every field read from the row (fixtures' orderFromRow); a row with `client_id` books for that client. */
const fromRow = (options = {}) =>
	orderFromRow({
		clientType: '={{ $json.client_id ? "existing" : "new" }}',
		clientId: '={{ $json.client_id }}',
		requestOptions: { zip: '={{ $json.zip }}', ...options },
	});

const LA = '719 Flower St, Los Angeles, CA 90017';
const NY = '350 5th Ave, New York, NY 10118';
const customer = (po, fields = {}) => ({ po, first: 'Ada', last: po, email: `${po.toLowerCase()}@example.com`, phone: '3105550123', address: LA, skus: '10639', ...fields });

const log = async () => (await sandbox.state()).log;
const creates = async () => (await log()).filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
const counts = async () => {
	const entries = await log();
	const count = (test) => entries.filter(test).length;
	return {
		catalogue: count((entry) => entry.method === 'GET' && entry.path === '/api/partners/skus'),
		checkZip: count((entry) => /\/check_zip$/.test(entry.path)),
		clients: count((entry) => entry.method === 'GET' && entry.path.startsWith('/api/partners/clients/')),
		creates: count((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders'),
		total: entries.length,
	};
};

describe('Validate Only', () => {
	test('a sheet with every kind of problem: each row reported with field and message, paired, nothing created', async () => {
		const client = await sandbox.addClient({ email: 'sam@example.com', first_name: 'Sam' });
		const rows = [
			customer('OK-NEW'),
			customer('OK-CLIENT', { client_id: client.id, address: NY, skus: '10641, 10639' }),
			customer('BAD-EMAIL', { email: 'maya@example' }),
			customer('UNKNOWN-SKU', { skus: '99999, 10639' }),
			customer('NOT-OFFERED', { address: NY, skus: '10641, 10642' }),
			customer('NO-ZIP', { address: '1600 Amphitheatre Pkwy, Mountain View, CA' }),
			customer('UNKNOWN-CLIENT', { client_id: 999 }),
			customer('ZIP-COLUMN', { address: '32 Vassar St, Cambridge, MA', zip: 2139, skus: '10641' }),
			customer('UNKNOWN-ZIP', { address: '1 Nowhere Rd, Atlantis, ZZ 00042' }),
			customer('BAD-ZIP-COLUMN', { zip: '9001' }),
		];
		const result = await run(fromRow({ validateOnly: true }), { items: rows });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual(rows.map((_, index) => ({ item: index })));

		const out = jsons(result);
		expect(out.map(({ valid, problems, zip }) => ({ valid, problems, zip }))).toEqual([
			{ valid: true, problems: [], zip: '90017' },
			{ valid: true, problems: [], zip: '10118' },
			{ valid: false, problems: [{ field: 'Email', message: '"maya@example" is not an email address' }], zip: null },
			{ valid: false, problems: [{ field: 'SKU Names or IDs', message: "SKU 99999 is not in HelloTech's catalogue" }], zip: '90017' },
			{
				valid: false,
				problems: [{ field: 'SKU Names or IDs', message: 'SKU 10642 (Smart Thermostat Installation) is not offered at ZIP 10118 (Sandbox Metro 101)' }],
				zip: '10118',
			},
			{
				valid: false,
				problems: [
					{
						field: 'ZIP Code',
						message: 'none found: Address does not end with a 5-digit ZIP code (as in "…, CA 90017"); give it in Options → ZIP Code',
					},
				],
				zip: null,
			},
			{ valid: false, problems: [{ field: 'Client ID', message: 'HelloTech has no client 999' }], zip: '90017' },
			{ valid: true, problems: [], zip: '02139' },
			{ valid: false, problems: [{ field: 'Address', message: 'ZIP 00042 is in no HelloTech service area: no service can be booked there' }], zip: '00042' },
			{ valid: false, problems: [{ field: 'ZIP Code', message: 'must be a 5-digit US ZIP code, got "9001"' }], zip: null },
		]);
		// `order` is the body Create would send, or null when a field could not be read.
		expect(out[0].order).toEqual({
			first_name: 'Ada',
			last_name: 'OK-NEW',
			email: 'ok-new@example.com',
			address: LA,
			phone: '3105550123',
			sku_id: [10639],
			purchase_order_id: 'OK-NEW',
		});
		expect(out[1].order).toEqual({ client_id: client.id, address: NY, phone: '3105550123', sku_id: [10641, 10639], purchase_order_id: 'OK-CLIENT' });
		expect(out[2].order).toBeNull();
		expect(out[7].order.address).toBe('32 Vassar St, Cambridge, MA'); // the ZIP is checked, not sent

		const state = await sandbox.state();
		expect(state.orders).toEqual([]);
		expect(state.clients.map((entry) => entry.id)).toEqual([client.id]);
		// The catalogue once (its page and the empty one that ends it); Check ZIP once per (SKU, ZIP) of
		// rows with a ZIP and known SKUs; each client once.
		expect(await counts()).toEqual({ catalogue: 2, checkZip: 6, clients: 2, creates: 0, total: 10 });
	});

	test('the ZIP at the end of the address: after the state, as ZIP+4, before ", USA"; a 5-digit house number is not one', async () => {
		const addresses = [
			'719 Flower St, Los Angeles, CA 90017',
			'719 Flower St, Los Angeles, CA 90017-2301',
			'200 Park Ave, New York, NY, 10166, USA',
			'200 Park Ave,New York NY 10166.',
			'12345 Main St',
			'12345 Main St, Springfield, IL',
		];
		const result = await run(fromRow({ validateOnly: true }), { items: addresses.map((address, index) => customer(`Z-${index}`, { address, skus: '10641' })) });
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((out) => out.zip)).toEqual(['90017', '90017', '10166', '10166', null, null]);
	});

	test("an unknown ZIP answered 404 (as for an unknown SKU) is the same problem: the catalogue tells the two apart", async () => {
		await sandbox.reset({ unknownZipAnswer: '404' });
		const rows = [customer('A', { address: '1 Nowhere Rd, Atlantis, ZZ 00042' }), customer('B', { address: '1 Nowhere Rd, Atlantis, ZZ 00042', skus: '99999' })];
		const result = await run(fromRow({ validateOnly: true }), { items: rows });
		expect(jsons(result).map((out) => out.problems)).toEqual([
			[{ field: 'Address', message: 'ZIP 00042 is in no HelloTech service area: no service can be booked there' }],
			[{ field: 'SKU Names or IDs', message: "SKU 99999 is not in HelloTech's catalogue" }],
		]);
		expect((await log()).filter((entry) => /check_zip$/.test(entry.path)).map((entry) => entry.status)).toEqual([404]);
	});

	test('ZIP coverage set per SKU through the control API is what Check ZIP answers', async () => {
		await sandbox.zipCoverage(10641, ['90017']);
		const rows = [customer('HERE', { skus: '10641' }), customer('THERE', { address: NY, skus: '10641' })];
		const result = await run(fromRow({ validateOnly: true }), { items: rows });
		expect(jsons(result).map((out) => out.problems)).toEqual([
			[],
			[{ field: 'SKU Names or IDs', message: 'SKU 10641 (Wi-Fi Network Setup) is not offered at ZIP 10118 (Sandbox Metro 101)' }],
		]);
		await sandbox.reset({ zipCoverage: { 10641: [] } });
		const nowhere = await run(fromRow({ validateOnly: true }), { items: [customer('HERE', { skus: '10641' })] });
		expect(jsons(nowhere)[0].valid).toBe(false);
	});

	test('HelloTech failing to answer is an error, not a problem: each item its own, the catalogue not asked again', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 503, path: '/api/partners/skus' }] });
		const rows = [customer('A'), customer('B'), customer('C')];
		const result = await run(fromRow({ validateOnly: true }), { items: rows, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toEqual(
			rows.map((_, index) => ({
				error: `HelloTech failed to process the request (HTTP 503): Service temporarily unavailable (gave up after 5 attempts) [item ${index}]`,
				description: 'GET /api/partners/skus answered HTTP 503.',
				httpCode: '503',
			})),
		);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(await counts()).toEqual({ catalogue: 5, checkZip: 0, clients: 0, creates: 0, total: 5 });
	});

	test('without Continue On Fail, a failed check stops the node, naming the item', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 403, body: { errors: ['Forbidden'] }, path: '/api/partners/skus' }] });
		const result = await run(fromRow({ validateOnly: true }), { items: [customer('A'), customer('B')] });
		expect(result.error.message).toBe('HelloTech does not allow this API key to do that: Forbidden [item 0]');
		expect(result.error.httpCode).toBe('403');
		expect(await creates()).toEqual([]);
	});
});

describe('Check Availability First', () => {
	test('creates exactly the rows whose SKUs are offered at their ZIP; the others fail naming SKU, ZIP and item', async () => {
		const rows = [
			customer('OFFERED-1'),
			customer('NOT-OFFERED', { address: NY, skus: '10641, 10642' }),
			customer('UNKNOWN-ZIP', { address: '1 Nowhere Rd, Atlantis, ZZ 00042' }),
			customer('NO-ZIP', { address: '1600 Amphitheatre Pkwy, Mountain View, CA' }),
			customer('UNKNOWN-SKU', { skus: '99999' }),
			customer('OFFERED-2', { address: '32 Vassar St, Cambridge, MA', zip: '02139', skus: '10641, 10639' }),
			customer('BAD-EMAIL', { email: 'nope' }),
		];
		const result = await run(fromRow({ checkAvailability: true }), { items: rows, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual(rows.map((_, index) => ({ item: index })));
		const out = jsons(result);
		expect(out[0].purchase_order_id).toBe('OFFERED-1');
		expect(out[5].purchase_order_id).toBe('OFFERED-2');
		const kept = 'Check Availability First kept this order from HelloTech: nothing was created for this item.';
		expect([1, 2, 3, 4, 6].map((index) => out[index])).toEqual([
			{ error: 'SKU Names or IDs: SKU 10642 is not offered at ZIP 10118 (Sandbox Metro 101) [item 1]', description: kept },
			{ error: 'Address: ZIP 00042 is in no HelloTech service area: no service can be booked there [item 2]', description: kept },
			{
				error: 'ZIP Code: none found: Address does not end with a 5-digit ZIP code (as in "…, CA 90017"); give it in Options → ZIP Code [item 3]',
				description: kept,
			},
			{ error: "SKU Names or IDs: SKU 99999 is not in HelloTech's catalogue [item 4]", description: kept },
			{ error: 'Email: "nope" is not an email address [item 6]' },
		]);

		const state = await sandbox.state();
		expect(state.orders.map((order) => order.purchase_order_id).sort()).toEqual(['OFFERED-1', 'OFFERED-2']);
		expect((await creates()).map((entry) => entry.body.purchase_order_id).sort()).toEqual(['OFFERED-1', 'OFFERED-2']);
		// Check ZIP only (the catalogue, its page and the empty one after, only to explain the one 404),
		// and no client lookups.
		expect(await counts()).toEqual({ catalogue: 2, checkZip: 7, clients: 0, creates: 2, total: 11 });
	});

	test('without Continue On Fail, the node stops at the row not offered, naming SKU, ZIP and item', async () => {
		const rows = [customer('OFFERED'), customer('NOT-OFFERED', { address: '60601 Lake Shore Dr, Chicago, IL 40601' })];
		const result = await run(fromRow({ checkAvailability: true, maxConcurrent: 1 }), { items: rows });
		expect(result.error.message).toBe('SKU Names or IDs: SKU 10639 is not offered at ZIP 40601 (Sandbox Metro 406) [item 1]');
		expect(result.error.context.itemIndex).toBe(1);
		expect((await sandbox.state()).orders.map((order) => order.purchase_order_id)).toEqual(['OFFERED']);
	});

	test('Validate Only wins when both are on: nothing is created', async () => {
		const result = await run(fromRow({ checkAvailability: true, validateOnly: true }), { items: [customer('A')] });
		expect(jsons(result)[0].valid).toBe(true);
		expect(await creates()).toEqual([]);
	});

	test('with neither option, Create asks HelloTech nothing before the create (version 1 as before)', async () => {
		const result = await run(fromRow(), { items: [customer('PLAIN', { address: '1 Nowhere Rd, Atlantis, ZZ 00042' })] });
		expect(result.error).toBeUndefined();
		expect((await log()).map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /api/partners/orders']);
	});
});

describe('the switches, given by an expression', () => {
	test.each([['validateOnly'], ['checkAvailability']])(
		'%s as the text "true" (a sheet\'s TRUE, a Set node\'s string) turns the check on: nothing is booked unchecked',
		async (option) => {
			const rows = [customer('NOT-OFFERED', { address: NY, skus: '10642', dryRun: 'TRUE' })];
			const result = await run(fromRow({ [option]: '={{ $json.dryRun.toLowerCase() }}' }), { items: rows, continueOnFail: true });
			expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			const [item] = jsons(result);
			if (option === 'validateOnly') expect(item.valid).toBe(false);
			else expect(item.error).toBe('SKU Names or IDs: SKU 10642 is not offered at ZIP 10118 (Sandbox Metro 101) [item 0]');
			expect(await creates()).toEqual([]);
		},
	);

	test.each([
		['validateOnly', 'Validate Only'],
		['checkAvailability', 'Check Availability First'],
	])('%s that is no true or false is refused, naming the option and the item; nothing is sent', async (option, label) => {
		const result = await run(fromRow({ [option]: '={{ $json.dryRun }}' }), { items: [customer('A', { dryRun: 'yes' })] });
		expect(result.error.message).toBe(`${label}: must be true or false, got "yes" [item 0]`);
		expect(await log()).toEqual([]);
	});
});

describe('the checks share their answers across the run', () => {
	// 300 rows, each with the same 3 SKUs, at 40 ZIPs, for 5 clients: 900 (SKU, ZIP) checks asked
	// row by row. Rows come grouped by ZIP, so the items in flight together need the same answers.
	const ZIPS = Array.from({ length: 40 }, (_, index) => String(90001 + index));
	const sheet = (clientIds) =>
		Array.from({ length: 300 }, (_, index) =>
			customer(`PO-${index}`, {
				address: `${index} Main St, Los Angeles, CA ${ZIPS[Math.floor(index / 7.5)]}`,
				skus: '10639, 10641, 10642',
				...(clientIds ? { client_id: clientIds[index % clientIds.length] } : {}),
			}),
		);

	test('Validate Only: 1 catalogue read (2 requests) + 120 Check ZIP + 5 client reads for 300 rows, with 10 in flight', async () => {
		const clientIds = [];
		for (let index = 0; index < 5; index++) clientIds.push((await sandbox.addClient({ email: `c${index}@example.com` })).id);
		await sandbox.faults({ latencyMs: 15 });
		const result = await run(fromRow({ validateOnly: true, maxConcurrent: 10 }), { items: sheet(clientIds) });
		expect(result.error).toBeUndefined();
		expect(jsons(result).filter((out) => out.valid)).toHaveLength(300);
		expect(await counts()).toEqual({ catalogue: 2, checkZip: 3 * 40, clients: 5, creates: 0, total: 127 });
		expect((await sandbox.state()).stats.maxInFlight).toBeGreaterThan(1);
	});

	test('Check Availability First: 120 Check ZIP requests and 300 creates', async () => {
		await sandbox.faults({ latencyMs: 5 });
		const result = await run(fromRow({ checkAvailability: true, maxConcurrent: 10 }), { items: sheet() });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(300);
		expect(await counts()).toEqual({ catalogue: 0, checkZip: 120, clients: 0, creates: 300, total: 420 });
	});
});
