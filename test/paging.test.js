'use strict';
// Get Many's Return All / Limit against servers that page in different ways: pages capped below
// the size asked for, totals, named cursors, a cursor that is only an ID threshold, one ignored.
const { sandbox, run, jsons } = require('./helpers');

const getMany = (overrides = {}) => ({ resource: 'order', operation: 'getAll', ...overrides });
const listCalls = async () => (await sandbox.state()).log.filter((e) => e.method === 'GET' && e.path === '/api/partners/orders');
const idsOf = (result) => jsons(result).map((order) => order.id);

beforeEach(() => sandbox.reset());

describe('a short page is not the end unless the answer proves it', () => {
	test('Return All: 1,050 orders from a server that caps pages at 50 and names no cursor', async () => {
		await sandbox.reset({ maxPageSize: 50 });
		const { ids } = await sandbox.seedOrders({ count: 1050, spacingMs: 1000 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(ids);
		// 21 pages of 50, then the empty page that proves the end.
		expect(await listCalls()).toHaveLength(22);
	});

	test('Limit 120 from the same server: 120 orders', async () => {
		await sandbox.reset({ maxPageSize: 50 });
		const { ids } = await sandbox.seedOrders({ count: 300, spacingMs: 1000 });
		const result = await run(getMany({ limit: 120, filters: { sort: 'ASC' } }));
		expect(idsOf(result)).toEqual(ids.slice(0, 120));
		expect((await listCalls()).map((call) => call.query.limit)).toEqual(['100', '70', '20']);
	});

	test('a total in the answer ends paging when reached, without the extra request', async () => {
		await sandbox.reset({ maxPageSize: 50, includeTotal: true });
		const { ids } = await sandbox.seedOrders({ count: 120, spacingMs: 1000 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(idsOf(result)).toEqual(ids);
		expect(await listCalls()).toHaveLength(3);
	});

	test('a named cursor that is null ends paging at once', async () => {
		await sandbox.reset({ paginationStyle: 'next_cursor', maxPageSize: 50 });
		const { ids } = await sandbox.seedOrders({ count: 120, spacingMs: 1000 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(idsOf(result)).toEqual(ids);
		expect(await listCalls()).toHaveLength(3);
	});

	test('SKU Get Many: every SKU of a catalogue served 50 at a time', async () => {
		const skus = Array.from({ length: 130 }, (_, i) => ({ id: 20000 + i, name: `Service ${i}`, category: 'Test', price: 10, zipPrefixes: ['9'] }));
		await sandbox.reset({ maxPageSize: 50, skus });
		const result = await run({ resource: 'sku', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(skus.map((sku) => sku.id));
	});

	const paging = (calls) => calls.map((call) => [call.query.limit, call.query.cursor, call.query.page]);

	test('a server that takes limit but ignores cursor and page: a full page repeated is an error, not a part passed off as all', async () => {
		await sandbox.reset({ ignoreCursor: true, maxPageSize: 500 });
		await sandbox.seedOrders({ count: 130 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		const calls = await listCalls();
		// The first page; the cursor, answered with it again; page 2, the same; 101 asked for: 101 came.
		expect(paging(calls)).toEqual([
			['100', undefined, undefined],
			['100', calls[1].query.cursor, undefined],
			['100', undefined, '2'],
			['101', undefined, undefined],
		]);
		expect(result.error.message).toBe(
			`HelloTech answered the page after cursor ${calls[1].query.cursor} with orders already read, and page 2 as well: it does not page this list, so it cannot be read to the end (100 orders read) [item 0]`,
		);
		expect(result.error.description).toBe(
			'GET /api/partners/orders ignores cursor and page, and its first answer shows the list goes on: it held the 100 orders asked for, and more when asked for 101.',
		);
	});

	test.each([
		['a next cursor', { paginationStyle: 'next_cursor' }],
		['a total', { includeTotal: true }],
	])('a server whose short first page names %s, and that ignores cursor and page: an error', async (_, options) => {
		await sandbox.reset({ maxPageSize: 10, ignoreCursor: true, ...options });
		await sandbox.seedOrders({ count: 30 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(paging(await listCalls())).toHaveLength(3);
		expect(result.error.message).toMatch(/^HelloTech answered the page after cursor \d+ with orders already read, and page 2 as well: it does not page this list, so it cannot be read to the end \(10 orders read\) \[item 0\]$/);
		expect(result.error.description).toMatch(/it named a next cursor or a larger total\.$/);
	});

	test('a whole list of exactly 100 from a server that ignores limit and cursor: all of it, once 101 asked for brings no more', async () => {
		await sandbox.reset({ orderPaging: 'whole' });
		const { ids } = await sandbox.seedOrders({ count: 100, spacingMs: 1000 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(ids);
		expect(paging(await listCalls())).toEqual([
			['100', undefined, undefined],
			['100', String(ids[99]), undefined],
			['100', undefined, '2'],
			['101', undefined, undefined],
		]);
	});

	test.each([
		['capped at 30 a page', { maxPageSize: 30 }],
		['taking limit', {}],
	])('a server that pages by number (%s), ignoring the cursor: every order once, in order', async (_, options) => {
		await sandbox.reset({ orderPaging: 'page', ...options });
		const { ids } = await sandbox.seedOrders({ count: 250, spacingMs: 1000 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(ids);
		const limited = await run(getMany({ limit: 120, filters: { sort: 'ASC' } }));
		expect(idsOf(limited)).toEqual(ids.slice(0, 120));
	});

	test('a cursor that counts its own record in (pages overlapping by one): every order once, also when the last page holds only it', async () => {
		await sandbox.reset({ cursorInclusive: true });
		const { ids } = await sandbox.seedOrders({ count: 199, spacingMs: 1000 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(ids);
		expect(paging(await listCalls()).map(([, cursor]) => cursor)).toEqual([undefined, String(ids[99]), String(ids[198])]);
	});
});

describe('Order By other than creation', () => {
	/** 250 orders whose appointments run in another order than their creation (and IDs). */
	async function seedAppointments() {
		const start = Date.now() + 86_400_000;
		const orders = Array.from({ length: 250 }, (_, i) => ({ appointmentMs: start + ((i * 97) % 250) * 3_600_000 }));
		orders[10].appointmentMs = undefined; // not booked yet
		const { ids } = await sandbox.seedOrders(orders);
		const when = new Map(ids.map((id, i) => [id, orders[i].appointmentMs ?? Infinity]));
		const byAppointment = (direction) => [...ids].sort((a, b) => direction * (when.get(a) - when.get(b) || a - b));
		return { ascending: byAppointment(1), descending: byAppointment(-1) };
	}

	test('Return All by appointment, from a server whose cursor is an ID threshold: every order once, in appointment order', async () => {
		await sandbox.reset({ cursorStyle: 'id' });
		const { ascending } = await seedAppointments();
		const result = await run(getMany({ returnAll: true, filters: { orderBy: 'appointment', sort: 'ASC' } }));
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(ascending);
	});

	test('Limit 150 by appointment, descending, from the same server', async () => {
		await sandbox.reset({ cursorStyle: 'id' });
		const { descending } = await seedAppointments();
		const result = await run(getMany({ limit: 150, filters: { orderBy: 'appointment', sort: 'DESC' } }));
		expect(idsOf(result)).toEqual(descending.slice(0, 150));
	});

	test('a Limit that one page answers is that page, as HelloTech sorted it', async () => {
		await sandbox.reset({ cursorStyle: 'id' });
		const { ascending } = await seedAppointments();
		const result = await run(getMany({ limit: 30, filters: { orderBy: 'appointment', sort: 'ASC' } }));
		expect(idsOf(result)).toEqual(ascending.slice(0, 30));
		expect(await listCalls()).toHaveLength(1);
	});

	test('a server that names its next cursor is followed in appointment order', async () => {
		await sandbox.reset({ paginationStyle: 'meta', maxPageSize: 40 });
		const { descending } = await seedAppointments();
		const result = await run(getMany({ returnAll: true, filters: { orderBy: 'appointment', sort: 'DESC' } }));
		expect(idsOf(result)).toEqual(descending);
		const calls = await listCalls();
		expect(calls).toHaveLength(7);
		expect(calls.every((call) => call.query.order_by === 'appointment')).toBe(true);
	});

	test('Return All by creation from the ID-threshold server pages by the last ID, as before', async () => {
		await sandbox.reset({ cursorStyle: 'id' });
		const { ids } = await sandbox.seedOrders({ count: 250 });
		const result = await run(getMany({ returnAll: true, filters: { orderBy: 'created_at', sort: 'DESC' } }));
		expect(idsOf(result)).toEqual([...ids].reverse());
		expect((await listCalls()).map((call) => call.query.cursor)).toEqual([undefined, String(ids[150]), String(ids[50]), String(ids[0])]);
	});
});

describe('a server that sends its whole SKU catalogue at once, ignoring limit and cursor', () => {
	const { loadOptions } = require('./harness/engine');
	const { credentials } = require('./helpers');
	const { DEFAULT_SKUS } = require('./sandbox/state');
	const { orderFromRow } = require('./fixtures');
	const picker = (method, options = {}) => loadOptions(method, { credentials: credentials(), ...options });
	const row = (fields = {}) => ({ first: 'Ada', last: 'L', email: 'ada@example.com', phone: '3105550123', address: '719 Flower St, Los Angeles, CA 90017', skus: '10639', po: 'PO-1', ...fields });
	const skuIds = DEFAULT_SKUS.map((sku) => sku.id);

	beforeEach(() => sandbox.reset({ skuPaging: 'whole' }));

	test('SKU → Get Many, Return All: every SKU once', async () => {
		const result = await run({ resource: 'sku', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(idsOf(result)).toEqual(skuIds);
	});

	test('Validate Only: a good row is valid, an unknown SKU is named', async () => {
		const result = await run(orderFromRow({ requestOptions: { validateOnly: true } }), { items: [row(), row({ skus: '99999', po: 'PO-2' })] });
		expect(result.error).toBeUndefined();
		expect(jsons(result).map(({ valid, problems }) => ({ valid, problems }))).toEqual([
			{ valid: true, problems: [] },
			{ valid: false, problems: [{ field: 'SKU Names or IDs', message: "SKU 99999 is not in HelloTech's catalogue" }] },
		]);
	});

	test('Check Availability First names a SKU HelloTech does not know', async () => {
		const result = await run(orderFromRow({ requestOptions: { checkAvailability: true } }), { items: [row({ skus: '99999' })] });
		expect(result.error.message).toBe("SKU Names or IDs: SKU 99999 is not in HelloTech's catalogue [item 0]");
	});

	test("version 1's SKU list lists each SKU once", async () => {
		const options = await picker('getSkus');
		expect(options.map((option) => option.value).sort()).toEqual(skuIds);
	});

	test('the SKU picker lists each SKU once, also when n8n asks for more', async () => {
		const seen = [];
		let token;
		for (let load = 0; load < 3; load++) {
			const answer = await picker('searchSkus', { paginationToken: token, typeVersion: 2 });
			seen.push(...answer.results.map((result) => result.value));
			token = answer.paginationToken;
			if (token === undefined) break;
		}
		expect(seen).toEqual(skuIds.map(String));
		const { results } = await picker('searchSkus', { filter: 'smart', typeVersion: 2 });
		expect(results.map((result) => result.value)).toEqual(['10640', '10642', '10644']);
	});
});
