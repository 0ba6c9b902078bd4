'use strict';
// HelloTech Trigger and n8n's poll time budget (getPollBudgetMs), through n8n-core's poll path, on
// a controllable clock: this file runs its own sandbox, and the trigger's clock (budget.ts'
// pollClock) reads how many requests that sandbox has answered, each counting as a second. So
// "a poll that asks for 27 pages spends 27 s" holds exactly, whatever the machine's speed.
const path = require('path');
const { createSandbox } = require('./sandbox/server');
const { pollTrigger } = require('./harness/engine');

const { pollClock } = require(path.join(__dirname, '..', 'dist', 'nodes', 'HelloTechTrigger', 'budget.js'));

const NODE = 'HelloTech Trigger';
const REQUEST_MS = 1000;
const BUDGET_MS = 30_000;
const DAY_MS = 86_400_000;

let sandbox;
let credentials;
const realNow = pollClock.now;

beforeAll(async () => {
	sandbox = createSandbox();
	credentials = { apiKey: sandbox.apiKey, baseUrl: await sandbox.start(0) };
	const start = Date.now();
	pollClock.now = () => start + sandbox.stats.requests * REQUEST_MS;
});

afterAll(async () => {
	pollClock.now = realNow;
	await sandbox.stop();
});

beforeEach(() => sandbox.reset({ maxPageSize: 100 }));

/** An activated trigger whose polls get `pollBudgetMs`; each poll resolves with its emitted IDs and the requests it sent. */
function activate(parameters, pollBudgetMs) {
	let staticData;
	return {
		async poll(budget = pollBudgetMs) {
			const before = sandbox.stats.requests;
			const result = await pollTrigger(parameters, { credentials, staticData, nodeName: NODE, pollBudgetMs: budget });
			expect(result.error).toBeUndefined();
			staticData = result.staticData;
			return { ids: (result.items ?? []).map((item) => item.json.id), requests: sandbox.stats.requests - before };
		},
		get state() {
			return staticData[`node:${NODE}`];
		},
		set state(state) {
			staticData[`node:${NODE}`] = state;
		},
	};
}

/** `count` orders created over the day before now (a day of downtime), oldest first; their IDs. */
function backlog(count, make = () => ({})) {
	return sandbox.state.seedOrders(count, make, { spacingMs: Math.floor(DAY_MS / count) }).map((order) => order.id);
}

/** Orders from two days ago: what there was when the trigger was activated. */
const beforeActivation = () => sandbox.state.seedOrders(30, (i) => ({ createdAtMs: Date.now() - 2 * DAY_MS + i * 60_000 }));

/**
 * Polls until a poll emits nothing and did not stop on its budget. `between()` adds orders after
 * each poll until the backlog (`waiting`) is out. Every emitted ID, in order, each poll's
 * requests, the IDs added.
 */
async function drain(trigger, waiting, between = () => []) {
	const emitted = [];
	const polls = [];
	const added = [];
	for (let poll = 0; poll < 40; poll++) {
		const { ids, requests } = await trigger.poll();
		polls.push(requests);
		emitted.push(...ids);
		if (ids.length === 0 && !trigger.state.resume) return { emitted, polls, added };
		if (emitted.length < waiting.length) added.push(...between());
	}
	throw new Error(`the backlog was not drained in 40 polls: ${polls.join(', ')}`);
}

describe('New Order: a backlog of 20,000 orders after a day of downtime', () => {
	test('drains over several polls, each within its budget, every order emitted once, the ones created meanwhile too', async () => {
		beforeActivation();
		const trigger = activate({ event: 'newOrder' }, BUDGET_MS);
		expect((await trigger.poll()).ids).toEqual([]);
		const waiting = backlog(20_000);

		// Between polls, 25 more orders come in each time.
		const { emitted, polls, added } = await drain(trigger, waiting, () => sandbox.state.seedOrders(25, () => ({}), { spacingMs: 10 }).map((order) => order.id));
		const all = [...waiting, ...added];
		expect(emitted).toHaveLength(all.length);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect([...emitted].sort()).toEqual([...all].sort());
		// The backlog first, oldest first: the list's created_at order.
		expect(emitted.slice(0, waiting.length)).toEqual(waiting);

		// Each poll stopped asking for pages before the budget ran out, a tenth of it kept.
		expect(Math.max(...polls) * REQUEST_MS).toBeLessThanOrEqual(BUDGET_MS * 0.9);
		// 200 pages of 100 take 8 polls of 27 pages (and the polls after them).
		expect(polls.filter((requests) => requests >= 27).length).toBeGreaterThanOrEqual(7);
		expect(trigger.state.resume).toBeUndefined();
	});

	test('where n8n gives no budget, the first poll reads the whole backlog, as before', async () => {
		beforeActivation();
		const trigger = activate({ event: 'newOrder' }, null);
		await trigger.poll();
		const waiting = backlog(2_000);
		const { ids, requests } = await trigger.poll();
		expect(ids).toEqual(waiting);
		expect(requests).toBe(22); // 21 pages (the 10 orders of the look-back, then the 2,000), then the empty one
		expect(trigger.state.resume).toBeUndefined();
		expect((await trigger.poll()).ids).toEqual([]);
	});

	test('a state whose resume point is lost (a package before it) reads from the anchor again and emits nothing twice', async () => {
		beforeActivation();
		const trigger = activate({ event: 'newOrder' }, 10_000);
		await trigger.poll();
		const waiting = backlog(2_000);
		const first = await trigger.poll();
		expect(first.ids).toEqual(waiting.slice(0, first.ids.length));
		expect(trigger.state.resume).toBeDefined();
		const { resume, ...older } = trigger.state;
		trigger.state = older;
		const rest = await trigger.poll(null);
		expect([...first.ids, ...rest.ids]).toEqual(waiting);
	});

	test.each([
		['the whole list in one answer', { orderPaging: 'whole' }],
		['pages by number, 50 a page', { orderPaging: 'page', maxPageSize: 50 }],
	])('a server that ignores the cursor (%s): every order once, each poll within its budget', async (_, options) => {
		sandbox.reset(options);
		beforeActivation();
		const trigger = activate({ event: 'newOrder' }, BUDGET_MS);
		await trigger.poll();
		const waiting = backlog(2_000);
		const { emitted, polls } = await drain(trigger, waiting);
		expect(emitted).toEqual(waiting);
		expect(Math.max(...polls) * REQUEST_MS).toBeLessThanOrEqual(BUDGET_MS * 0.9);
	});
});

describe('Order Status Changed: a backlog drained over several polls', () => {
	test('every order created in another status than Pending gives its one event; none is missed while the open list runs ahead of the read', async () => {
		beforeActivation();
		const trigger = activate({ event: 'statusChanged' }, BUDGET_MS);
		await trigger.poll();
		// 3,000 orders in the day; every seventh was assigned before the trigger could see it.
		const waiting = backlog(3_000, (i) => ({ statusCode: i % 7 === 0 ? 2 : 0 }));
		const assigned = waiting.filter((_, i) => i % 7 === 0);
		const { emitted, polls } = await drain(trigger, waiting);
		expect(polls.length).toBeGreaterThan(2);
		expect(emitted).toEqual(assigned);
		// The open orders (10 pages) and the new ones as far as the budget goes, within it.
		expect(Math.max(...polls) * REQUEST_MS).toBeLessThanOrEqual(BUDGET_MS);

		// And from now on, a change is an event once.
		sandbox.state.setOrderStatus(waiting[2_999], 3);
		expect((await trigger.poll()).ids).toEqual([waiting[2_999]]);
		expect((await trigger.poll()).ids).toEqual([]);
	});
});
