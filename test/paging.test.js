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

	test.each(['none', 'next_cursor'])('a server that ignores the cursor (%s style): the node says so instead of returning a part as all', async (style) => {
		await sandbox.reset({ paginationStyle: style, maxPageSize: 10, ignoreCursor: true });
		await sandbox.seedOrders({ count: 30 });
		const result = await run(getMany({ returnAll: true, filters: { sort: 'ASC' } }));
		const calls = await listCalls();
		expect(calls).toHaveLength(2);
		expect(result.error.message).toBe(
			`HelloTech answered the page after cursor ${calls[1].query.cursor} with orders already read: it does not page this list, so it cannot be read to the end (10 orders read) [item 0]`,
		);
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
