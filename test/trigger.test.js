'use strict';
// HelloTech Trigger through n8n-core's poll path (PollTriggerExecutor → PollContext → poll()),
// against the sandbox over HTTP. Each "active trigger" carries the workflow static data from one
// poll to the next, as n8n does, including whatever a failed poll left behind.
const path = require('path');

const { sandbox, credentials } = require('./helpers');
const { pollTrigger, testTrigger } = require('./harness/engine');
const { NODE, nodeState, seenIds, activate } = require('./trigger-helpers');

const ASSIGNED = 2;
const COMPLETED = 3;
const CANCELLED = 4;
const SEARCHING = 1;

/** A poll that must succeed; resolves with the emitted items' JSON ([] when it emitted nothing). */
async function events(trigger) {
	const result = await trigger.poll();
	expect(result.error).toBeUndefined();
	return (result.items ?? []).map((item) => item.json);
}

let clock;
beforeEach(async () => {
	await sandbox.reset();
	clock = Date.now();
});

/** Adds orders created one second apart, after everything already there. Resolves with their ids. */
async function addOrders(count, fields = () => ({})) {
	const orders = Array.from({ length: count }, (_, i) => ({ createdAtMs: (clock += 1000), ...fields(i) }));
	return (await sandbox.seedOrders(orders)).ids;
}

/** Orders created before activation: one a minute, the last one a minute ago. */
const existingOrders = async (count, fields) =>
	(await sandbox.seedOrders({ count, spacingMs: 60_000, ...(fields ? { fields } : {}) })).ids;

const listRequests = async () =>
	(await sandbox.state()).log.filter((entry) => entry.method === 'GET' && entry.path === '/api/partners/orders');

describe('HelloTech Trigger: New Order', () => {
	test('the first poll after activation emits nothing and records where it stands', async () => {
		const ids = await existingOrders(30);
		const trigger = activate({ event: 'newOrder' });

		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		// The last ten minutes of orders (created_at within 600 s of the newest) stay to be read
		// again; the order before them is where the next poll's list starts.
		expect(trigger.state.anchor[0]).toBe(ids[18]);
		expect(seenIds(trigger.state)).toEqual(ids.slice(19));
		const [seed] = await listRequests();
		expect(seed.query).toMatchObject({ order_by: 'created_at', sort: 'DESC' });

		expect(await events(trigger)).toEqual([]);
		const [, again] = await listRequests();
		expect(again.query).toMatchObject({ order_by: 'created_at', sort: 'ASC', cursor: String(ids[18]) });
	});

	test('orders created between polls are each emitted once, in creation order, across pages', async () => {
		await existingOrders(3);
		const trigger = activate({ event: 'newOrder' });
		expect(await events(trigger)).toEqual([]);

		const created = await addOrders(250);
		const emitted = await events(trigger);
		expect(emitted.map((order) => order.id)).toEqual(created);
		expect(emitted[0]).toMatchObject({ event: 'newOrder', status: 'Pending', status_code: 0, email: 'client@example.com' });
		expect((await listRequests()).length).toBeGreaterThanOrEqual(1 + 3); // activation, then three pages of 100

		expect(await events(trigger)).toEqual([]);
		const more = await addOrders(5);
		expect((await events(trigger)).map((order) => order.id)).toEqual(more);
		expect(await events(trigger)).toEqual([]);
	});

	test('an order that enters the list late, behind orders already emitted, is emitted once', async () => {
		const trigger = activate({ event: 'newOrder' });
		expect(await events(trigger)).toEqual([]);
		const start = clock;
		const [a, c] = await sandbox
			.seedOrders([{ createdAtMs: start + 10_000 }, { createdAtMs: start + 30_000 }])
			.then((answer) => answer.ids);
		expect((await events(trigger)).map((order) => order.id)).toEqual([a, c]);

		// Created (created_at) before a, but only visible now, as from a slow transaction.
		const [b] = (await sandbox.seedOrders([{ createdAtMs: start + 5_000 }])).ids;
		expect((await events(trigger)).map((order) => order.id)).toEqual([b]);
		expect(await events(trigger)).toEqual([]);
		// The next poll's list still starts before all three (they are within the look-back).
		expect(seenIds(trigger.state)).toEqual([a, b, c].sort((x, y) => x - y));
	});

	test('only orders with one of the tags', async () => {
		const trigger = activate({ event: 'newOrder', tags: 'store-42, vip' });
		expect(await events(trigger)).toEqual([]);
		const ids = await addOrders(4, (i) => ({ tags: [['store-42'], ['other'], ['vip', 'x'], []][i] }));
		expect((await events(trigger)).map((order) => order.id)).toEqual([ids[0], ids[2]]);
		const last = (await listRequests()).pop();
		expect(last.query.tags).toEqual(['store-42', 'vip']);
	});

	test('a poll that fails on its second page emits nothing and keeps its state; the next poll emits every order once', async () => {
		await existingOrders(30);
		const trigger = activate({ event: 'newOrder' });
		expect(await events(trigger)).toEqual([]);
		const before = JSON.stringify(trigger.staticData);
		const created = await addOrders(250);

		// Page 1 answers; page 2 fails on every attempt the transport makes (it retries GETs 5 times).
		await sandbox.faults({ rules: [{ kind: '5xx-before', method: 'GET', pathPattern: '^/api/partners/orders$', after: 1, times: 5 }] });
		const failed = await trigger.poll();
		expect(failed.items).toBeNull();
		expect(failed.error.message).toMatch(/HelloTech/);
		expect(JSON.stringify(trigger.staticData)).toBe(before);

		const emitted = await events(trigger);
		expect(emitted.map((order) => order.id)).toEqual(created);
		expect(await events(trigger)).toEqual([]);
	});

	test('when HelloTech refuses the stored position as a cursor, the poll reads from the day before it and repeats nothing', async () => {
		const ids = await existingOrders(30);
		const trigger = activate({ event: 'newOrder' });
		expect(await events(trigger)).toEqual([]);
		const created = await addOrders(3);

		await sandbox.faults({
			rules: [{ kind: '5xx-before', status: 422, body: { errors: ['cursor does not name an order'] }, method: 'GET', pathPattern: '^/api/partners/orders$', times: 1 }],
		});
		expect((await events(trigger)).map((order) => order.id)).toEqual(created);
		const requests = await listRequests();
		const refusedAt = requests.findIndex((entry) => entry.status === 422);
		const [refused, fallback] = requests.slice(refusedAt, refusedAt + 2);
		expect(refused.query.cursor).toBe(String(ids[18]));
		expect(fallback.query.cursor).toBeUndefined();
		expect(fallback.query.from).toMatch(/^\d{2}-\d{2}-\d{4}$/);
		expect(await events(trigger)).toEqual([]);
	});

	test('a server that answers fewer orders than asked for, naming no next cursor, cannot make a poll stop early', async () => {
		await sandbox.reset({ maxPageSize: 30 });
		await existingOrders(40);
		const trigger = activate({ event: 'newOrder' });
		expect(await events(trigger)).toEqual([]);
		const created = await addOrders(100);
		expect((await events(trigger)).map((order) => order.id)).toEqual(created);
		expect(await events(trigger)).toEqual([]);
	});

	test('changing the tags starts afresh: nothing old is emitted', async () => {
		await existingOrders(3, { tags: ['vip'] });
		const trigger = activate({ event: 'newOrder' });
		expect(await events(trigger)).toEqual([]);
		const [created] = await addOrders(1, () => ({ tags: ['vip'] }));
		const retagged = await pollTrigger(
			{ event: 'newOrder', tags: 'vip' },
			{ credentials: credentials(), staticData: trigger.staticData, nodeName: NODE },
		);
		expect(retagged.error).toBeUndefined();
		expect(retagged.items).toBeNull();
		expect(seenIds(nodeState(retagged.staticData))).toContain(created);
	});
});

describe('HelloTech Trigger: Order Status Changed', () => {
	test('each change is emitted once with the previous status; a final status ends the watch', async () => {
		const ids = await existingOrders(6);
		const trigger = activate({ event: 'statusChanged' });
		expect(await events(trigger)).toEqual([]);
		expect(trigger.state.watched.map(([id]) => id).sort()).toEqual([...ids].sort());

		await sandbox.setOrderStatus(ids[0], SEARCHING);
		await sandbox.setOrderStatus(ids[1], ASSIGNED);
		await sandbox.setOrderStatus(ids[2], CANCELLED);
		const changes = await events(trigger);
		expect(changes.map((order) => [order.id, order.previous_status, order.previous_status_code, order.status, order.status_code])).toEqual([
			[ids[0], 'Pending', 0, 'Searching', SEARCHING],
			[ids[1], 'Pending', 0, 'Assigned', ASSIGNED],
			[ids[2], 'Pending', 0, 'Cancelled', CANCELLED],
		]);
		expect(changes.every((order) => order.event === 'statusChanged')).toBe(true);
		expect(trigger.state.watched.map(([id]) => id)).not.toContain(ids[2]);
		// The cancelled order had left the open-orders list: its status came from GET /orders/{id}.
		const fetched = (await sandbox.state()).log.filter((entry) => entry.path === `/api/partners/orders/${ids[2]}`);
		expect(fetched).toHaveLength(1);

		expect(await events(trigger)).toEqual([]);
		await sandbox.setOrderStatus(ids[1], COMPLETED);
		expect((await events(trigger)).map((order) => [order.id, order.previous_status, order.status])).toEqual([
			[ids[1], 'Assigned', 'Completed'],
		]);
		expect(trigger.state.watched.map(([id]) => id).sort()).toEqual([ids[0], ids[3], ids[4], ids[5]].sort());
		expect(await events(trigger)).toEqual([]);
	});

	test('orders created between two polls: a changed one gives an event without a previous status, a pending one none', async () => {
		const trigger = activate({ event: 'statusChanged' });
		expect(await events(trigger)).toEqual([]);
		const [assigned, cancelled, pending] = await addOrders(3);
		await sandbox.setOrderStatus(assigned, ASSIGNED);
		await sandbox.setOrderStatus(cancelled, CANCELLED);

		const changes = await events(trigger);
		expect(changes.map((order) => [order.id, order.previous_status, order.previous_status_code, order.status_code])).toEqual([
			[assigned, null, null, ASSIGNED],
			[cancelled, null, null, CANCELLED],
		]);
		expect(trigger.state.watched.map(([id]) => id).sort()).toEqual([assigned, pending].sort());
		await sandbox.setOrderStatus(pending, SEARCHING);
		expect((await events(trigger)).map((order) => [order.id, order.previous_status])).toEqual([[pending, 'Pending']]);
	});

	test('Into Statuses: only changes into the chosen statuses are emitted, the others still tracked', async () => {
		const ids = await existingOrders(3);
		const trigger = activate({ event: 'statusChanged', statuses: [String(ASSIGNED)] });
		expect(await events(trigger)).toEqual([]);

		await sandbox.setOrderStatus(ids[0], SEARCHING);
		await sandbox.setOrderStatus(ids[1], CANCELLED);
		await sandbox.setOrderStatus(ids[2], ASSIGNED);
		expect((await events(trigger)).map((order) => [order.id, order.status])).toEqual([[ids[2], 'Assigned']]);

		await sandbox.setOrderStatus(ids[0], ASSIGNED);
		expect((await events(trigger)).map((order) => [order.id, order.previous_status, order.status])).toEqual([
			[ids[0], 'Searching', 'Assigned'],
		]);
	});

	test('with pages shorter than asked for, every open order is still read: no order is fetched one by one', async () => {
		await sandbox.reset({ maxPageSize: 30 });
		const ids = await existingOrders(45);
		const trigger = activate({ event: 'statusChanged' });
		expect(await events(trigger)).toEqual([]);
		expect(trigger.state.watched).toHaveLength(45);
		await sandbox.setOrderStatus(ids[0], ASSIGNED);
		expect((await events(trigger)).map((order) => [order.id, order.status])).toEqual([[ids[0], 'Assigned']]);
		const fetched = (await sandbox.state()).log.filter((entry) => /^\/api\/partners\/orders\/\d+$/.test(entry.path));
		expect(fetched).toEqual([]);
	});

	test('Into Statuses takes names from an expression too, and names a wrong one', async () => {
		const ids = await existingOrders(2);
		const trigger = activate({ event: 'statusChanged', statuses: '={{ ["assigned"] }}' });
		expect(await events(trigger)).toEqual([]);
		await sandbox.setOrderStatus(ids[0], ASSIGNED);
		await sandbox.setOrderStatus(ids[1], SEARCHING);
		expect((await events(trigger)).map((order) => order.id)).toEqual([ids[0]]);

		const wrong = await pollTrigger(
			{ event: 'statusChanged', statuses: '={{ ["ASSIGNED", "DONE"] }}' },
			{ credentials: credentials(), nodeName: NODE },
		);
		expect(wrong.error.message).toBe('Into Statuses: "DONE" is not an order status (a code 0 to 15 or a name such as ASSIGNED)');
		expect(nodeState(wrong.staticData)).toBeUndefined();
	});

	test('only orders with one of the tags', async () => {
		const tagged = (await sandbox.seedOrders([{ tags: ['vip'] }, { tags: ['other'] }, { tags: ['vip'] }])).ids;
		const trigger = activate({ event: 'statusChanged', tags: 'vip' });
		expect(await events(trigger)).toEqual([]);
		expect(trigger.state.watched.map(([id]) => id).sort()).toEqual([tagged[0], tagged[2]].sort());
		for (const id of tagged) await sandbox.setOrderStatus(id, ASSIGNED);
		expect((await events(trigger)).map((order) => order.id)).toEqual([tagged[0], tagged[2]]);
	});

	test('a poll that fails halfway emits nothing and keeps its state; the next one emits each change once', async () => {
		const ids = await existingOrders(5);
		const trigger = activate({ event: 'statusChanged' });
		expect(await events(trigger)).toEqual([]);
		const before = JSON.stringify(trigger.staticData);

		await sandbox.setOrderStatus(ids[0], ASSIGNED);
		await sandbox.setOrderStatus(ids[1], COMPLETED);
		// The lists answer; fetching the completed order (it left the open list) fails on all 5 attempts.
		await sandbox.faults({ rules: [{ kind: '5xx-before', method: 'GET', pathPattern: '^/api/partners/orders/\\d+$', times: 5 }] });
		const failed = await trigger.poll();
		expect(failed.items).toBeNull();
		expect(failed.error.message).toMatch(/HelloTech/);
		expect(JSON.stringify(trigger.staticData)).toBe(before);

		expect((await events(trigger)).map((order) => [order.id, order.previous_status, order.status])).toEqual([
			[ids[0], 'Pending', 'Assigned'],
			[ids[1], 'Pending', 'Completed'],
		]);
		expect(await events(trigger)).toEqual([]);
	});
});

describe('HelloTech Trigger: manual test run', () => {
	test('returns the most recent matching order and leaves the stored state alone', async () => {
		await existingOrders(3, { tags: ['vip'] });
		const ids = await addOrders(3, (i) => ({ tags: [['vip'], ['other'], []][i] }));
		const trigger = activate({ event: 'newOrder', tags: 'vip' });
		expect(await events(trigger)).toEqual([]);
		const stored = JSON.parse(JSON.stringify(trigger.staticData));

		const test = await testTrigger({ event: 'newOrder', tags: 'vip' }, { credentials: credentials(), staticData: stored, nodeName: NODE });
		expect(test.error).toBeUndefined();
		expect(test.output.map((item) => [item.json.id, item.json.event])).toEqual([[ids[0], 'newOrder']]);
		expect(test.staticData).toEqual(trigger.staticData);

		await sandbox.setOrderStatus(ids[1], ASSIGNED);
		const assigned = await testTrigger(
			{ event: 'statusChanged', statuses: [String(ASSIGNED)] },
			{ credentials: credentials(), nodeName: NODE },
		);
		expect(assigned.output.map((item) => [item.json.id, item.json.status_code, item.json.previous_status])).toEqual([[ids[1], ASSIGNED, null]]);
	});

	test('says so when no order matches', async () => {
		const test = await testTrigger({ event: 'newOrder', tags: 'nobody' }, { credentials: credentials(), nodeName: NODE });
		expect(test.output).toEqual([]);
		expect(test.error.message).toBe('No HelloTech order matches this trigger yet');
	});
});

describe('HelloTech Trigger: state over many polls', () => {
	const FINAL = [3, 4, 5, 6];
	/** The documented bound: 300 bytes, up to 4 per order ID of the look-back, 30 per watched order. */
	const bound = (seen, maxWatched) => 300 + 4 * seen + 30 * maxWatched;
	const byId = (a, b) => a[0] - b[0];
	/** IDs of the orders created in the last 10 minutes (of created_at) before the newest. */
	const lookBack = (orders) => {
		const newest = Math.max(...orders.map((order) => order.created_at.integer));
		return orders.filter((order) => order.created_at.integer >= newest - 600).map((order) => order.id).sort((a, b) => a - b);
	};

	test('stays bounded while orders keep coming and finishing, and every change is still emitted once', async () => {
		const maxWatched = 50;
		await existingOrders(120);
		const newOrders = activate({ event: 'newOrder' });
		const statuses = activate({ event: 'statusChanged', options: { maxWatched } });
		expect(await events(newOrders)).toEqual([]);
		expect(await events(statuses)).toEqual([]);
		expect(statuses.state.watched).toHaveLength(maxWatched);

		for (let round = 0; round < 30; round++) {
			const created = await addOrders(40);
			// The ten newest open orders from before this round (watched since the last poll):
			// every other one completes, the rest move on (Pending → Assigned → Completed).
			const open = (await sandbox.state()).orders
				.filter((order) => !FINAL.includes(order.status_code) && !created.includes(order.id))
				.sort((a, b) => b.created_at.integer - a.created_at.integer || b.id - a.id)
				.slice(0, 10);
			const expected = [];
			for (const [i, order] of open.entries()) {
				const to = i % 2 === 0 || order.status_code === ASSIGNED ? COMPLETED : ASSIGNED;
				await sandbox.setOrderStatus(order.id, to);
				expected.push([order.id, order.status_code, to]);
			}

			expect((await events(newOrders)).map((order) => order.id)).toEqual(created);
			const changes = (await events(statuses)).map((order) => [order.id, order.previous_status_code, order.status_code]);
			expect(changes.sort(byId)).toEqual(expected.sort(byId));

			const window = lookBack((await sandbox.state()).orders);
			for (const trigger of [newOrders, statuses]) {
				expect(seenIds(trigger.state)).toEqual(window);
				expect(JSON.stringify(trigger.state).length).toBeLessThanOrEqual(bound(window.length, maxWatched));
			}
			expect(newOrders.state.watched).toEqual([]);
			expect(statuses.state.watched.length).toBeLessThanOrEqual(maxWatched);
			expect(statuses.state.watched.every(([, code]) => !FINAL.includes(code))).toBe(true);
		}
		// 1,320 orders later: the look-back holds the last 10 minutes (an order a second) and the
		// watch holds the newest open orders.
		expect(statuses.state.seen).toHaveLength(601);
		expect(statuses.state.watched).toHaveLength(maxWatched);
		const newestOpen = (await sandbox.state()).orders
			.filter((order) => !FINAL.includes(order.status_code))
			.sort((a, b) => b.created_at.integer - a.created_at.integer || b.id - a.id)
			.slice(0, maxWatched)
			.map((order) => order.id);
		expect(statuses.state.watched.map(([id]) => id).sort()).toEqual(newestOpen.sort());
	});
});

describe('examples/new-order-message.json', () => {
	test("its trigger emits each new order, and every field its message uses is on the trigger's item", async () => {
		const workflow = require(path.join(__dirname, '..', 'examples', 'new-order-message.json'));
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-hellotech.helloTechTrigger');
		const compose = workflow.nodes.find((node) => node.name === workflow.connections[trigger.name].main[0][0].node);
		const used = [...JSON.stringify(compose.parameters).matchAll(/\$json\.([a-z_]+)/g)].map((match) => match[1]);
		expect(used.length).toBeGreaterThan(3);

		await existingOrders(2);
		const active = activate(trigger.parameters);
		expect(await events(active)).toEqual([]);
		const [id] = await addOrders(1, () => ({ client_name: 'Maya Lopez', email: 'maya@example.com' }));
		const [order] = await events(active);
		expect(order.id).toBe(id);
		for (const field of used) expect([field, order[field]]).toEqual([field, expect.anything()]);
	});
});
