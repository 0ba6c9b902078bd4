'use strict';
/**
 * The export corpus (test/corpus/formats.js): each format's rows through Order → Create version 2
 * with Map Automatically, as n8n's engine runs it against the sandbox. Every row is booked with
 * exactly the expected body, its unread order-looking columns named under the output, or refused
 * naming the field; nothing else reaches HelloTech. The same rows also go through the mapper's
 * pure pipeline directly (no n8n), which must agree.
 */
const path = require('path');

const { sandbox, run, jsons } = require('./helpers');
const { FORMATS } = require('./corpus/formats');

const V2 = { typeVersion: 2 };
const mapper = require(path.join(__dirname, '..', 'dist', 'nodes', 'HelloTech', 'actions', 'order', 'orderMapper.js'));

const orderCreate = (options) => ({ resource: 'order', operation: 'create', ...options });
const createdBodies = async () =>
	(await sandbox.state()).log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders').map((entry) => entry.body);

/** The columns the run's hints name as not read. */
const hintedColumns = (result) =>
	result.hints
		.filter((hint) => hint.message.startsWith('Map Automatically did not read'))
		.flatMap((hint) => [...hint.message.split(' (first in item')[0].matchAll(/"([^"]+)"/g)].map((match) => match[1]));

beforeEach(() => sandbox.reset());

describe('every format of the corpus through the engine', () => {
	test.each(FORMATS.map((format) => [format.name, format]))('%s', async (_name, format) => {
		expect(format.source).toMatch(/^https:\/\//);
		const result = await run(orderCreate(format.options), { ...V2, items: format.rows, continueOnFail: true });
		expect(result.error).toBeUndefined();
		const outputs = jsons(result);
		expect(outputs).toHaveLength(format.rows.length);
		// Errors also name the row by purchase order and customer ("[item 2: purchase order #1004, ...]": test/booked.test.js);
		// rows checked for an earlier booking go out together, in any order.
		const itemOnly = (message) => message.replace(/ \[item (\d+): [^\]]*\]$/, ' [item $1]');
		expect(outputs.map((json) => (json.error ? itemOnly(json.error) : 'booked'))).toEqual(format.expect.map((row) => row.refused ?? 'booked'));
		const key = (body) => JSON.stringify([body.purchase_order_id, body.email, body.first_name, body.last_name, body.address]);
		const sorted = (bodies) => [...bodies].sort((a, b) => key(a).localeCompare(key(b)));
		expect(sorted(await createdBodies())).toEqual(sorted(format.expect.filter((row) => row.body).map((row) => row.body)));
		expect(hintedColumns(result).sort()).toEqual(format.expect.flatMap((row) => row.unread ?? []).sort());
	});
});

describe('the same rows through the pure pipeline (item → sources → checked values → body)', () => {
	/** The node's Shop SKUs and picked SKUs as the pipeline takes them. */
	const contextOf = (options = {}) => ({
		timezone: 'America/Los_Angeles',
		shopSkus: new Map((options.shopSkus?.sku ?? []).map((entry) => [mapper.shopSkuKey(entry.shopSku), Number(entry.id.value)])),
		pickedSkus: () => (options.skus?.sku ?? []).map((entry) => Number(entry.id.value)),
	});

	test.each(FORMATS.map((format) => [format.name, format]))('%s', (_name, format) => {
		format.rows.forEach((row, index) => {
			const expected = format.expect[index];
			const outcome = (() => {
				try {
					const { body, unread } = mapper.orderFromItem(row, contextOf(format.options));
					return { body, unread };
				} catch (error) {
					return { refused: `${error.message} [item ${index}]` };
				}
			})();
			expect(outcome).toEqual(expected.refused ? { refused: expected.refused } : { body: expected.body, unread: expected.unread ?? [] });
		});
	});

	test('the corpus holds at least 15 formats, each citing its documentation', () => {
		expect(FORMATS.length).toBeGreaterThanOrEqual(15);
		expect(new Set(FORMATS.map((format) => format.name)).size).toBe(FORMATS.length);
	});
});
