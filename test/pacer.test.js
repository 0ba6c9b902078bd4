'use strict';
// The pace of node runs (transport/pacer.ts) on a simulated clock, against a simulated HelloTech
// whose rate limiter is one of those a partner may meet (test/sandbox/limiters.js): fixed windows
// (Rails' rack-attack), a sliding log, a token bucket, a fixed one-minute window. No real time
// passes: every figure below is exact simulated time, the same on any machine, so these are not
// timed tests. The same runs go through n8n's engine against the sandbox in shared-limit.test.js.
const { Pacer } = require('../dist/nodes/HelloTech/transport/pacer');
const { RETRY } = require('../dist/nodes/HelloTech/transport/request');
const { createLimiter } = require('./sandbox/limiters');

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
function simulatedClock(start = START) {
	let now = start;
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
 * HelloTech behind a rate limiter: each request reaches it half a round trip after it is sent
 * (20 ms and a few at random), is counted by the limiter, and is answered half a round trip
 * later: taken, or 429 with the limiter's Retry-After. `limiter` is a sandbox limiter config
 * (limiters.js), or `{ limit: (time) => n, usedByOthers: (window) => n }`: fixed one-second
 * windows whose limit changes over time and of which another client uses some.
 */
function simulatedApi(clock, limiter, { latencyMs = 20, jitterMs = 6, seed = 1 } = {}) {
	const random = dice(seed);
	let take;
	if (typeof limiter.limit === 'function') {
		const counts = new Map();
		take = (at) => {
			const index = Math.floor(at / WINDOW);
			if (!counts.has(index)) counts.set(index, limiter.usedByOthers?.(index) ?? 0);
			counts.set(index, counts.get(index) + 1);
			return counts.get(index) > limiter.limit(at) ? Math.max(1, Math.ceil(((index + 1) * WINDOW - at) / 1000)) : 0;
		};
	} else {
		take = createLimiter(limiter).take;
	}
	const log = [];
	const stats = { inFlight: 0, maxInFlight: 0 };
	return {
		log,
		stats,
		/** One request of run `who`, sent now: resolves with 0 when taken, else the Retry-After in ms. */
		async request(who) {
			const sentAt = clock.now();
			stats.inFlight++;
			stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
			await clock.sleep(latencyMs / 2 + random() * jitterMs);
			const at = clock.now();
			const retryAfter = take(at);
			log.push({ who, sentAt, at, taken: retryAfter === 0, retryAfter });
			await clock.sleep(latencyMs / 2 + random() * jitterMs);
			stats.inFlight--;
			return retryAfter * 1000;
		},
	};
}

/**
 * One node run of `items` creates, as transport/request.ts and helpers/runner.ts drive its
 * Pacer: `maxInFlight` items under way and one more for each request waiting out a 429 (up to
 * twice `maxInFlight`), each 429 waited out as its Retry-After asks (the request goes back to
 * the pacer with `notBefore`), up to RETRY.maxRateLimitWaits times per request, then the item
 * fails.
 */
async function nodeRun(clock, api, { who = 'run', items, maxInFlight = 5, startAfterMs = 0, seed = 7 }) {
	if (startAfterMs > 0) await clock.sleep(startAfterMs);
	const run = { who, paces: [], taken: 0, failed: 0, refused: 0, mostWaits: 0, startedAt: clock.now(), endedAt: undefined, early: [] };
	const pacer = new Pacer(maxInFlight, {
		now: clock.now,
		sleep: clock.sleep,
		yieldTurn: () => new Promise((resolve) => setImmediate(resolve)),
		random: dice(seed),
		onPaceChange: (change) => run.paces.push({ ...change, at: clock.now() }),
	});
	run.pacer = pacer;
	const item = async () => {
		let notBefore;
		for (let waits = 0; ; ) {
			const sent = await pacer.run(async (startedAt) => ({ startedAt, retryAfter: await api.request(who) }), notBefore);
			if (notBefore !== undefined && sent.startedAt < notBefore) run.early.push(sent.startedAt - notBefore);
			if (sent.retryAfter === 0) {
				pacer.accept(sent.startedAt);
				run.taken++;
				return;
			}
			run.refused++;
			if (++waits > RETRY.maxRateLimitWaits) {
				run.failed++;
				return;
			}
			run.mostWaits = Math.max(run.mostWaits, waits);
			pacer.rateLimited(sent.startedAt, sent.retryAfter);
			notBefore = clock.now() + sent.retryAfter;
		}
	};
	await new Promise((done) => {
		let next = 0;
		let underWay = 0;
		const fill = () => {
			while (next < items && underWay < maxInFlight + Math.min(maxInFlight, pacer.waitingOut)) {
				next++;
				underWay++;
				item().finally(() => {
					underWay--;
					fill();
					if (underWay === 0 && next >= items) done();
				});
			}
		};
		pacer.onWaitingOut(fill);
		fill();
	});
	run.endedAt = clock.now();
	return run;
}

/** Runs of `sizes` creates started together (or `startGapMs` apart) against one simulated HelloTech. */
async function runsTogether(limiter, sizes, { startGapMs = 0, maxInFlight = 5, seed = 1, start = START } = {}) {
	const clock = simulatedClock(start);
	const api = simulatedApi(clock, limiter, { seed });
	const runs = await clock.until(
		Promise.all(sizes.map((items, i) => nodeRun(clock, api, { who: `run ${i}`, items, maxInFlight, startAfterMs: i * startGapMs, seed: seed * 31 + i }))),
	);
	const begin = Math.min(...runs.map((run) => run.startedAt));
	const ends = runs.map((run) => run.endedAt - begin).sort((a, b) => a - b);
	return { clock, api, runs, ends, begin };
}

const slowed = (run) => run.paces.filter((change) => change.reason === 'slowed');
const raised = (run) => run.paces.filter((change) => change.reason === 'raised');
const modeChanges = (run) => run.paces.filter((change) => change.reason === 'windows' || change.reason === 'spread').map((change) => change.reason);
/** The limiter's log, per one-second window: how many it took and refused. */
function perWindow(api, filter = () => true) {
	const windows = new Map();
	for (const entry of api.log.filter(filter)) {
		const index = Math.floor(entry.at / WINDOW);
		if (!windows.has(index)) windows.set(index, { index, took: 0, refused: 0 });
		windows.get(index)[entry.taken ? 'took' : 'refused']++;
	}
	return [...windows.values()].sort((a, b) => a.index - b.index);
}

/** What every run must show: every item taken, none failed, no request sent again before its Retry-After, in-flight bounded. */
function expectSound({ runs, api }, sizes, maxInFlight = 5) {
	expect(runs.map((run) => run.failed)).toEqual(sizes.map(() => 0));
	expect(runs.map((run) => run.taken)).toEqual(sizes);
	expect(runs.flatMap((run) => run.early)).toEqual([]);
	expect(api.stats.maxInFlight).toBeLessThanOrEqual(maxInFlight * runs.length);
}

describe('the pace of one run', () => {
	test('until HelloTech first refuses a request, only Max Concurrent Requests holds requests back', async () => {
		const result = await runsTogether({ limit: () => Infinity }, [40]);
		const [run] = result.runs;
		expectSound(result, [40]);
		expect(result.api.stats.maxInFlight).toBe(5);
		// 40 requests, 5 at a time, 20-32 ms each: nothing waited for anything but a free slot.
		expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(8 * 32);
		expect(run.paces).toEqual([]);
		expect(run.pacer.pace).toBeUndefined();
	});

	test('fixed windows: the first 429 sets the pace to what HelloTech took (and one more, a test); a window refused to its end and open at the next, twice, proves fixed windows; then the run starts its quota at the start of each window', async () => {
		const result = await runsTogether({ limit: 40, windowMs: WINDOW }, [300]);
		const [run] = result.runs;
		expectSound(result, [300]);
		expect(slowed(run)[0].pace).toBe(41);
		expect(modeChanges(run)).toEqual(['windows']);
		expect(run.pacer.paceMode).toBe('windows');
		const proven = run.paces.find((change) => change.reason === 'windows');
		expect(proven.pace).toBe(40);
		// Proven within the first three windows after the first 429.
		expect(proven.at - slowed(run)[0].at).toBeLessThan(3 * WINDOW);
		// From then on, a window's requests start at its start: each window takes 40, in its first part.
		const after = perWindow(result.api).filter((window) => window.index * WINDOW > proven.at + WINDOW);
		for (const window of after.slice(0, -1)) expect(window.took).toBe(40);
		const late = result.api.log.filter((entry) => entry.at > proven.at + WINDOW && entry.at % WINDOW > 500);
		expect(late).toEqual([]);
		// 300 requests at 40 a window: 7.5 windows; the run needs at most 1.5 more.
		expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(9 * WINDOW);
		expect(run.refused).toBeLessThanOrEqual(20);
	});

	test('fixed windows: the pace recovers when HelloTech allows more, by a tenth and then by twice as much each window, never more than doubling', async () => {
		const risesAt = START + 5 * WINDOW;
		const result = await runsTogether({ limit: (time) => (time < risesAt ? 8 : 80) }, [400]);
		const [run] = result.runs;
		expectSound(result, [400]);
		expect(run.pacer.paceMode).toBe('windows');
		const climb = raised(run).filter((change) => change.at >= risesAt);
		expect(climb.length).toBeGreaterThanOrEqual(4);
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
	});

	test('a sliding window: a request taken right after a refused one, in the same window, disproves fixed windows; the requests stay evenly spaced, close to the limit, and HelloTech refuses few', async () => {
		const result = await runsTogether({ kind: 'sliding', limit: 100, windowMs: WINDOW }, [500]);
		const [run] = result.runs;
		expectSound(result, [500]);
		expect(modeChanges(run)).toEqual(['spread']);
		expect(run.pacer.paceMode).toBe('smooth');
		// After the first second, the pace stays within a fifth of the limit, and no one-second span holds a burst.
		const later = run.paces.filter((change) => change.at > run.startedAt + 2 * WINDOW);
		for (const change of later) expect(change.pace).toBeGreaterThanOrEqual(80);
		// 500 requests at 100 a second: at most 1.3 times the 5 s the limit allows.
		expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(1.3 * 5 * WINDOW);
		expect(run.refused).toBeLessThanOrEqual(25);
	});

	test.each([
		[100, 50, 1.15],
		[100, 100, 1.1],
		[100, 20, 1.5],
	])('a token bucket (%i requests/s, burst %i): disproved as fixed windows at the first 429; the pace finds the rate and keeps to it; done within %f× of the time the rate allows', async (rate, burst, bound) => {
		const result = await runsTogether({ kind: 'bucket', rate, burst }, [500]);
		const [run] = result.runs;
		expectSound(result, [500]);
		expect(run.pacer.paceMode).toBe('smooth');
		expect(modeChanges(run)).toEqual(['spread']);
		// Its last pace is close to the rate: at least four fifths of it, at most half again (a burst
		// as big as the rate lets a pace above it run a while before the bucket is empty).
		expect(run.pacer.pace).toBeGreaterThanOrEqual(0.8 * rate);
		expect(run.pacer.pace).toBeLessThanOrEqual(1.5 * rate);
		expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(bound * (500 / rate) * WINDOW);
		expect(run.refused).toBeLessThanOrEqual(25);
	});

	test('a fixed one-minute window (300 requests a minute): a Retry-After of many seconds pauses the run as asked and does not change its pace; done within the bound and the rest of the first minute', async () => {
		const minute = 60 * WINDOW;
		for (const into of [5, 30, 55]) {
			const result = await runsTogether({ limit: 300, windowMs: minute }, [700], { start: Date.UTC(2025, 0, 6, 9, 0, 0) + into * WINDOW });
			const [run] = result.runs;
			expectSound(result, [700]);
			expect(run.paces).toEqual([]);
			const elapsed = run.endedAt - run.startedAt;
			expect(elapsed).toBeLessThanOrEqual((700 / 300) * minute + (60 - into) * WINDOW);
			// Each minute took its 300 and refused only the requests in flight when it filled.
			const minutes = new Map();
			for (const entry of result.api.log) {
				const index = Math.floor(entry.at / minute);
				minutes.set(index, (minutes.get(index) ?? 0) + (entry.taken ? 0 : 1));
			}
			for (const refused of minutes.values()) expect(refused).toBeLessThanOrEqual(2 * 5);
		}
	});

	test('a 429 with nothing of the run taken in the last second (another client had the window) tells nothing: the run comes back at the start of the next window, still unpaced, and its pace is then what it got', async () => {
		const busy = Math.floor(START / WINDOW);
		const result = await runsTogether({ limit: () => 30, usedByOthers: (index) => (index === busy ? 30 : 0) }, [120]);
		const [run] = result.runs;
		expectSound(result, [120]);
		// The run comes back at the start of the next window (the refused requests wait out their
		// Retry-After, 300 ms into it).
		const firstTaken = Math.min(...result.api.log.filter((entry) => entry.taken).map((entry) => entry.at));
		expect(Math.floor(firstTaken / WINDOW)).toBe(busy + 1);
		expect(firstTaken % WINDOW).toBeLessThan(30);
		// There it had the window to itself: 30, and one more as a test of fixed windows.
		expect(slowed(run)[0].pace).toBe(31);
	});

	test('429s for requests sent before the last 429 was answered do not slow the pace again: one slowdown for one refused window', async () => {
		const result = await runsTogether({ limit: () => 3 }, [5]);
		const [run] = result.runs;
		expectSound(result, [5]);
		// The first 5 requests went out together: 3 taken, 2 refused, one slowdown.
		expect(result.api.log.filter((entry) => !entry.taken).length).toBeGreaterThanOrEqual(2);
		expect(slowed(run)).toHaveLength(1);
	});
});

describe('runs that share one limit', () => {
	/** Simulated time: all done within `total` times the bound, the last run within `lastVsFirst` times the first one's end. */
	const expectShared = (result, { sizes, rate, total, lastVsFirst }) => {
		expectSound(result, sizes);
		const items = sizes.reduce((sum, size) => sum + size, 0);
		expect(result.ends.at(-1)).toBeLessThanOrEqual(total * (items / rate) * WINDOW);
		expect(result.ends.at(-1)).toBeLessThanOrEqual(lastVsFirst * result.ends[0]);
	};

	test.each([
		[4, 0],
		[8, 0],
		[4, 150],
		[8, 150],
	])('fixed windows: %i runs of 200 creates started %i ms apart sharing 50 requests/s prove fixed windows, meet at the start of each window, all done within 1.25× of the bound, none far behind', async (count, startGapMs) => {
		const sizes = Array(count).fill(200);
		const result = await runsTogether({ limit: 50, windowMs: WINDOW }, sizes, { startGapMs });
		// Started together, the last run is done within 1.5× of the first one's time. Started apart,
		// the first run has the first second nearly to itself, and keeps a head start: within 1.6×.
		expectShared(result, { sizes, rate: 50, total: 1.25, lastVsFirst: startGapMs === 0 ? 1.5 : 1.6 });
		result.runs.forEach((run) => {
			expect(slowed(run).length).toBeGreaterThan(0);
			expect(run.pacer.paceMode).toBe('windows');
		});
	});

	test.each([
		['a sliding window', { kind: 'sliding', limit: 50, windowMs: WINDOW }],
		['a token bucket', { kind: 'bucket', rate: 50, burst: 25 }],
	])('%s: 4 runs of 200 creates sharing 50 requests/s all turn smooth, none failed, none far behind, all done within 1.3× of the bound', async (name, limiter) => {
		const sizes = [200, 200, 200, 200];
		for (const seed of [1, 2, 3]) {
			const result = await runsTogether(limiter, sizes, { seed, start: START + seed * 137 });
			expectShared(result, { sizes, rate: 50, total: 1.3, lastVsFirst: 1.5 });
			result.runs.forEach((run) => expect(run.pacer.paceMode).toBe('smooth'));
		}
	});

	test.each([
		['a sliding window', { kind: 'sliding', limit: 50, windowMs: WINDOW }],
		['a token bucket', { kind: 'bucket', rate: 50, burst: 25 }],
	])('%s: 8 runs of 200 creates sharing 50 requests/s: none failed, none starved (the last done within twice the first), all done within 1.3× of the bound', async (name, limiter) => {
		const sizes = Array(8).fill(200);
		for (const seed of [1, 2]) {
			const result = await runsTogether(limiter, sizes, { seed, start: START + seed * 137 });
			expectShared(result, { sizes, rate: 50, total: 1.3, lastVsFirst: 2 });
		}
	});

	test('a fixed one-minute window (300 a minute): 4 runs of 200 get about the same share of each minute and end within a second of each other', async () => {
		const sizes = [200, 200, 200, 200];
		const minute = 60 * WINDOW;
		const result = await runsTogether({ limit: 300, windowMs: minute }, sizes, { start: Date.UTC(2025, 0, 6, 9, 0, 30) });
		expectShared(result, { sizes, rate: 5, total: 1, lastVsFirst: 1.05 });
		expect(result.ends.at(-1) - result.ends[0]).toBeLessThanOrEqual(WINDOW);
	});

	test('when the other runs are done, the last one takes over the whole limit: its pace rises well above its share', async () => {
		for (const limiter of [{ limit: 40, windowMs: WINDOW }, { kind: 'sliding', limit: 40, windowMs: WINDOW }, { kind: 'bucket', rate: 40, burst: 20 }]) {
			const result = await runsTogether(limiter, [30, 30, 30, 300]);
			const [long] = result.runs.slice(-1);
			const othersDone = Math.max(...result.runs.slice(0, -1).map((run) => run.endedAt));
			expectSound(result, [30, 30, 30, 300]);
			const shared = long.paces.filter((change) => change.at < othersDone);
			expect(Math.min(...shared.map((change) => change.pace))).toBeLessThanOrEqual(20);
			const after = long.paces.filter((change) => change.at >= othersDone);
			expect(raised({ paces: after }).length).toBeGreaterThanOrEqual(2);
			expect(Math.max(...after.map((change) => change.pace))).toBeGreaterThanOrEqual(32);
			// Alone, it had most of the limit: in its best second HelloTech took 32 or more of 40.
			const alone = perWindow(result.api, (entry) => entry.at > othersDone + WINDOW);
			expect(Math.max(...alone.map((window) => window.took))).toBeGreaterThanOrEqual(32);
		}
	});
});
