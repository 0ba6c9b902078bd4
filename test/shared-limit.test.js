'use strict';
// Several node runs started together (separate workflow executions through n8n's engine, each
// with its own pace) against one sandbox whose rate limit all their requests share, as when
// several executions (on one n8n or on queue-mode workers) use one API key. These run in real
// time, so they assert only what must hold at any speed: every order created exactly once,
// every item paired to its row, no failed item, every refused request sent again no sooner than
// its Retry-After asked, requests in flight bounded. How fast, how fair and how polite the pace
// is, is proven on a simulated clock (pacer.test.js) and measured by the benchmarks.
const { sandbox, run } = require('./helpers');
const { orderFromRow, row } = require('./fixtures');

/** Version 1's default Max Concurrent Requests (the engine tests run version 1). */
const MAX_CONCURRENT = 5;
const createFromRow = () => orderFromRow({ skuIds: [10639] });

/** Starts one run per entry of `sizes` at once: run i creates sizes[i] orders with purchase order IDs R<i>-0, R<i>-1, ... */
async function runsTogether(sizes) {
	return await Promise.all(
		sizes.map((count, i) =>
			run(createFromRow(), { items: Array.from({ length: count }, (_, n) => row(n, `R${i}`)), continueOnFail: true, nodeName: `HelloTech ${i}` }),
		),
	);
}

/** The sandbox's log of creates. */
async function createLog() {
	return (await sandbox.state()).log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
}

function expectEveryOrderOnce(results, sizes, state) {
	results.forEach((result, i) => {
		expect(result.error).toBeUndefined();
		expect(result.output.filter((item) => item.json.error)).toEqual([]);
		expect(result.output).toHaveLength(sizes[i]);
		result.output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json.purchase_order_id).toBe(`R${i}-${n}`);
		});
	});
	const counts = new Map();
	for (const order of state.orders) counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1);
	expect(counts.size).toBe(sizes.reduce((sum, size) => sum + size, 0));
	expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
}

/** Every refused create was sent again no sooner than its Retry-After asked (sandbox clock); every create was taken once. */
function expectRetryAfterHonoured(log, total) {
	const byOrder = new Map();
	for (const entry of log) {
		const po = entry.body?.purchase_order_id;
		if (!byOrder.has(po)) byOrder.set(po, []);
		byOrder.get(po).push(entry);
	}
	const early = [];
	for (const [po, attempts] of byOrder) {
		attempts.forEach((attempt, i) => {
			const next = attempts[i + 1];
			if (attempt.status === 429 && attempt.retryAfter !== undefined && next && next.at < attempt.refusedAt + attempt.retryAfter * 1000) {
				early.push({ po, after: next.at - attempt.refusedAt, asked: attempt.retryAfter });
			}
		});
		expect(attempts.filter((attempt) => attempt.status === 200)).toHaveLength(1);
		expect(attempts.at(-1).status).toBe(200);
	}
	expect(early).toEqual([]);
	expect(byOrder.size).toBe(total);
}

beforeEach(() => sandbox.reset());

describe.each([
	['fixed one-second windows', { rateLimit: { kind: 'fixed', limit: 20, windowMs: 1000 } }],
	['fixed one-second windows answered as rack-attack does by default (plain text, no Retry-After)', { rateLimit: { kind: 'fixed', limit: 20, windowMs: 1000 }, rateLimitAnswer: 'plain' }],
	['a sliding window', { rateLimit: { kind: 'sliding', limit: 20, windowMs: 1000 } }],
	['a token bucket', { rateLimit: { kind: 'bucket', rate: 20, burst: 5 } }],
])('%s of 20 requests/s', (name, faults) => {
	test('4 runs of 30 creates started together: every order created exactly once, every Retry-After honoured, no item failed', async () => {
		await sandbox.faults({ ...faults, latencyMs: 10 });
		const sizes = [30, 30, 30, 30];
		const results = await runsTogether(sizes);
		const state = await sandbox.state();
		expectEveryOrderOnce(results, sizes, state);
		// The limit was met (and waited out), and the runs kept to their bound on requests in flight.
		expect(state.stats.rateLimited).toBeGreaterThan(0);
		expect(state.stats.maxInFlight).toBeLessThanOrEqual(sizes.length * MAX_CONCURRENT);
		const log = await createLog();
		expectRetryAfterHonoured(log, 120);
		if (faults.rateLimitAnswer === 'plain') expect(log.filter((entry) => entry.status === 429).every((entry) => entry.retryAfter === undefined)).toBe(true);
	});
});

test('a longer window (30 requests per 4 s): every order created exactly once, every Retry-After of several seconds waited out', async () => {
	await sandbox.faults({ rateLimit: { limit: 30, windowMs: 4000 }, latencyMs: 10 });
	const sizes = [40, 40];
	const results = await runsTogether(sizes);
	const state = await sandbox.state();
	expectEveryOrderOnce(results, sizes, state);
	const log = await createLog();
	expectRetryAfterHonoured(log, 80);
	expect(state.stats.rateLimited).toBeGreaterThan(0);
});
