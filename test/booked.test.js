'use strict';
/**
 * Each purchase order booked once, across runs (issue #18): Order → Create's Skip Orders Already
 * Booked (on in version 2), repeats within a run, two executions of one process at once, orders
 * HelloTech lists late, runs stopped midway and run again, creates that got no answer, the
 * look-back, Combine Rows of One Order, and Order → Get By Purchase Order ID. Every scenario runs
 * through n8n's engine against the sandbox; the proof is what the sandbox holds: each purchase order
 * ID once.
 */
const { sandbox, credentials, run: runNode, jsons } = require('./helpers');
const { runHelloTech } = require('./harness/engine');
const { autoMappedOrder, orderFromRow, row: v1Row, sheetRow } = require('./fixtures');

const V2 = { typeVersion: 2 };
const run = (parameters, options = {}) => runNode(parameters, { ...V2, ...options });
const DAY_MS = 86_400_000;

/**
 * Purchase order `i` of this test's sheet. Each test has its own, as each real sheet has: this
 * process remembers for some minutes what it booked (helpers/recentlyBooked.ts), whatever the
 * sandbox forgets between tests.
 */
let sheetNumber = 0;
const po = (i) => `S${sheetNumber}-${i}`;

/** Row `i` of a sheet: its own customer and purchase order ID. */
const row = (i, overrides = {}) => sheetRow({ last_name: `Lopez ${i}`, email: `maya.${i}@example.com`, purchase_order_id: po(i), ...overrides });
const rows = (count, from = 0) => Array.from({ length: count }, (_, i) => row(from + i));

const state = () => sandbox.state();
const log = async () => (await state()).log;
const creates = async () => (await log()).filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
const listReads = async () => (await log()).filter((entry) => entry.method === 'GET' && entry.path === '/api/partners/orders');

/** How many orders HelloTech holds per purchase order ID. */
async function ordersPerPurchaseOrder() {
	return Object.fromEntries([...(await state()).orders.reduce((counts, order) => counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1), new Map())]);
}
const once = (...purchaseOrderIds) => Object.fromEntries(purchaseOrderIds.map((po) => [po, 1]));

/** The same workflow run by "another n8n process": it reaches the sandbox at another address, so it shares no memory with this one. */
const elsewhere = () => credentials({ baseUrl: process.env.HELLOTECH_SANDBOX_URL.replace('127.0.0.1', 'localhost') });

beforeEach(async () => {
	sheetNumber++;
	await sandbox.reset();
});

describe('a sheet run again books only what is not booked yet', () => {
	test('run twice: each purchase order once; the second run gives the existing orders, alreadyBooked, each paired to its row', async () => {
		const first = await run(autoMappedOrder(), { items: rows(3) });
		expect(first.error).toBeUndefined();
		expect(jsons(first).map((order) => [order.purchase_order_id, order.alreadyBooked])).toEqual([
			[po(0), false],
			[po(1), false],
			[po(2), false],
		]);

		const second = await run(autoMappedOrder(), { items: rows(4) });
		expect(second.error).toBeUndefined();
		expect(second.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		// The same order on both runs: a workflow writing order IDs back to the sheet writes the same IDs.
		expect(jsons(second).slice(0, 3).map((order) => [order.id, order.alreadyBooked])).toEqual(jsons(first).map((order) => [order.id, true]));
		expect(jsons(second)[3]).toEqual(expect.objectContaining({ purchase_order_id: po(3), alreadyBooked: false }));
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(0), po(1), po(2), po(3)));
		expect(second.hints.map((hint) => hint.message)).toContain(
			'Not booked again (Skip Orders Already Booked): items 0-2 already booked at HelloTech. Their items are the existing orders, with alreadyBooked: true.',
		);
	});

	test('the existing order is the one HelloTech lists, as a create would output it, whoever booked it', async () => {
		const [id] = (await sandbox.seedOrders([{ purchase_order_id: po(0), client_name: 'Booked by hand', statusCode: 2 }])).ids;
		const result = await run(autoMappedOrder(), { items: rows(1) });
		const listed = (await state()).orders.find((order) => order.id === id);
		const { status_code: _code, ...order } = listed;
		expect(jsons(result)).toEqual([{ ...order, alreadyBooked: true }]);
		expect(await creates()).toEqual([]);
	});

	test('the orders are read once per run, however many rows; a few orders cost one request', async () => {
		await sandbox.seedOrders({ count: 40, spacingMs: 3_600_000 });
		const result = await run(autoMappedOrder(), { items: rows(30) });
		expect(result.error).toBeUndefined();
		const reads = await listReads();
		expect(reads).toHaveLength(2); // the newest page (40 orders of the look-back) and the empty one that proves the end
		expect(reads[0].query).toEqual(expect.objectContaining({ order_by: 'created_at', sort: 'DESC' }));
		expect(await creates()).toHaveLength(30);
	});

	test('rows without a Purchase Order ID are booked as before, and a hint says they were not checked', async () => {
		const result = await run(autoMappedOrder(), { items: [row(0), row(1, { purchase_order_id: '' }), row(2, { purchase_order_id: undefined })] });
		expect(result.error).toBeUndefined();
		expect(await creates()).toHaveLength(3);
		expect(result.hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: 'items 1-2 had no Purchase Order ID: booked without checking for an earlier booking, so running these rows again books them again. Give every row a Purchase Order ID.',
			}),
		]);
	});

	test('Skip Orders Already Booked off: every row is booked, as version 1 books', async () => {
		await run(autoMappedOrder(), { items: rows(2) });
		const again = await run(autoMappedOrder({ requestOptions: { skipBooked: false } }), { items: rows(2) });
		expect(again.error).toBeUndefined();
		expect(jsons(again).every((order) => order.alreadyBooked === undefined)).toBe(true);
		expect(await ordersPerPurchaseOrder()).toEqual({ [po(0)]: 2, [po(1)]: 2 });
	});

	test('version 1 behaves exactly as before: no read of the orders, every row booked on every run', async () => {
		const items = [v1Row(0, `S${sheetNumber}`), v1Row(1, `S${sheetNumber}`)];
		await runNode(orderFromRow(), { items, typeVersion: 1 });
		const again = await runNode(orderFromRow(), { items, typeVersion: 1 });
		expect(again.error).toBeUndefined();
		expect(jsons(again).every((order) => !('alreadyBooked' in order))).toBe(true);
		expect(await listReads()).toEqual([]);
		expect(await ordersPerPurchaseOrder()).toEqual({ [po(0)]: 2, [po(1)]: 2 });
	});

	test('version 1 may opt in from Options', async () => {
		const items = [v1Row(0, `S${sheetNumber}`), v1Row(1, `S${sheetNumber}`)];
		await runNode(orderFromRow({ requestOptions: { skipBooked: true } }), { items, typeVersion: 1 });
		const again = await runNode(orderFromRow({ requestOptions: { skipBooked: true } }), { items, typeVersion: 1 });
		expect(jsons(again).map((order) => order.alreadyBooked)).toEqual([true, true]);
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(0), po(1)));
	});
});

describe('repeats inside one run', () => {
	// The sheet: its last row repeats the second row's purchase order ID.
	const sheet = () => [row(1), row(2), row(2)];

	test('a row that repeats an earlier one gives the first row\'s order; the sheet run twice still holds each purchase order once', async () => {
		const first = await run(autoMappedOrder(), { items: sheet() });
		expect(first.error).toBeUndefined();
		const [, booked, repeat] = jsons(first);
		expect(repeat).toEqual({ ...booked, alreadyBooked: true });
		expect(booked.alreadyBooked).toBe(false);
		expect(first.hints.map((hint) => hint.message)).toContain(
			"Not booked again (Skip Orders Already Booked): item 2 repeating an earlier row's purchase order. Their items are the existing orders, with alreadyBooked: true.",
		);
		await run(autoMappedOrder(), { items: sheet() });
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(1), po(2)));
	});

	test('a repeat that differs from the first row (another customer, say) is refused naming both rows, and nothing is booked', async () => {
		const result = await run(autoMappedOrder(), { items: [row(1), row(2), row(2, { first_name: 'Sam' })] });
		expect(result.error.message).toBe(
			`Purchase Order ID: "${po(2)}" is also the purchase order of item 1 (Maya Lopez 2), whose First Name is "Maya", not "Sam": a purchase order is booked once [item 2: purchase order ${po(2)}, Sam Lopez 2]`,
		);
		expect(result.error.description).toContain('Combine Rows of One Order');
		expect(await creates()).toEqual([]);
	});

	test('with On Error → Continue, the first row is booked and the differing repeat is its error item', async () => {
		const result = await run(autoMappedOrder(), { items: [row(1), row(2), row(2, { sku_id: '10641' })], continueOnFail: true });
		expect(jsons(result).map((json) => json.error ?? json.purchase_order_id)).toEqual([
			po(1),
			po(2),
			`Purchase Order ID: "${po(2)}" is also the purchase order of item 1 (Maya Lopez 2), whose SKU IDs is [10639], not [10641]: a purchase order is booked once [item 2: purchase order ${po(2)}, Maya Lopez 2]`,
		]);
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(1), po(2)));
	});

	test('without Skip Orders Already Booked, a repeat is refused naming both rows', async () => {
		const result = await run(autoMappedOrder({ requestOptions: { skipBooked: false } }), { items: sheet() });
		expect(result.error.message).toBe(
			`Purchase Order ID: "${po(2)}" is also the purchase order of item 1 (Maya Lopez 2), so this row would book it a second time [item 2: purchase order ${po(2)}, Maya Lopez 2]`,
		);
		expect(await creates()).toEqual([]);
	});

	test('a repeat whose first row HelloTech refuses is not booked either, and says why', async () => {
		const result = await run(autoMappedOrder(), { items: [row(1, { sku_id: '99999' }), row(1, { sku_id: '99999' }), row(2)], continueOnFail: true });
		expect(jsons(result).map((json) => json.error ?? json.purchase_order_id)).toEqual([
			`HelloTech could not accept the data: Sku 99999 does not exist [item 0: purchase order ${po(1)}, Maya Lopez 1]`,
			`Not booked: item 0, with the same purchase order ${po(1)}, was not booked: HelloTech could not accept the data: Sku 99999 does not exist [item 1: purchase order ${po(1)}, Maya Lopez 1]`,
			po(2),
		]);
		expect(await creates()).toHaveLength(2);
	});
});

describe('two executions of one n8n process at once', () => {
	test('started together with the same rows: each purchase order booked once, the other run gives it as already booked', async () => {
		await sandbox.faults({ latencyMs: 40 });
		const [a, b] = await Promise.all([run(autoMappedOrder(), { items: rows(10) }), run(autoMappedOrder(), { items: rows(10) })]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(await ordersPerPurchaseOrder()).toEqual(once(...rows(10).map((r) => r.purchase_order_id)));
		// Row by row, one run booked it and the other gives that same order.
		jsons(a).forEach((order, i) => {
			const other = jsons(b)[i];
			expect(other.id).toBe(order.id);
			expect([order.alreadyBooked, other.alreadyBooked].sort()).toEqual([false, true]);
		});
	});
});

describe('orders HelloTech lists late', () => {
	beforeEach(() => sandbox.reset({ listingDelayMs: 60_000 }));

	test('an order this process booked a moment ago, not listed yet, is not booked again: it is read back by its ID', async () => {
		await run(autoMappedOrder(), { items: rows(3) });
		const again = await run(autoMappedOrder(), { items: rows(3) });
		expect(again.error).toBeUndefined();
		expect(jsons(again).map((order) => order.alreadyBooked)).toEqual([true, true, true]);
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(0), po(1), po(2)));
		const reads = (await log()).filter((entry) => /^\/api\/partners\/orders\/\d+$/.test(entry.path));
		expect(reads).toHaveLength(3);
	});

	test('what the skip cannot see (the README says so): another n8n process, before HelloTech lists the order, books it again', async () => {
		await run(autoMappedOrder(), { items: rows(1) });
		await runHelloTech(autoMappedOrder(), { ...V2, items: rows(1), credentials: elsewhere() });
		expect(await ordersPerPurchaseOrder()).toEqual({ [po(0)]: 2 });
	});

	test('once HelloTech lists it, another process finds it', async () => {
		await sandbox.reset({ listingDelayMs: 300 });
		await run(autoMappedOrder(), { items: rows(1) });
		await new Promise((resolve) => setTimeout(resolve, 400));
		const elsewhereRun = await runHelloTech(autoMappedOrder(), { ...V2, items: rows(1), credentials: elsewhere() });
		expect(jsons(elsewhereRun)[0].alreadyBooked).toBe(true);
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(0)));
	});
});

describe('a run stopped midway, and run again', () => {
	test('a create HelloTech refuses stops the run; the error lists the rows booked; fixed and run again, every row is booked exactly once', async () => {
		const sheet = (bad) => rows(30).map((r, i) => (i === 12 && bad ? { ...r, sku_id: '99999' } : r));
		const stopped = await run(autoMappedOrder({ requestOptions: { maxConcurrent: 2 } }), { items: sheet(true) });
		expect(stopped.error.message).toBe(`HelloTech could not accept the data: Sku 99999 does not exist [item 12: purchase order ${po(12)}, Maya Lopez 12]`);
		const booked = (await state()).orders;
		// Two rows in flight: row 12 started once row 10 was answered, so rows 0-10 are booked and
		// row 12 is not. Row 11, started beside 12, and the rows the other slot took while 12 was
		// in flight may or may not have been sent before 12's refusal stopped the run.
		const bookedRows = booked.map((order) => rows(30).findIndex((r) => r.purchase_order_id === order.purchase_order_id));
		expect(bookedRows.filter((i) => i <= 10).sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
		expect(bookedRows).not.toContain(12);
		for (const order of booked) expect(stopped.error.description).toContain(`order ${order.id} (purchase order ${order.purchase_order_id})`);

		const again = await run(autoMappedOrder(), { items: sheet(false) });
		expect(again.error).toBeUndefined();
		expect(jsons(again).filter((order) => order.alreadyBooked)).toHaveLength(booked.length);
		expect(await ordersPerPurchaseOrder()).toEqual(once(...rows(30).map((r) => r.purchase_order_id)));
	});

	test('a create stored but answered 500 (outcome unknown): the item says to run again; run again, it is found, booked exactly once', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-after', method: 'POST', pathPattern: 'orders$', times: 1, after: 1 }] });
		const first = await run(autoMappedOrder(), { items: rows(3), continueOnFail: true });
		// The creates go out side by side: the second to reach the sandbox, whichever row it is, is
		// stored but answered 500.
		const unknowns = jsons(first)
			.map((json, item) => ({ json, item }))
			.filter(({ json }) => json.outcomeUnknown === true);
		expect(unknowns).toHaveLength(1);
		const [{ json: unknown, item }] = unknowns;
		expect(unknown.error).toBe(
			`HelloTech failed to process the request (HTTP 500) (Internal Server Error); the order may have been created: run the sheet again, and Skip Orders Already Booked finds purchase order ${po(item)} if it was created, or books it if it was not [item ${item}: purchase order ${po(item)}, Maya Lopez ${item}]`,
		);
		const again = await run(autoMappedOrder(), { items: rows(3) });
		expect(jsons(again).map((order) => order.alreadyBooked)).toEqual([true, true, true]);
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(0), po(1), po(2)));
	});

	test('a create that got no answer and is not listed: this process does not send it again until HelloTech could list it; another process books it once', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-before', method: 'POST', pathPattern: 'orders$', times: 1 }] });
		const first = await run(autoMappedOrder(), { items: rows(1), continueOnFail: true });
		expect(jsons(first)[0].outcomeUnknown).toBe(true);
		const again = await run(autoMappedOrder(), { items: rows(1), continueOnFail: true });
		expect(jsons(again)[0].outcomeUnknown).toBe(true);
		const { error } = jsons(again)[0];
		expect(error.replace(/\d\d:\d\d:\d\d/, 'HH:MM:SS')).toBe(
			`Not booked: a create of purchase order ${po(0)} in this n8n got no answer, and HelloTech does not list an order with it yet; it may list one up to 10 minutes late: run the sheet again after HH:MM:SS UTC [item 0: purchase order ${po(0)}, Maya Lopez 0]`,
		);
		expect(await creates()).toHaveLength(1);
		const elsewhereRun = await runHelloTech(autoMappedOrder(), { ...V2, items: rows(1), credentials: elsewhere() });
		expect(jsons(elsewhereRun)[0].alreadyBooked).toBe(false);
		expect(await ordersPerPurchaseOrder()).toEqual(once(po(0)));
	});
});

describe('the look-back', () => {
	test('orders created within Look Back are found, older ones are not; a booking close to its end is warned about', async () => {
		const now = Date.now();
		await sandbox.seedOrders([
			{ purchase_order_id: po(0), createdAtMs: now - 40 * DAY_MS },
			{ purchase_order_id: po(1), createdAtMs: now - 26 * DAY_MS },
			{ purchase_order_id: po(2), createdAtMs: now - 2 * DAY_MS },
		]);
		const result = await run(autoMappedOrder(), { items: rows(3) });
		expect(jsons(result).map((order) => order.alreadyBooked)).toEqual([false, true, true]);
		expect(result.hints.map((hint) => hint.message)).toContain(
			`Purchase order ${po(1)} (item 1) was booked 26 days ago, close to Look Back (30 days): a row booked longer ago is no longer found and would be booked again. Raise Options → Look Back, or take booked rows out of the sheet.`,
		);
		const further = await run(autoMappedOrder({ requestOptions: { lookBackDays: 45 } }), { items: rows(1) });
		expect(jsons(further)[0].alreadyBooked).toBe(true);
		expect((await listReads()).at(-1).query.from).toBe(new Date(now - 45 * DAY_MS - 12 * 3_600_000).toISOString().replace(/^(\d{4})-(\d\d)-(\d\d).*$/, '$2-$3-$1'));
	});

	test.each([
		['UTC', 0],
		['UTC−10 (Hawaii)', -10],
		['UTC+14', 14],
	])('a busy look-back is read in parallel parts, and no order is missed at their edges, the list\'s days counted in %s', async (_zone, dateZoneHours) => {
		await sandbox.reset({ dateZoneHours });
		// 3,000 orders over 30 days, a hundred a day: the newest page is not all; the rest is read in parts.
		const now = Date.now();
		const seeded = Array.from({ length: 3000 }, (_, i) => ({ purchase_order_id: `OLD-${i}`, createdAtMs: now - 29.9 * DAY_MS + i * 14.3 * 60_000 }));
		await sandbox.seedOrders(seeded);
		// Rows for every order within an hour of a noon (UTC, where parts meet), and the oldest.
		const noon = (ms) => Math.abs(((ms % DAY_MS) - DAY_MS / 2)) < 3_600_000;
		const edges = seeded.filter((order, i) => i === 0 || noon(order.createdAtMs));
		const result = await run(autoMappedOrder(), { items: edges.map((order, i) => row(i, { purchase_order_id: order.purchase_order_id })) });
		expect(result.error).toBeUndefined();
		expect(jsons(result).filter((order) => !order.alreadyBooked)).toEqual([]);
		expect(await creates()).toEqual([]);
		const reads = await listReads();
		// The newest page, then ten parts of about 300 orders each: 4 pages each, not 30 pages one after another.
		expect(reads[0].query.sort).toBe('DESC');
		expect(reads.slice(1).every((entry) => entry.query.sort === 'ASC')).toBe(true);
		expect(new Set(reads.slice(1).map((entry) => entry.query.from)).size).toBe(10);
		expect(reads.length).toBeLessThanOrEqual(1 + 10 * 5);
	});

	test('a list that ignores the order asked for is read to its end, page after page: still nothing missed', async () => {
		await sandbox.reset({ ignoreSort: true });
		const now = Date.now();
		await sandbox.seedOrders(Array.from({ length: 250 }, (_, i) => ({ purchase_order_id: `OLD-${i}`, createdAtMs: now - 20 * DAY_MS + i * 60_000 })));
		const result = await run(autoMappedOrder(), { items: [row(0, { purchase_order_id: 'OLD-249' }), row(1, { purchase_order_id: 'OLD-0' })] });
		expect(jsons(result).map((order) => order.alreadyBooked)).toEqual([true, true]);
		expect(await listReads()).toHaveLength(4);
	});

	test('when the orders cannot be read, nothing is booked and each row says why', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-before', method: 'GET', pathPattern: 'orders$' }] });
		const result = await run(autoMappedOrder({ requestOptions: { timeout: 1000 } }), { items: rows(2), continueOnFail: true });
		expect(jsons(result).map((json) => json.error)).toEqual([
			expect.stringMatching(/^Could not check whether the order is already booked, so it was not booked: HelloTech failed to process the request \(HTTP 503\): Service temporarily unavailable \(gave up after \d attempts.*\) \[item 0: purchase order S\d+-0, Maya Lopez 0\]$/),
			expect.stringMatching(/\[item 1: purchase order S\d+-1, Maya Lopez 1\]$/),
		]);
		expect(await creates()).toEqual([]);
	});
});

describe('Combine Rows of One Order', () => {
	const combine = (options = {}) => autoMappedOrder({ requestOptions: { combineRows: true, ...options } });
	// A shop export: one order has two line items, one row each; the other one.
	const lines = () => [
		row(0, { purchase_order_id: `#${sheetNumber}001`, sku_id: '10639', notes: 'Ring twice' }),
		row(0, { purchase_order_id: `#${sheetNumber}001`, sku_id: '10641' }),
		row(1, { purchase_order_id: `#${sheetNumber}002`, sku_id: '10640' }),
	];

	test('the rows of one purchase order are one order with all their SKUs; every row gives it, paired', async () => {
		const result = await run(combine(), { items: lines() });
		expect(result.error).toBeUndefined();
		const bodies = (await creates()).map((entry) => entry.body).sort((a, b) => a.purchase_order_id.localeCompare(b.purchase_order_id));
		expect(bodies.map((body) => [body.purchase_order_id, body.sku_id, body.notes])).toEqual([
			[`#${sheetNumber}001`, [10639, 10641], 'Ring twice'],
			[`#${sheetNumber}002`, [10640], undefined],
		]);
		expect(result.output.map((item) => [item.pairedItem.item, item.json.purchase_order_id, item.json.alreadyBooked])).toEqual([
			[0, `#${sheetNumber}001`, false],
			[1, `#${sheetNumber}001`, false],
			[2, `#${sheetNumber}002`, false],
		]);
		expect(jsons(result)[0].id).toBe(jsons(result)[1].id);
		// Run again: every row gives its order, booked before.
		const again = await run(combine(), { items: lines() });
		expect(jsons(again).map((order) => order.alreadyBooked)).toEqual([true, true, true]);
		expect(await ordersPerPurchaseOrder()).toEqual(once(`#${sheetNumber}001`, `#${sheetNumber}002`));
	});

	test('rows of one order that disagree are refused naming the rows and the field; nothing is booked', async () => {
		const items = lines();
		items[1].address = '350 5th Ave, New York, NY 10118';
		const result = await run(combine(), { items });
		expect(result.error.message).toBe(
			`Purchase Order ID: "#${sheetNumber}001" is also the purchase order of item 0 (Maya Lopez 0), whose Address is "719 Flower St, Los Angeles, CA 90017", not "350 5th Ave, New York, NY 10118": the rows of one order must agree [item 1: purchase order #${sheetNumber}001, Maya Lopez 0]`,
		);
		expect(await creates()).toEqual([]);
	});

	test('with On Error → Continue, a bad row keeps its whole order from being booked; the other orders are booked', async () => {
		const items = lines();
		items[1].sku_id = 'tv-mount';
		const result = await run(combine(), { items, continueOnFail: true });
		expect(jsons(result).map((json) => json.error ?? json.purchase_order_id)).toEqual([
			`Not booked: item 1 is a row of the same order (purchase order #${sheetNumber}001) and could not be read: SKU IDs (column "sku_id"): "tv-mount" is not a positive whole number ID [item 0: purchase order #${sheetNumber}001, Maya Lopez 0]`,
			`SKU IDs (column "sku_id"): "tv-mount" is not a positive whole number ID [item 1: purchase order #${sheetNumber}001, Maya Lopez 0]`,
			`#${sheetNumber}002`,
		]);
		expect((await creates()).map((entry) => entry.body.purchase_order_id)).toEqual([`#${sheetNumber}002`]);
	});
});

describe('Order → Get By Purchase Order ID', () => {
	const getByPo = (value) => ({ resource: 'order', operation: 'get', orderId: { __rl: true, mode: 'purchaseOrderId', value }, simplify: false });

	test('gives the most recent order with that purchase order ID, reading only as far back as needed', async () => {
		await sandbox.seedOrders([{ purchase_order_id: po(7) }, ...Array.from({ length: 150 }, (_, i) => ({ purchase_order_id: `X-${i}` })), { purchase_order_id: po(7) }, { purchase_order_id: po(8) }]);
		const newest = (await state()).orders.filter((order) => order.purchase_order_id === po(7)).at(-1);
		const result = await run(getByPo('={{ $json.po }}'), { items: [{ po: po(7) }, { po: po(8) }] });
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((order) => order.id)).toEqual([newest.id, (await state()).orders.at(-1).id]);
		expect(await listReads()).toHaveLength(1); // both in the newest page
	});

	test('an unknown purchase order ID is a clear error after reading the last 365 days', async () => {
		await sandbox.seedOrders({ count: 120, spacingMs: 60_000 });
		const result = await run(getByPo('NOPE'), { continueOnFail: true });
		expect(jsons(result)).toEqual([
			expect.objectContaining({ error: 'No order with purchase order ID "NOPE" among the orders of the last 365 days [item 0]', httpCode: '404' }),
		]);
		expect(await listReads()).toHaveLength(3);
	});

	test('the order a create got no answer for is found this way', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-after', method: 'POST', pathPattern: 'orders$', times: 1 }] });
		await run(autoMappedOrder({ requestOptions: { skipBooked: false } }), { items: rows(1), continueOnFail: true });
		const found = await run({ ...getByPo(po(0)), simplify: true });
		expect(jsons(found)).toEqual([expect.objectContaining({ purchase_order_id: po(0), id: (await state()).orders[0].id })]);
	});
});
