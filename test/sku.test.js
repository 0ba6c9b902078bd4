'use strict';
// SKU resource through n8n's engine against the sandbox over HTTP (the SKU pickers: pickers.test.js).
const { sandbox, run, jsons, expectRefusedBeforeSending } = require('./helpers');
const { DEFAULT_SKUS } = require('./sandbox/state');

const checkZip = (sku, zip, overrides = {}) => ({ resource: 'sku', operation: 'checkZip', sku, zip, ...overrides });
const byList = (value) => ({ __rl: true, mode: 'list', value });
const byId = (value) => ({ __rl: true, mode: 'id', value });
const requests = async () => (await sandbox.state()).log;

/** A catalogue of `count` SKUs, ids from 20001, offered everywhere. */
const catalogue = (count) =>
	Array.from({ length: count }, (_, i) => ({ id: 20001 + i, name: `Service ${String(i + 1).padStart(4, '0')}`, category: 'Test', price: 50, zipPrefixes: ['9'] }));

beforeEach(() => sandbox.reset());

describe('SKU → Get Many', () => {
	const getMany = (overrides = {}) => ({ resource: 'sku', operation: 'getAll', ...overrides });
	const listCalls = async () => (await requests()).filter((entry) => entry.method === 'GET' && entry.path === '/api/partners/skus');

	test('Return All gives the whole catalogue, each SKU an item paired to the input', async () => {
		const result = await run(getMany({ returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toEqual(DEFAULT_SKUS.map(({ zipPrefixes, ...sku }) => sku));
		expect(result.output.every((item) => item.pairedItem.item === 0)).toBe(true);
		// Six SKUs, then the empty page that proves there are no more.
		expect((await listCalls()).map((call) => call.query.cursor)).toEqual([undefined, '10644']);
	});

	test('Return All pages through 230 SKUs: every SKU once, in order, three pages and the empty one after', async () => {
		await sandbox.reset({ skus: catalogue(230) });
		const result = await run(getMany({ returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((sku) => sku.id)).toEqual(catalogue(230).map((sku) => sku.id));
		expect((await listCalls()).map((call) => [call.query.limit, call.query.cursor])).toEqual([
			['100', undefined],
			['100', '20100'],
			['100', '20200'],
			['100', '20230'],
		]);
	});

	test('Limit stops at the limit, asking only for what it needs', async () => {
		await sandbox.reset({ skus: catalogue(230) });
		const result = await run(getMany({ returnAll: false, limit: 130 }));
		expect(jsons(result).map((sku) => sku.id)).toEqual(catalogue(130).map((sku) => sku.id));
		expect((await listCalls()).map((call) => call.query.limit)).toEqual(['100', '30']);
	});

	test('Limit defaults to 50', async () => {
		await sandbox.reset({ skus: catalogue(80) });
		const result = await run(getMany());
		expect(result.output).toHaveLength(50);
	});

	test('Limit 2 of six gives the first two', async () => {
		const result = await run(getMany({ limit: 2 }));
		expect(jsons(result).map((sku) => sku.id)).toEqual([10639, 10640]);
	});

	test('a Limit of 0 is refused before anything is sent', async () => {
		const result = await run(getMany({ limit: '={{ 0 }}' }));
		expect(result.error.message).toBe('Limit: must be a positive whole number, got "0" [item 0]');
		expect(await requests()).toEqual([]);
	});
});

describe('SKU → Check ZIP', () => {
	test('a SKU offered at the ZIP: the API answer plus available = true', async () => {
		const result = await run(checkZip(byList('10642'), '90017'));
		expect(result.error).toBeUndefined();
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(jsons(result)).toEqual([
			{ sku_id: 10642, status: 'success', treatment: 'on', zip: '90017', cbsa_id: 39001, cbsa: 'Sandbox Metro 900', available: true },
		]);
		const [sent] = await requests();
		expect([sent.method, sent.path, sent.body]).toEqual(['POST', '/api/partners/skus/10642/check_zip', { zip: '90017' }]);
	});

	test('a SKU not offered at the ZIP: treatment "off" and available = false', async () => {
		const result = await run(checkZip(byList('10642'), '10001'));
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toEqual([
			{ sku_id: 10642, status: 'success', treatment: 'off', zip: '10001', cbsa_id: 31000, cbsa: 'Sandbox Metro 100', available: false },
		]);
	});

	test.each([
		['picked from the list', byList('10640')],
		['given by ID', byId(' 10640 ')],
		['by ID from an expression', byId('={{ $json.sku }}')],
		['as an expression for the whole field', '={{ $json.sku }}'],
		['as a plain number', 10640],
	])('the SKU %s', async (_how, sku) => {
		const result = await run(checkZip(sku, '={{ $json.zip }}'), { items: [{ sku: 10640, zip: '30301' }, { sku: '10640', zip: 19103 }] });
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((answer) => [answer.sku_id, answer.zip, answer.available])).toEqual([
			[10640, '30301', true],
			[10640, '19103', true],
		]);
		expect((await requests()).map((entry) => entry.path)).toEqual([
			'/api/partners/skus/10640/check_zip',
			'/api/partners/skus/10640/check_zip',
		]);
	});

	test('a ZIP read as a number from a spreadsheet (02134 → 2134) gets its leading zero back', async () => {
		const result = await run(checkZip(byId('10639'), '={{ $json.zip }}'), { items: [{ zip: 2134 }, { zip: ' 90017 ' }] });
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((answer) => [answer.zip, answer.available])).toEqual([
			['02134', true],
			['90017', true],
		]);
		// Sent side by side, so compared in the order of their ZIPs.
		expect((await requests()).map((entry) => entry.body).sort((x, y) => x.zip.localeCompare(y.zip))).toEqual([{ zip: '02134' }, { zip: '90017' }]);
	});

	test('an unknown SKU is a clear not-found error', async () => {
		const result = await run(checkZip(byId('99999'), '90017'));
		expect(result.error.message).toBe('SKU 99999 not found: HelloTech says "Record Not Found" [item 0]');
		expect(result.error.httpCode).toBe('404');
	});

	test('a transient failure is retried: Check ZIP only asks a question', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 503, times: 1 }] });
		const result = await run(checkZip(byId('10642'), '90017'));
		expect(result.error).toBeUndefined();
		expect(jsons(result)[0].available).toBe(true);
		expect((await requests()).map((entry) => entry.status)).toEqual([503, 200]);
	});

	describe('bad input never reaches the API', () => {
		const cases = [
			['a 4-digit ZIP', checkZip(byId('10642'), '9001'), 'ZIP Code: must be a 5-digit US ZIP code, got "9001" [item 0]'],
			['a ZIP+4', checkZip(byId('10642'), '90017-1234'), 'ZIP Code: must be a 5-digit US ZIP code, got "90017-1234" [item 0]'],
			['a ZIP of letters', checkZip(byId('10642'), 'SW1A1'), 'ZIP Code: must be a 5-digit US ZIP code, got "SW1A1" [item 0]'],
			['no ZIP', checkZip(byId('10642'), '={{ $json.zip }}'), 'ZIP Code: is required [item 0]'],
			['no SKU', checkZip(byId('={{ $json.sku }}'), '90017'), 'SKU: is required [item 0]'],
			['a SKU that is not an ID', checkZip('={{ "tv-mount" }}', '90017'), 'SKU: must be a positive whole number, got "tv-mount" [item 0]'],
		];

		test.each(cases)('%s', async (_name, parameters, message) => {
			await expectRefusedBeforeSending(await run(parameters), message);
		});
	});

	test('Continue On Fail: a mixed batch gives an answer or an error item for each, paired to its source', async () => {
		const items = [
			{ sku: 10642, zip: '90017' },
			{ sku: 10642, zip: '9001' },
			{ sku: 99999, zip: '90017' },
			{ sku: 10642, zip: '10001' },
		];
		const result = await run(checkZip(byId('={{ $json.sku }}'), '={{ $json.zip }}'), { items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		const [first, second, third, fourth] = jsons(result);
		expect(first.available).toBe(true);
		expect(second).toEqual({ error: 'ZIP Code: must be a 5-digit US ZIP code, got "9001" [item 1]' });
		expect(third).toEqual({
			error: 'SKU 99999 not found: HelloTech says "Record Not Found" [item 2]',
			description: 'POST /api/partners/skus/99999/check_zip answered HTTP 404.',
			httpCode: '404',
		});
		expect(fourth.available).toBe(false);
		// Sent side by side, so in no set order.
		expect((await requests()).map((entry) => entry.path).sort()).toEqual([
			'/api/partners/skus/10642/check_zip',
			'/api/partners/skus/10642/check_zip',
			'/api/partners/skus/99999/check_zip',
		]);
	});
});
