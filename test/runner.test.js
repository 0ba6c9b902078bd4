'use strict';
/**
 * How the node runs items (helpers/runner.ts), through n8n's engine against the sandbox: items are
 * prepared (parameters read and checked) ahead, outside the request slots, while at most Max
 * Concurrent Requests are in flight; requests start in input order; output keeps input order and
 * pairing; a bad item found ahead stops the run before anything more is sent.
 */
const { sandbox, run, jsons } = require('./helpers');
const { autoMappedOrder, orderFromRow, row: fixtureRow, sheetRow } = require('./fixtures');

const posts = async () => (await sandbox.state()).log.filter((entry) => entry.method === 'POST');

/** Order → Create v2 mapping each row automatically, with Max Concurrent Requests. */
const createRows = (maxConcurrent) => autoMappedOrder({ requestOptions: maxConcurrent === undefined ? {} : { maxConcurrent } });

/** Row `i`: a distinct customer and purchase order ID. */
const row = (i, overrides = {}) => sheetRow({ last_name: `Lopez ${i}`, email: `maya.${i}@example.com`, sku_id: 10639, purchase_order_id: `PO-${i}`, ...overrides });
const rows = (count) => Array.from({ length: count }, (_, i) => row(i));
/** Row `i` as version 1's fields read it (orderFromRow). */
const v1Row = (i) => fixtureRow(i);

beforeEach(() => sandbox.reset());

// The sandbox holds its answers until the bound is reached (holdUntilInFlight), so reaching it does
// not depend on how fast the machine sends.
test.each([1, 3, 8])('with Max Concurrent Requests = %i, requests in flight reach it and never exceed it while the next rows are prepared', async (maxConcurrent) => {
	await sandbox.faults({ latencyMs: 25, holdUntilInFlight: maxConcurrent });
	const result = await run(createRows(maxConcurrent), { items: rows(40), typeVersion: 2 });
	expect(result.error).toBeUndefined();
	expect(result.output).toHaveLength(40);
	expect((await sandbox.state()).stats.maxInFlight).toBe(maxConcurrent);
});

test('without the option, version 2 sends 20 at once; version 1 keeps 5', async () => {
	await sandbox.faults({ latencyMs: 25, holdUntilInFlight: 20 });
	const v2 = await run(createRows(), { items: rows(60), typeVersion: 2 });
	expect(v2.output).toHaveLength(60);
	expect((await sandbox.state()).stats.maxInFlight).toBe(20);

	await sandbox.reset();
	await sandbox.faults({ latencyMs: 25, holdUntilInFlight: 5 });
	const v1Rows = rows(40).map((r) => ({ first: r.first_name, last: r.last_name, email: r.email, address: r.address, phone: r.phone, skus: r.sku_id, po: r.purchase_order_id }));
	const v1 = await run(orderFromRow(), { items: v1Rows, typeVersion: 1 });
	expect(v1.output).toHaveLength(40);
	expect((await sandbox.state()).stats.maxInFlight).toBe(5);
});

test('answers that arrive out of order: output in input order, each paired to its row, every order once', async () => {
	await sandbox.faults({ latencyMs: 1, latencyJitterMs: 40 });
	const result = await run(createRows(6), { items: rows(50), typeVersion: 2 });
	expect(result.error).toBeUndefined();
	result.output.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		expect(item.json.purchase_order_id).toBe(`PO-${i}`);
	});
	const ids = jsons(result).map((order) => order.id);
	expect(ids).not.toEqual([...ids].sort((a, b) => a - b)); // created out of input order
	const created = (await sandbox.state()).orders.map((order) => order.purchase_order_id).sort();
	expect(created).toEqual(rows(50).map((r) => r.purchase_order_id).sort());
});

test('version 1: a bad row found while the rows before it are in flight: nothing more is sent, and the error names the row', async () => {
	// Two in flight (rows 0 and 1); rows 2 and 3 are prepared meanwhile, and row 3 is bad. Row 2 was
	// ready but is not sent: without Continue On Fail the node fails, and every create sent after
	// the failure was known would be one more order to find before running the sheet again. (Rows 0
	// and 1 may not have left yet either: then the halt keeps them back too.)
	await sandbox.faults({ latencyMs: 300 });
	const items = [v1Row(0), v1Row(1), v1Row(2), { ...v1Row(3), email: 'not-an-email' }, v1Row(4)];
	const result = await run(orderFromRow({ requestOptions: { maxConcurrent: 2 } }), { items, typeVersion: 1 });
	expect(result.error.message).toBe('Email: "not-an-email" is not an email address [item 3]');
	const sent = (await posts()).map((entry) => entry.body.purchase_order_id).sort();
	expect(['PO-0', 'PO-1']).toEqual(expect.arrayContaining(sent));
	const created = (await sandbox.state()).orders.map((order) => order.purchase_order_id).sort();
	expect(created).toEqual(sent);
	if (sent.length > 0) expect(result.error.description).toContain('had already completed before the node stopped');
});

test('version 2: every row is read before the first is booked, so a bad row anywhere stops the node with nothing booked; the error names every bad row', async () => {
	await sandbox.faults({ latencyMs: 50 });
	const items = [...rows(30), row(30, { email: 'not-an-email' }), ...rows(40).slice(31), row(40, { phone: '' }), row(41)];
	const result = await run(createRows(5), { items, typeVersion: 2 });
	expect(result.error.message).toBe('Email (column "email"): "not-an-email" is not an email address [item 30: purchase order PO-30, Maya Lopez 30]');
	expect(result.error.description).toBe('Other items with problems, none sent: Phone (column "phone"): is required [item 40: purchase order PO-40, Maya Lopez 40].');
	expect(await posts()).toEqual([]);
	expect((await sandbox.state()).orders).toEqual([]);
});

test('with Continue On Fail, a bad row prepared ahead becomes its error item and the others are all sent', async () => {
	await sandbox.faults({ latencyMs: 20 });
	const items = [row(0), row(1), row(2), row(3, { email: 'not-an-email' }), row(4), row(5, { phone: '' }), row(6)];
	const result = await run(createRows(2), { items, typeVersion: 2, continueOnFail: true });
	expect(result.error).toBeUndefined();
	expect(result.output.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5, 6]);
	expect(jsons(result).map((json) => json.error ?? json.purchase_order_id)).toEqual([
		'PO-0',
		'PO-1',
		'PO-2',
		'Email (column "email"): "not-an-email" is not an email address [item 3: purchase order PO-3, Maya Lopez 3]',
		'PO-4',
		'Phone (column "phone"): is required [item 5: purchase order PO-5, Maya Lopez 5]',
		'PO-6',
	]);
	expect((await posts()).map((entry) => entry.body.purchase_order_id).sort()).toEqual(['PO-0', 'PO-1', 'PO-2', 'PO-4', 'PO-6']);
});

test('a request that fails stops the run: the rows not yet sent are not sent', async () => {
	// Rows 0 and 1 answered together, however far apart the machine sent them.
	await sandbox.faults({ latencyMs: 30, holdUntilInFlight: 2 });
	const items = [row(0), row(1, { sku_id: 99999 }), ...rows(12).slice(2)];
	const result = await run(createRows(2), { items, typeVersion: 2 });
	expect(result.error.message).toBe('HelloTech could not accept the data: Sku 99999 does not exist [item 1: purchase order PO-1, Maya Lopez 1]');
	// Row 1 fails after one round trip; by then at most one more row (2) took the free slot of row 0.
	const sent = await posts();
	expect(sent.length).toBeLessThanOrEqual(3);
	// The rows booked before the stop are listed with their order IDs, and what to do next.
	const booked = (await sandbox.state()).orders.sort((a, b) => a.purchase_order_id.localeCompare(b.purchase_order_id));
	expect(booked.length).toBeGreaterThanOrEqual(1);
	const listed = booked.map((order) => `item ${order.purchase_order_id.slice(3)}: order ${order.id} (purchase order ${order.purchase_order_id})`).join('; ');
	expect(result.error.description).toContain(`Before the node stopped, these rows were done; their items are not in the output: ${listed}. Run the sheet again: Skip Orders Already Booked gives these rows their orders and books the rest.`);
});

test('with On Error → Continue (using error output), every failing item leaves by the error output, paired; the others by the success output', async () => {
	// n8n moves an item to the error output when it carries its error, or when its JSON holds only
	// error, message and details: an error item with a description, an HTTP code or outcomeUnknown
	// must carry its error to get there.
	await sandbox.faults({ rules: [{ kind: '5xx-after', method: 'POST', times: 1, pathPattern: 'orders$', after: 3 }] });
	const items = [row(0), row(1, { email: 'not-an-email' }), row(2, { sku_id: 99999 }), row(3), row(4), row(5)];
	const result = await run(createRows(1), { items, typeVersion: 2, nodeSettings: { onError: 'continueErrorOutput' } });
	expect(result.error).toBeUndefined();
	const [success, failure] = result.run.data.resultData.runData.HelloTech[0].data.main;
	expect(success.map((item) => [item.pairedItem.item, item.json.purchase_order_id])).toEqual([
		[0, 'PO-0'],
		[3, 'PO-3'],
		[5, 'PO-5'],
	]);
	expect(failure.map((item) => [item.pairedItem.item, item.json.error])).toEqual([
		[1, 'Email (column "email"): "not-an-email" is not an email address [item 1: purchase order PO-1, Maya Lopez 1]'],
		[2, 'HelloTech could not accept the data: Sku 99999 does not exist [item 2: purchase order PO-2, Maya Lopez 2]'],
		[4, expect.stringContaining('run the sheet again, and Skip Orders Already Booked finds purchase order PO-4 if it was created, or books it if it was not [item 4: purchase order PO-4, Maya Lopez 4]')],
	]);
	// There the facts of each error travel under details (n8n routes only error, message and details),
	// next to the input row's own fields, which n8n adds to an error-output item.
	expect(failure.map((item) => item.json.details)).toEqual([
		undefined, // a bad field: the message says it all
		{ description: 'POST /api/partners/orders answered HTTP 422.', httpCode: '422' },
		expect.objectContaining({ httpCode: '500', outcomeUnknown: true }),
	]);
	expect(failure[2].json.purchase_order_id).toBe('PO-4');
});

test('when the node stops, the items already completed are named as runs, so a long sheet stays one line', async () => {
	// Version 1 (which lists no order IDs): 20 done, then a create HelloTech refuses.
	const items = Array.from({ length: 25 }, (_, i) => (i === 20 ? { ...v1Row(i), skus: 99999 } : v1Row(i)));
	const result = await run(orderFromRow({ requestOptions: { maxConcurrent: 1 } }), { items, typeVersion: 1 });
	expect(result.error.message).toContain('Sku 99999 does not exist [item 20]');
	expect(result.error.description).toContain('Items 0-19 had already completed before the node stopped');
});
