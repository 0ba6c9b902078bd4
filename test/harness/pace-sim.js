'use strict';
/**
 * Node runs sharing one rate limit, on a simulated clock: each run is a Pacer
 * (transport/pacer.ts) driven as transport/request.ts and helpers/runner.ts drive it, each
 * request goes to a simulated HelloTech behind one of the sandbox's limiters
 * (test/sandbox/limiters.js). No real time passes and every random draw comes from a seed, so a
 * simulation gives the same figures on any machine, however busy: the pace's properties (its
 * share, recovery, politeness, fairness) are proven here, in test/pacer.test.js, and measured
 * in bench/pace.js.
 */
const { createLimiter, ratePerSecond } = require('../sandbox/limiters');
const { randomSequence } = require('../sandbox/seed-report-day');

/** A repeatable stream of numbers in [0, 1) (mulberry32: nearby seeds give unrelated streams). */
const dice = randomSequence;

/**
 * A simulated clock. `sleep` waits in simulated time (a timer may fire up to `latenessMs` late,
 * as a busy event loop's do); `run` fires the timers in time order until a promise settles,
 * letting every promise that can move on do so before time advances.
 */
function simulatedClock(start, { latenessMs = 0, random = dice(99) } = {}) {
	let now = start;
	let order = 0;
	const heap = [];
	const before = (a, b) => a.at < b.at || (a.at === b.at && a.order < b.order);
	const push = (timer) => {
		heap.push(timer);
		for (let i = heap.length - 1; i > 0; ) {
			const parent = (i - 1) >> 1;
			if (!before(heap[i], heap[parent])) break;
			[heap[i], heap[parent]] = [heap[parent], heap[i]];
			i = parent;
		}
	};
	const pop = () => {
		const top = heap[0];
		const last = heap.pop();
		if (heap.length > 0) {
			heap[0] = last;
			for (let i = 0; ; ) {
				const left = 2 * i + 1;
				const right = left + 1;
				let least = i;
				if (left < heap.length && before(heap[left], heap[least])) least = left;
				if (right < heap.length && before(heap[right], heap[least])) least = right;
				if (least === i) break;
				[heap[i], heap[least]] = [heap[least], heap[i]];
				i = least;
			}
		}
		return top;
	};
	const at = (ms, late) => now + Math.max(0, ms) + (late ? latenessMs * random() : 0);
	return {
		now: () => now,
		/** A pause of the code under test: may end late. */
		sleep: (ms) => new Promise((resolve) => push({ at: at(ms, true), order: order++, resolve })),
		/** A delay of the simulated world (the network, HelloTech): exact. */
		delay: (ms) => new Promise((resolve) => push({ at: at(ms, false), order: order++, resolve })),
		async run(promise) {
			let settled = false;
			const outcome = promise.then(
				(value) => ({ value }),
				(error) => ({ error }),
			);
			outcome.then(() => (settled = true));
			for (;;) {
				await new Promise((resolve) => setImmediate(resolve));
				if (settled) break;
				if (heap.length === 0) throw new Error('Nothing left to run, and the runs have not finished');
				const timer = pop();
				now = Math.max(now, timer.at);
				timer.resolve();
				// Every timer due at the same moment fires before the promises move on.
				while (heap.length > 0 && heap[0].at <= now) pop().resolve();
			}
			const { value, error } = await outcome;
			if (error) throw error;
			return value;
		},
	};
}

/**
 * HelloTech behind the sandbox's `faults`: `rateLimit` (a sandbox limiter config, limiters.js)
 * and `rateLimitAnswer` ('plain': no Retry-After, as rack-attack answers by default). Each request
 * reaches it half a round trip after it is sent (`latencyMs` / 2 and up to `jitterMs` / 2 more, at
 * random), is counted, and is answered half a round trip later: taken, or 429.
 */
function simulatedApi(clock, { rateLimit, rateLimitAnswer }, { latencyMs = 20, jitterMs = 6, random = dice(1), othersFirst = 0 } = {}) {
	const { take } = createLimiter(rateLimit);
	// Another client's requests, counted as the simulation starts.
	for (let i = 0; i < othersFirst; i++) take(clock.now());
	const log = [];
	const stats = { inFlight: 0, maxInFlight: 0 };
	return {
		log,
		stats,
		/** One request of run `who`, sent now: { taken, retryAfterMs } (retryAfterMs undefined: none named). */
		async request(who) {
			const sentAt = clock.now();
			stats.inFlight++;
			stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
			await clock.delay((latencyMs + random() * jitterMs) / 2);
			const at = clock.now();
			const seconds = take(at);
			log.push({ who, sentAt, at, taken: seconds === 0 });
			await clock.delay((latencyMs + random() * jitterMs) / 2);
			stats.inFlight--;
			if (seconds === 0) return { taken: true };
			return { taken: false, retryAfterMs: rateLimitAnswer === 'plain' ? undefined : seconds * 1000 };
		},
	};
}

/** transport/request.ts's wait after a 429 that names none: doubling from 1 s, with jitter. */
function backoffMs(attempt, random, { rateLimitBackoffBaseMs: base, rateLimitBackoffMaxMs: max }) {
	const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * One node run of `items` creates, as request.ts and runner.ts drive its Pacer: `maxInFlight`
 * items under way, and one more for each request waiting out a 429 (up to twice as many); each
 * 429 waited out as its Retry-After asks (or request.ts's backoff when it names none), the
 * request sent again through the pacer with `notBefore`; an item fails after RETRY's waits.
 * `cpuMs`: the run's own time per request before it is sent (n8n reading the item), at random up to.
 */
async function nodeRun(clock, api, Pacer, RETRY, { who, items, maxInFlight, startAfterMs = 0, cpuMs = 0, random }) {
	if (startAfterMs > 0) await clock.delay(startAfterMs);
	const run = { who, items, taken: 0, refused: 0, failed: 0, early: 0, paces: [], startedAt: clock.now(), endedAt: undefined };
	const pacer = new Pacer(maxInFlight, {
		now: clock.now,
		sleep: clock.sleep,
		yieldTurn: () => clock.sleep(0),
		random,
		onPaceChange: (change) => run.paces.push({ ...change, at: clock.now() }),
	});
	run.pacer = pacer;
	const item = async () => {
		let notBefore;
		let waitedMs = 0;
		for (let waits = 0; ; ) {
			const sent = await pacer.run(async (startedAt) => {
				if (cpuMs > 0) await clock.delay(cpuMs * random());
				return { startedAt, answer: await api.request(who) };
			}, notBefore);
			if (notBefore !== undefined && sent.startedAt < notBefore) run.early++;
			if (sent.answer.taken) {
				pacer.accept(sent.startedAt);
				run.taken++;
				return;
			}
			run.refused++;
			const asked = sent.answer.retryAfterMs !== undefined;
			const wait = asked ? Math.max(50, sent.answer.retryAfterMs) : backoffMs(waits + 1, random, RETRY);
			if (waits >= RETRY.maxRateLimitWaits || waitedMs + wait > RETRY.defaultRateLimitWaitMs) {
				run.failed++;
				return;
			}
			waits++;
			waitedMs += wait;
			pacer.rateLimited(sent.startedAt, wait, asked);
			notBefore = clock.now() + wait;
		}
	};
	await new Promise((done) => {
		let next = 0;
		let underWay = 0;
		const fill = () => {
			while (next < items && underWay < maxInFlight + Math.min(maxInFlight, pacer.waitingOut)) {
				next++;
				underWay++;
				pacer.itemsLeft = items - next;
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

/** A moment to start at: 9:00 on a Monday, plus `offsetMs` (where in a window the runs start matters). */
const startAt = (offsetMs = 0) => Date.UTC(2025, 0, 6, 9, 0, 0) + offsetMs;

/**
 * Runs of `sizes` creates against one simulated HelloTech with the sandbox's `faults` (its
 * `rateLimit` and `rateLimitAnswer`), started within
 * `spreadMs` of each other (at random, as executions picked up from n8n's queue are; `startsMs`
 * gives each run's start instead), each with up to `maxInFlight` requests in flight, `offsetMs`
 * into a second of the clock; `othersFirst` requests of another client counted as they start.
 * Returns the runs and the figures a benchmark prints:
 * time against the bound (all the runs' creates at the limit's rate), fairness (the slowest
 * run's time against the fastest's), the share of requests refused with 429, failures, and
 * requests sent again before their Retry-After (`early`, always 0).
 */
async function simulate(
	{ Pacer, RETRY },
	faults,
	sizes,
	{ maxInFlight = 20, seed = 1, offsetMs = 300, spreadMs = 100, startsMs, cpuMs = 2, latenessMs = 1, latencyMs = 20, jitterMs = 6, othersFirst = 0 } = {},
) {
	const random = dice(seed);
	const clock = simulatedClock(startAt(offsetMs), { latenessMs, random: dice(seed + 1) });
	const api = simulatedApi(clock, faults, { latencyMs, jitterMs, random: dice(seed + 2), othersFirst });
	const startAfter = (i) => startsMs?.[i] ?? (i === 0 ? 0 : spreadMs * random());
	const runs = await clock.run(
		Promise.all(
			sizes.map((items, i) => nodeRun(clock, api, Pacer, RETRY, { who: i, items, maxInFlight, startAfterMs: startAfter(i), cpuMs, random: dice(seed * 31 + i) })),
		),
	);
	const begin = Math.min(...runs.map((run) => run.startedAt));
	const end = Math.max(...runs.map((run) => run.endedAt));
	const durations = runs.map((run) => run.endedAt - run.startedAt);
	const total = sizes.reduce((sum, size) => sum + size, 0);
	const boundMs = (total / ratePerSecond(faults.rateLimit)) * 1000;
	const refused = api.log.filter((entry) => !entry.taken).length;
	return {
		clock,
		api,
		runs,
		begin,
		elapsedMs: end - begin,
		boundMs,
		ratio: (end - begin) / boundMs,
		fairness: Math.max(...durations) / Math.min(...durations),
		requests: api.log.length,
		refused,
		refusedShare: refused / api.log.length,
		failed: runs.reduce((sum, run) => sum + run.failed, 0),
		taken: runs.reduce((sum, run) => sum + run.taken, 0),
		early: runs.reduce((sum, run) => sum + run.early, 0),
	};
}

module.exports = { dice, simulatedClock, simulatedApi, nodeRun, simulate, startAt };
