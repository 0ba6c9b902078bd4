'use strict';
// The pace of node runs (transport/pacer.ts) on a simulated clock, against a simulated HelloTech
// that limits requests in fixed one-second windows. No real time passes: every figure below is
// exact simulated time, the same on any machine, so these are not timed tests. The same runs go
// through n8n's engine against the sandbox in shared-limit.test.js.
const { Pacer } = require('../dist/nodes/HelloTech/transport/pacer');
const { RETRY } = require('../dist/nodes/HelloTech/transport/request');

const WINDOW = 1000;
/** Simulated time starts 300 ms into a window (any moment would do). */
const START = Date.UTC(2025, 0, 6, 9, 0, 0) + 300;

/** A repeatable stream of numbers in [0, 1). */
function dice(seed) {
	let state = (seed * 2654435761) >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/** A simulated clock: `sleep` waits in simulated time; `until` runs the timers in order until a promise settles. */
function simulatedClock() {
	let now = START;
	let order = 0;
	const timers = [];
	return {
		now: () => now,
		sleep: (ms) => new Promise((resolve) => timers.push({ at: now + Math.max(0, ms), order: order++, resolve })),
		async until(promise) {
			let settled = false;
			const outcome = promise.then(
				(value) => ({ value }),
				(error) => ({ error }),
			);
			outcome.then(() => (settled = true));
			for (;;) {
				// Let every promise that can move on do so before time advances.
				await new Promise((resolve) => setImmediate(resolve));
				if (settled) break;
				if (timers.length === 0) throw new Error('Nothing left to run, and the runs have not finished');
				timers.sort((a, b) => a.at - b.at || a.order - b.order);
				const timer = timers.shift();
				now = Math.max(now, timer.at);
				timer.resolve();
			}
			const { value, error } = await outcome;
			if (error) throw error;
			return value;
		},
	};
}

/**
 * HelloTech as a rack-attack limiter sees it: each request reaches it half a round trip after it
 * is sent; a window (a clock second) takes `limit(time)` requests, then answers 429 with
 * Retry-After in whole seconds until the next window. `usedByOthers(window)` requests of another
 * client count in a window too.
 */
function simulatedApi(clock, { limit = () => Infinity, latencyMs = 20, jitterMs = 6, usedByOthers = () => 0, seed = 1 } = {}) {
	const random = dice(seed);
	const windows = new Map();
	const stats = { inFlight: 0, maxInFlight: 0 };
	const windowOf = (index) => {
		if (!windows.has(index)) windows.set(index, { count: usedByOthers(index), took: [], refused: [] });
		return windows.get(index);
	};
	return {
		windows,
		stats,
		/** One request of run `who`: resolves with 0 when taken, else the Retry-After in ms. */
		async request(who) {
			stats.inFlight++;
			stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
			await clock.sleep(latencyMs / 2 + random() * jitterMs);
			const at = clock.now();
			const index = Math.floor(at / WINDOW);
			const window = windowOf(index);
			window.count++;
			const refused = window.count > limit(at);
			(refused ? window.refused : window.took).push({ who, at });
			await clock.sleep(latencyMs / 2 + random() * jitterMs);
			stats.inFlight--;
			return refused ? Math.max(1, Math.ceil(((index + 1) * WINDOW - at) / 1000)) * 1000 : 0;
		},
	};
}

/**
 * One node run of `items` creates, as transport/request.ts drives its Pacer: every 429 waited out
 * and sent again, up to RETRY.maxRateLimitWaits times per request, then the item fails.
 */
async function nodeRun(clock, api, { who = 'run', items, maxInFlight = 5, startAfterMs = 0, seed = 7 }) {
	if (startAfterMs > 0) await clock.sleep(startAfterMs);
	const run = { who, paces: [], taken: 0, failed: 0, refused: 0, startedAt: clock.now(), endedAt: undefined };
	const pacer = new Pacer(maxInFlight, {
		now: clock.now,
		sleep: clock.sleep,
		random: dice(seed),
		onPaceChange: (change) => run.paces.push({ ...change, at: clock.now() }),
	});
	run.pacer = pacer;
	let next = 0;
	const worker = async () => {
		while (next < items) {
			next++;
			for (let waits = 0; ; ) {
				const { startedAt, retryAfter } = await pacer.run(async (sentAt) => ({ startedAt: sentAt, retryAfter: await api.request(who) }));
				if (retryAfter === 0) {
					pacer.accept(startedAt);
					run.taken++;
					break;
				}
				run.refused++;
				if (++waits > RETRY.maxRateLimitWaits) {
					run.failed++;
					break;
				}
				pacer.rateLimited(startedAt, retryAfter);
			}
		}
	};
	await Promise.all(Array.from({ length: maxInFlight }, worker));
	run.endedAt = clock.now();
	return run;
}

/** Several runs started together (or `startGapMs` apart) against one API. */
async function runsTogether(clock, api, sizes, { startGapMs = 0, maxInFlight = 5 } = {}) {
	return await clock.until(
		Promise.all(sizes.map((items, i) => nodeRun(clock, api, { who: `run ${i}`, items, maxInFlight, startAfterMs: i * startGapMs, seed: 11 + i }))),
	);
}

const slowed = (run) => run.paces.filter((change) => change.reason === 'slowed');
const raised = (run) => run.paces.filter((change) => change.reason === 'raised');
const windowsOf = (api) => [...api.windows.entries()].sort(([a], [b]) => a - b).map(([index, window]) => ({ index, ...window }));

describe('the pace of one run', () => {
	test('until HelloTech first refuses a request, only Max Concurrent Requests holds requests back', async () => {
		const clock = simulatedClock();
		const api = simulatedApi(clock, { jitterMs: 0 });
		const run = await clock.until(nodeRun(clock, api, { items: 40, maxInFlight: 5 }));
		expect(run.taken).toBe(40);
		expect(api.stats.maxInFlight).toBe(5);
		// 8 rounds of 5 requests, 20 ms each: nothing waited for anything but a free slot.
		expect(run.endedAt - run.startedAt).toBe(8 * 20);
		expect(run.paces).toEqual([]);
		expect(run.pacer.pace).toBeUndefined();
	});

	test('the first 429 sets the pace to what HelloTech took of the run in that window; the run then fills each window without being refused', async () => {
		const clock = simulatedClock();
		const api = simulatedApi(clock, { limit: () => 40 });
		const run = await clock.until(nodeRun(clock, api, { items: 300 }));
		expect(run.taken).toBe(300);
		expect(run.failed).toBe(0);
		expect(slowed(run)[0].pace).toBe(40);
		// Every later 429 is a probe one request above the limit, and sets the pace back to it.
		expect(slowed(run).map((change) => change.pace)).toEqual(slowed(run).map(() => 40));
		// A refused window is followed by windows that are full or nearly (the pause after a 429 ends
		// in the middle of one): a probe costs part of one window, not a whole one.
		const windows = windowsOf(api);
		const refusedWindows = windows.filter((window) => window.refused.length > 0);
		expect(refusedWindows.length).toBeLessThanOrEqual(slowed(run).length + 1);
		const full = windows.slice(1, -1).filter((window) => window.took.length >= 36);
		expect(full.length).toBeGreaterThanOrEqual(windows.length - 2 - 2 * refusedWindows.length);
		// 300 requests at 40 a window: 7.5 windows; the run needs at most 2 more (simulated time).
		expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(9.5 * WINDOW);
	});

	test('the pace recovers: when HelloTech allows more, it rises window by window, by a tenth and then by twice as much each time, never more than doubling', async () => {
		const clock = simulatedClock();
		const risesAt = START + 4 * WINDOW;
		const api = simulatedApi(clock, { limit: (time) => (time < risesAt ? 8 : 80) });
		const run = await clock.until(nodeRun(clock, api, { items: 400 }));
		expect(run.taken).toBe(400);
		// What the run counts as taken in a window is its estimate of when each request arrived: ±1.
		expect(slowed(run)[0].pace).toBeGreaterThanOrEqual(7);
		expect(slowed(run)[0].pace).toBeLessThanOrEqual(8);
		const climb = raised(run).filter((change) => change.at >= risesAt);
		expect(climb.length).toBeGreaterThanOrEqual(5);
		// The first climb after the limit rose: steps that grow, each at most doubling the pace.
		const before = run.paces.filter((change) => change.at < climb[0].at).at(-1).pace;
		const firstClimb = [];
		for (const change of run.paces.filter((entry) => entry.at >= climb[0].at)) {
			if (change.reason !== 'raised') break;
			firstClimb.push(change.pace);
		}
		const steps = firstClimb.map((pace, i) => pace - (i === 0 ? before : firstClimb[i - 1]));
		steps.forEach((step, i) => {
			expect(step).toBeGreaterThan(0);
			if (i > 0) expect(step).toBeGreaterThanOrEqual(steps[i - 1]);
			expect(firstClimb[i]).toBeLessThanOrEqual(2 * (i === 0 ? before : firstClimb[i - 1]));
		});
		expect(Math.max(...run.paces.map((change) => change.pace))).toBeGreaterThanOrEqual(60);
		expect(api.stats.maxInFlight).toBeLessThanOrEqual(5);
	});

	test('a 429 with nothing of the run taken in that window says nothing of its pace: the run waits for the start of a window and stays unpaced', async () => {
		const clock = simulatedClock();
		const busy = Math.floor(START / WINDOW);
		// Another client has used the whole window the run starts in.
		const api = simulatedApi(clock, { limit: () => 30, usedByOthers: (index) => (index === busy ? 30 : 0), jitterMs: 0 });
		const run = await clock.until(nodeRun(clock, api, { items: 20 }));
		expect(run.taken).toBe(20);
		expect(api.windows.get(busy).refused.length).toBeGreaterThan(0);
		expect(slowed(run)).toEqual([]);
		expect(run.pacer.pace).toBeUndefined();
		// Retry-After (1 s) ends 310 ms into the next window; the run comes back at the start of the one after.
		const firstTaken = Math.min(...windowsOf(api).flatMap((window) => window.took.map((entry) => entry.at)));
		expect(Math.floor(firstTaken / WINDOW)).toBe(busy + 2);
		expect(firstTaken % WINDOW).toBeLessThan(30);
	});

	test('429s for requests sent before the last 429 was answered only pause: one slowdown for one refused window', async () => {
		const clock = simulatedClock();
		const api = simulatedApi(clock, { limit: () => 3, jitterMs: 0 });
		const run = await clock.until(nodeRun(clock, api, { items: 5 }));
		expect(run.taken).toBe(5);
		// The first 5 requests went out together: 3 taken, 2 refused, one slowdown to 3.
		expect(run.refused).toBe(2);
		expect(slowed(run)).toEqual([expect.objectContaining({ pace: 3 })]);
	});
});

describe('runs that share one limit', () => {
	const check = (runs, api, { sizes, limit, tolerance }) => {
		const items = sizes.reduce((sum, size) => sum + size, 0);
		expect(runs.map((run) => run.failed)).toEqual(runs.map(() => 0));
		expect(runs.map((run) => run.taken)).toEqual(sizes);
		// No window took more than the limit (the simulated HelloTech enforces it) and requests in flight never passed 5 per run.
		expect(api.stats.maxInFlight).toBeLessThanOrEqual(5 * runs.length);
		const start = Math.min(...runs.map((run) => run.startedAt));
		const ends = runs.map((run) => run.endedAt - start).sort((a, b) => a - b);
		// Simulated time: all done near the bound, no run far behind the first one done.
		expect(ends.at(-1)).toBeLessThanOrEqual(tolerance.total * ((items / limit) * WINDOW));
		expect(ends.at(-1)).toBeLessThanOrEqual(tolerance.lastVsFirst * ends[0]);
		return { start, ends };
	};

	test.each([
		[4, 0],
		[8, 0],
		[4, 150],
		[8, 150],
	])('%i runs of 200 creates started %i ms apart sharing 50 requests/s: none failed, each got about the same share, all done within 1.25× of the bound', async (count, startGapMs) => {
		const clock = simulatedClock();
		const api = simulatedApi(clock, { limit: () => 50 });
		const sizes = Array(count).fill(200);
		const runs = await runsTogether(clock, api, sizes, { startGapMs });
		check(runs, api, { sizes, limit: 50, tolerance: { total: 1.25, lastVsFirst: 1.5 } });
		runs.forEach((run) => expect(slowed(run).length).toBeGreaterThan(0));
	});

	test('when the other runs are done, the last one takes over the whole limit: its pace rises well above its share', async () => {
		const clock = simulatedClock();
		const api = simulatedApi(clock, { limit: () => 40 });
		const runs = await runsTogether(clock, api, [30, 30, 30, 300]);
		const [long] = runs.slice(-1);
		const othersDone = Math.max(...runs.slice(0, -1).map((run) => run.endedAt));
		expect(runs.map((run) => run.failed)).toEqual([0, 0, 0, 0]);
		const shared = (run) => run.paces.filter((change) => change.at < othersDone);
		const lowest = Math.min(...shared(long).map((change) => change.pace));
		expect(lowest).toBeLessThanOrEqual(20);
		const after = long.paces.filter((change) => change.at >= othersDone);
		expect(raised({ paces: after }).length).toBeGreaterThanOrEqual(3);
		expect(Math.max(...after.map((change) => change.pace))).toBeGreaterThanOrEqual(36);
		// Alone, it had nearly the whole limit: in its best window HelloTech took 36 or more of 40.
		const alone = windowsOf(api).filter((window) => window.index * WINDOW > othersDone);
		expect(Math.max(...alone.map((window) => window.took.length))).toBeGreaterThanOrEqual(36);
	});
});
