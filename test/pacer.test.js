'use strict';
// The pace of node runs (transport/pacer.ts) on a simulated clock (test/harness/pace-sim.js),
// against a simulated HelloTech behind each rate limiter a partner may meet
// (test/sandbox/limiters.js): fixed one-second windows with and without Retry-After (Rails'
// rack-attack), a sliding log, a token bucket, a fixed one-minute window. No real time passes and
// every draw comes from a seed: every figure below is exact simulated time, the same on any
// machine, so these are not timed tests. The same runs go through n8n's engine against the
// sandbox in shared-limit.test.js, which asserts only what must hold at any speed.
const { Pacer } = require('../dist/nodes/HelloTech/transport/pacer');
const { RETRY } = require('../dist/nodes/HelloTech/transport/request');
const { simulate } = require('./harness/pace-sim');

const code = { Pacer, RETRY };
const SEEDS = [1, 2, 3, 4, 5, 6];
/** Each seed starts the runs at another moment of a second. */
const startOf = (seed) => (seed * 337) % 1000;
/** `faults`: the sandbox's, or just its rate limit (a limiter config, limiters.js). */
const run = (faults, sizes, seed = 1, options = {}) =>
	simulate(code, faults.rateLimit ? faults : { rateLimit: faults }, sizes, { seed, offsetMs: startOf(seed), ...options });

const FIXED = { kind: 'fixed', limit: 50, windowMs: 1000 };
/** The same answered as rack-attack does by default: plain text, no Retry-After. */
const FIXED_PLAIN = { rateLimit: FIXED, rateLimitAnswer: 'plain' };
const SLIDING = { kind: 'sliding', limit: 50, windowMs: 1000 };
const BUCKET = { kind: 'bucket', rate: 50, burst: 25 };

const slowed = (r) => r.paces.filter((change) => change.reason === 'slowed');
const raised = (r) => r.paces.filter((change) => change.reason === 'raised');

/** What every simulation must show: every item taken once, none failed, no request sent again before its Retry-After, in-flight bounded. */
function expectSound(result, sizes, maxInFlight = 20) {
	expect(result.runs.map((r) => r.failed)).toEqual(sizes.map(() => 0));
	expect(result.runs.map((r) => r.taken)).toEqual(sizes);
	expect(result.early).toBe(0);
	expect(result.api.stats.maxInFlight).toBeLessThanOrEqual(maxInFlight * sizes.length);
}

/** The requests HelloTech took of `who` (all runs: undefined) in each second of the clock. */
function perSecond(result, who) {
	const seconds = new Map();
	for (const entry of result.api.log) {
		if (!entry.taken || (who !== undefined && entry.who !== who)) continue;
		const second = Math.floor(entry.at / 1000);
		seconds.set(second, (seconds.get(second) ?? 0) + 1);
	}
	return seconds;
}

describe('one run alone', () => {
	test('until HelloTech first refuses a request, the run ramps from 20 requests a second, doubling every 0.1 s: 40 requests take 0.45 s at most', async () => {
		const result = await run({ kind: 'fixed', limit: 1000 }, [40], 1, { maxInFlight: 5 });
		const [r] = result.runs;
		expectSound(result, [40], 5);
		expect(result.refused).toBe(0);
		expect(r.paces).toEqual([]);
		expect(r.pacer.pace).toBeUndefined();
		// 20/s doubling every 0.1 s: 2.9 × (2^(t / 0.1 s) - 1) requests started by t, 40 by 0.39 s.
		expect(r.endedAt - r.startedAt).toBeLessThanOrEqual(450);
		expect(r.endedAt - r.startedAt).toBeGreaterThanOrEqual(390);
	});

	test.each([
		['fixed one-second windows', { kind: 'fixed', limit: 100 }],
		['the same answered without Retry-After', { rateLimit: { kind: 'fixed', limit: 100 }, rateLimitAnswer: 'plain' }],
	])('%s of 100 requests/s: the ramp from the next second after the first 429 sets the quota to the limit; 500 creates within 1.05× of the 5 s the limit allows, under 6 %% refused (both ramps\' last requests, then about one 429 per rise)', async (name, limiter) => {
		for (const seed of SEEDS) {
			const result = await run(limiter, [500], seed);
			const [r] = result.runs;
			expectSound(result, [500]);
			expect(slowed(r)[0].pace).toBeGreaterThanOrEqual(99);
			expect(slowed(r)[0].pace).toBeLessThanOrEqual(100);
			expect(r.pacer.pace).toBeGreaterThanOrEqual(99);
			expect(r.pacer.pace).toBeLessThanOrEqual(101);
			expect(result.ratio).toBeLessThanOrEqual(1.05);
			expect(result.refusedShare).toBeLessThanOrEqual(0.06);
			// No second took more than the limit, and from the second after the first 429 on, each took
			// it nearly whole (the last second is the rest).
			const seconds = [...perSecond(result).entries()].sort(([a], [b]) => a - b);
			const first = Math.floor(slowed(r)[0].at / 1000);
			for (const [second, took] of seconds.slice(0, -1)) if (second > first) expect(took).toBeGreaterThanOrEqual(95);
		}
	});

	test.each([
		// The ramp from the next second finds the sliding window still full of the first ramp's
		// requests, and starts again a second later: a second lost, in exchange for runs sharing the
		// key measuring their shares side by side.
		['a sliding window of 100 requests/s', 1.45, { kind: 'sliding', limit: 100 }],
		['a token bucket of 100 requests/s (burst 50)', 1.25, { kind: 'bucket', rate: 100, burst: 50 }],
	])('%s: 500 creates within %d× of the time the rate allows, under 7 %% refused', async (name, bound, limiter) => {
		for (const seed of SEEDS) {
			const result = await run(limiter, [500], seed);
			expectSound(result, [500]);
			expect(result.ratio).toBeLessThanOrEqual(bound);
			expect(result.refusedShare).toBeLessThanOrEqual(0.07);
		}
	});

	test('a fixed one-minute window (300 requests a minute): a Retry-After of many seconds pauses the run as asked and leaves its quota alone; done as soon as the windows allow', async () => {
		const minute = 60_000;
		for (const into of [5, 30, 55]) {
			const result = await simulate(code, { rateLimit: { kind: 'fixed', limit: 300, windowMs: minute } }, [700], { seed: into, offsetMs: into * 1000 });
			const [r] = result.runs;
			expectSound(result, [700]);
			expect(r.paces).toEqual([]);
			// 300 in the first minute, 300 in the next, 100 in the third: done early in the third minute.
			expect(result.elapsedMs).toBeLessThanOrEqual(2 * minute - into * 1000 + 2000);
			// Each minute refused only what was in flight when it filled.
			expect(result.refused).toBeLessThanOrEqual(2 * 20);
		}
	});

	test('a 429 with nothing of the run taken in the second before (another client had the limit) tells nothing: the run ramps again from the next second, and its quota is what it got there', async () => {
		// Fixed windows of 30 a second, of which another client took the whole of the first.
		const result = await run({ kind: 'fixed', limit: 30 }, [120], 1, { othersFirst: 30 });
		const [r] = result.runs;
		expectSound(result, [120]);
		const firstTaken = Math.min(...result.api.log.filter((entry) => entry.taken && entry.who === 0).map((entry) => entry.at));
		expect(Math.floor(firstTaken / 1000)).toBe(Math.floor(result.begin / 1000) + 1);
		expect(slowed(r)[0].pace).toBe(30);
	});

	test('429s for requests sent before the quota was set do not cut it: one slowdown for both ramps\' refused requests', async () => {
		const result = await run({ kind: 'fixed', limit: 20 }, [60], 1);
		const [r] = result.runs;
		expectSound(result, [60]);
		expect(result.refused).toBeGreaterThan(2);
		expect(slowed(r)).toHaveLength(1);
		expect(slowed(r)[0].pace).toBe(20);
	});

	test('alone at the limit, a rise by one meets a 429 and is undone; the next rise waits longer (1, 2, then 4 s and as many again at random): about one 429 every 6 s', async () => {
		for (const seed of [1, 2, 3]) {
			const result = await run({ kind: 'fixed', limit: 40 }, [1000], seed);
			const [r] = result.runs;
			expectSound(result, [1000]);
			const rises = raised(r);
			expect(rises.length).toBeGreaterThanOrEqual(3);
			// Each rise is by one, and undone within two seconds.
			for (const rise of rises) {
				const before = r.paces[r.paces.indexOf(rise) - 1].pace;
				expect(rise.pace).toBe(before + 1);
				const next = r.paces[r.paces.indexOf(rise) + 1];
				if (next) expect(next).toMatchObject({ reason: 'slowed', pace: before });
				if (next) expect(next.at - rise.at).toBeLessThan(2000);
			}
			// In whole seconds of the clock: after the first two, every gap is 4 s plus 1 to 5.
			const seconds = rises.map((rise) => Math.floor(rise.at / 1000));
			const gaps = seconds.slice(1).map((second, i) => second - seconds[i]);
			expect(gaps.slice(2).every((gap) => gap >= 5 && gap <= 9)).toBe(true);
			// The ramp's 429s, then about one per rise.
			const afterRamp = result.api.log.filter((entry) => !entry.taken && entry.at > slowed(r)[0].at + 2000);
			expect(afterRamp.length).toBeLessThanOrEqual(2 * rises.length);
		}
	});

	test('the quota does not rise while the run\'s last items would all start within two seconds: no 429 makes the last item wait', async () => {
		const result = await run({ kind: 'fixed', limit: 100 }, [500], 6);
		const [r] = result.runs;
		expectSound(result, [500]);
		const lastRise = Math.max(...raised(r).map((change) => change.at), 0);
		expect(r.endedAt - lastRise).toBeGreaterThanOrEqual(1000);
		const last429 = Math.max(...result.api.log.filter((entry) => !entry.taken).map((entry) => entry.at));
		expect(r.endedAt - last429).toBeGreaterThan(1000);
	});
});

describe('runs that share one limit', () => {
	/** The figures the benchmark prints, here held to the targets for every seed. */
	const expectTargets = (result, sizes, { ratio, fairness, refused }) => {
		expectSound(result, sizes);
		expect(result.ratio).toBeLessThanOrEqual(ratio);
		expect(result.fairness).toBeLessThanOrEqual(fairness);
		expect(result.refusedShare).toBeLessThanOrEqual(refused);
	};

	test.each([
		['fixed windows', 4, FIXED],
		['fixed windows', 8, FIXED],
		['fixed windows without Retry-After', 4, FIXED_PLAIN],
		['fixed windows without Retry-After', 8, FIXED_PLAIN],
	])('%s of 50 requests/s, %i runs of 200 creates started within 0.1 s: done within 1.15× of the bound, the slowest run within 1.5× of the fastest, under 5 %% refused', async (name, count, limiter) => {
		const sizes = Array(count).fill(200);
		for (const seed of SEEDS) expectTargets(await run(limiter, sizes, seed), sizes, { ratio: 1.15, fairness: 1.5, refused: 0.05 });
	});

	test.each([
		['a sliding window', 4, SLIDING],
		['a sliding window', 8, SLIDING],
		['a token bucket', 4, BUCKET],
		['a token bucket', 8, BUCKET],
	])('%s of 50 requests/s, %i runs of 200 creates: none starved (the slowest within 3.5× of the fastest), done within 1.6× of the bound, under 7 %% refused', async (name, count, limiter) => {
		const sizes = Array(count).fill(200);
		for (const seed of SEEDS) expectTargets(await run(limiter, sizes, seed), sizes, { ratio: 1.6, fairness: 3.5, refused: 0.07 });
	});

	test.each([
		['fixed windows', FIXED],
		['fixed windows without Retry-After', FIXED_PLAIN],
	])('%s: runs started up to 0.4 s apart ramp unequally, but measure their shares side by side from the next second: equal quotas, and done within the targets', async (name, limiter) => {
		for (const seed of SEEDS) {
			// The first run starts 0.3 s before three others and 0.4 s before the last four.
			const startsMs = [0, 300, 300, 300, 400, 400, 400, 400];
			const sizes = Array(8).fill(200);
			const result = await run(limiter, sizes, seed, { startsMs });
			expectSound(result, sizes);
			const firstQuotas = result.runs.map((r) => slowed(r)[0].pace);
			expect(Math.max(...firstQuotas) - Math.min(...firstQuotas)).toBeLessThanOrEqual(2);
			expect(result.ratio).toBeLessThanOrEqual(1.15);
			expect(result.fairness).toBeLessThanOrEqual(1.5);
			expect(result.refusedShare).toBeLessThanOrEqual(0.06);
		}
	});

	test('fixed windows: a second one request too full refuses the last request of the largest quota', async () => {
		// Two runs alone on a limit of 30: quotas 15 and 15; a third joins late and rises step by step.
		const result = await run({ kind: 'fixed', limit: 30 }, [300, 300, 120], 2, { startsMs: [0, 0, 4000] });
		expectSound(result, [300, 300, 120]);
		// Every 429 after the third run's first quota fell on one of the two larger runs until the quotas were even.
		const [a, b, late] = result.runs;
		const joined = slowed(late)[0].at;
		const evenAt = Math.min(...[a, b].map((r) => (r.paces.find((change) => change.at > joined && change.pace <= 11) ?? { at: Infinity }).at));
		const refusedLate = result.api.log.filter((entry) => !entry.taken && entry.who === 2 && entry.at > joined + 1000 && entry.at < evenAt);
		const refusedOthers = result.api.log.filter((entry) => !entry.taken && entry.who !== 2 && entry.at > joined + 1000 && entry.at < evenAt);
		expect(evenAt).toBeLessThan(Infinity);
		expect(refusedOthers.length).toBeGreaterThan(refusedLate.length);
	});

	test.each([
		['fixed windows', { kind: 'fixed', limit: 40 }],
		['a sliding window', { kind: 'sliding', limit: 40 }],
		['a token bucket', { kind: 'bucket', rate: 40, burst: 20 }],
	])('%s: when the other runs are done, the last one takes over the whole limit within 10 s (its next rise comes within 9 s, and each rise that meets no 429 is followed by one twice as big)', async (name, limiter) => {
		const result = await run(limiter, [30, 30, 30, 400], 1);
		expectSound(result, [30, 30, 30, 400]);
		const long = result.runs[3];
		const othersDone = Math.max(...result.runs.slice(0, 3).map((r) => r.endedAt));
		const sharing = long.paces.filter((change) => change.at < othersDone).at(-1).pace;
		expect(sharing).toBeLessThanOrEqual(25);
		// Within 10 s of the others' end, a second took 36 or more of 40 of the long run alone.
		const seconds = perSecond(result, 3);
		const took = [...seconds.entries()].filter(([second]) => second * 1000 > othersDone && second * 1000 < othersDone + 10_000).map(([, n]) => n);
		expect(Math.max(...took)).toBeGreaterThanOrEqual(36);
	});

	test('a fixed one-minute window (300 a minute): 4 runs of 200 pause as each Retry-After asks, and end within a second of each other', async () => {
		const sizes = [200, 200, 200, 200];
		const result = await simulate(code, { rateLimit: { kind: 'fixed', limit: 300, windowMs: 60_000 } }, sizes, { seed: 3, offsetMs: 30_000 });
		expectSound(result, sizes);
		const ends = result.runs.map((r) => r.endedAt);
		expect(Math.max(...ends) - Math.min(...ends)).toBeLessThanOrEqual(1000);
		result.runs.forEach((r) => expect(r.paces).toEqual([]));
	});
});
