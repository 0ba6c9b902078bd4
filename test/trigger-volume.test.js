'use strict';
// HelloTech Trigger (New Order) at volume, through n8n-core's poll path against the sandbox:
// thousands of orders per look-back window, many sharing one created_at second, orders that
// enter the list late, a failing poll among them, and the state a version-1 trigger stored.
const { sandbox } = require('./helpers');
const { NODE, seenIds, activate } = require('./trigger-helpers');

const LOOKBACK_SECONDS = 600;
const NEW_ORDER_KEY = JSON.stringify({ event: 'newOrder', tags: [] });

/** A poll that must succeed: the emitted order IDs, in the order emitted. */
async function emittedIds(trigger) {
	const result = await trigger.poll();
	expect(result.error).toBeUndefined();
	return (result.items ?? []).map((item) => item.json.id);
}

const add = async (orders) => (await sandbox.seedOrders(orders)).ids;

/** The start of a whole second, a minute from now: orders the tests create come after those seeded "now". */
let second;
beforeEach(async () => {
	await sandbox.reset();
	second = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
});

const sorted = (ids) => [...ids].sort((a, b) => a - b);

describe('HelloTech Trigger at volume', () => {
	test('2,000 orders per 10 minutes, polled each minute, with orders listed up to 9 minutes late and a failing poll: each order emitted once', async () => {
		await sandbox.seedOrders({ count: 50, spacingMs: 3000 }); // before activation
		const trigger = activate({ event: 'newOrder' });
		expect(await emittedIds(trigger)).toEqual([]);

		const created = [];
		const emitted = [];
		let minuteStart = second;
		for (let minute = 0; minute < 12; minute++) {
			// 200 new orders this minute, 0.3 s apart ...
			const orders = Array.from({ length: 200 }, (_, i) => ({ createdAtMs: minuteStart + i * 300 }));
			// ... and, from the fourth minute on, 10 orders created 2 to 9 minutes ago that enter the
			// list only now, behind orders already emitted (a slow transaction on HelloTech's side).
			if (minute >= 3) {
				for (let k = 0; k < 10; k++) orders.push({ createdAtMs: minuteStart - 60_000 * (2 + (k % 8)) + 17 * k + 5 });
			}
			created.push(...(await add(orders)));
			minuteStart += 60_000;

			if (minute === 6) {
				// This minute's poll fails on its fifth page (every attempt): nothing is emitted or stored.
				const before = JSON.stringify(trigger.staticData);
				await sandbox.faults({
					rules: [{ kind: '5xx-before', method: 'GET', pathPattern: '^/api/partners/orders$', after: 4, times: 5 }],
				});
				const failed = await trigger.poll();
				expect(failed.items).toBeNull();
				expect(failed.error.message).toMatch(/HelloTech/);
				expect(JSON.stringify(trigger.staticData)).toBe(before);
				continue;
			}
			emitted.push(...(await emittedIds(trigger)));
		}
		expect(emitted.length).toBe(created.length);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(sorted(emitted)).toEqual(sorted(created));
		expect(await emittedIds(trigger)).toEqual([]);

		// The state: the anchor, and the IDs of exactly the orders of the last 10 minutes of
		// created_at before the newest order (2,040 here), stored as differences.
		const { orders } = await sandbox.state();
		const newest = Math.max(...orders.map((order) => order.created_at.integer));
		const window = orders.filter((order) => order.created_at.integer >= newest - LOOKBACK_SECONDS).map((order) => order.id);
		expect(seenIds(trigger.state)).toEqual(sorted(window));
		expect(window.length).toBeGreaterThan(2000);
		expect(JSON.stringify(trigger.state).length).toBeLessThanOrEqual(200 + 4 * window.length);
	});

	test('same-second bursts: 300 orders in one second, 150 more in that second, then 50 listed late before them: each emitted once', async () => {
		await sandbox.seedOrders({ count: 5 });
		const trigger = activate({ event: 'newOrder' });
		expect(await emittedIds(trigger)).toEqual([]);

		const first = await add(Array.from({ length: 300 }, (_, i) => ({ createdAtMs: second + 100 + i })));
		expect(await emittedIds(trigger)).toEqual(first);
		const more = await add(Array.from({ length: 150 }, (_, i) => ({ createdAtMs: second + 400 + i })));
		expect(await emittedIds(trigger)).toEqual(more);
		// Same second, but created (in ms) before all of the above: HelloTech lists them first.
		const late = await add(Array.from({ length: 50 }, (_, i) => ({ createdAtMs: second + i })));
		expect(await emittedIds(trigger)).toEqual(late);
		expect(await emittedIds(trigger)).toEqual([]);
	});

	test('activated in the middle of a same-second burst: only the orders after activation are emitted', async () => {
		await add(Array.from({ length: 300 }, (_, i) => ({ createdAtMs: second + i })));
		const trigger = activate({ event: 'newOrder' });
		expect(await emittedIds(trigger)).toEqual([]);
		const after = await add(Array.from({ length: 100 }, (_, i) => ({ createdAtMs: second + 300 + i })));
		expect(await emittedIds(trigger)).toEqual(after);
		expect(await emittedIds(trigger)).toEqual([]);
	});
});

describe('HelloTech Trigger: state stored by version 1 of this package', () => {
	/** The static data version 1 stored: anchor [id, created_at], `recent` IDs in list order. */
	const v1State = (anchor, recent) => ({
		[`node:${NODE}`]: { v: 1, key: NEW_ORDER_KEY, anchor: [anchor.id, anchor.created_at.integer], recent, watched: [] },
	});
	const ordersById = async (ids) => {
		const { orders } = await sandbox.state();
		return ids.map((id) => orders.find((order) => order.id === id));
	};

	test('an upgraded trigger goes on from where version 1 stood: nothing re-emitted, nothing lost', async () => {
		const ids = (await sandbox.seedOrders({ count: 30, spacingMs: 60_000 })).ids;
		// What version 1 stored after its activation poll (see trigger.test.js): anchor ids[18], recent the rest.
		const [anchor] = await ordersById([ids[18]]);
		const trigger = activate({ event: 'newOrder' }, v1State(anchor, ids.slice(19)));

		const created = await add([{ createdAtMs: second }, { createdAtMs: second + 1000 }, { createdAtMs: second + 2000 }]);
		expect(await emittedIds(trigger)).toEqual(created);
		expect(trigger.state.v).toBe(2);
		expect(await emittedIds(trigger)).toEqual([]);
	});

	test('a version-1 anchor inside a busy second (its 200-ID cap): the later orders of that second are emitted, the handled ones not again', async () => {
		const burst = await add(Array.from({ length: 300 }, (_, i) => ({ createdAtMs: second + i })));
		// Version 1 kept at most 200 IDs: its anchor was the 100th order of the second.
		const [anchor] = await ordersById([burst[99]]);
		const trigger = activate({ event: 'newOrder' }, v1State(anchor, burst.slice(100)));

		const more = await add(Array.from({ length: 50 }, (_, i) => ({ createdAtMs: second + 300 + i })));
		expect(await emittedIds(trigger)).toEqual(more);
		expect(await emittedIds(trigger)).toEqual([]);
	});
});
