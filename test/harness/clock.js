'use strict';
/**
 * A simulated clock for tests of waits and pace: a Retry-After of a minute takes no real time,
 * and what the node does over time is the same on every machine, however busy.
 *
 * `onTestClock(work)` runs `work` (a function returning a promise: a workflow run, say) with
 * - the test realm's `Date` frozen (jest's fake Date), so it moves only when the clock does; the
 *   test file's sandbox reads the same clock (test/setup/environment.js), so its rate limits
 *   count on it;
 * - n8n-workflow's `sleep`, which the node makes every wait with (the pace, retries, Retry-After),
 *   put on that clock: a sleep ends when the clock reaches its end.
 * The clock moves only when everything waits on it: when a sleep is pending and no HTTP request
 * is open (sent and not yet answered), it jumps to the earliest sleep's end. A request and its
 * answer take no time on the clock; HTTP itself, its timeouts and the sandbox's latency stay real.
 *
 * `startAt` (ms since the epoch, default now) sets where the clock starts: a whole second makes a
 * run against windows aligned to the second the same every time.
 *
 * Resolves with { value, clockMs }: what `work` resolved with, and how far the clock moved.
 */
const diagnostics = require('diagnostics_channel');
const path = require('path');

/** Everything jest can fake except Date. */
const KEPT_REAL = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
];

/** Real milliseconds between two looks at what is pending when nothing said it changed. */
const LOOK_MS = 10;

/** One turn of the event loop: what a resolved sleep or an answer set off runs on meanwhile. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The module n8n-workflow's `sleep` comes from (n8n-workflow re-exports it by a live getter). */
function sleepModule() {
	const workflowDir = path.dirname(require.resolve('n8n-workflow'));
	return require(require.resolve('@n8n/utils/sleep', { paths: [workflowDir] }));
}

/** Counts the HTTP requests of this process that are open (n8n-core's HTTP client uses node's http). */
function watchRequests(onClose) {
	let open = 0;
	const onStart = ({ request }) => {
		open++;
		request.once('close', () => {
			open--;
			onClose();
		});
	};
	diagnostics.subscribe('http.client.request.start', onStart);
	return { open: () => open, stop: () => diagnostics.unsubscribe('http.client.request.start', onStart) };
}

async function onTestClock(work, { startAt } = {}) {
	/** Called when something the clock depends on changes: a sleep starts, a request closes, the work ends. */
	let wake = () => {};
	const pending = [];
	const sleep = async (ms, abortSignal) =>
		await new Promise((resolve, reject) => {
			const wait = { due: Date.now() + Math.max(0, Number(ms) || 0), resolve };
			pending.push(wait);
			wake();
			abortSignal?.addEventListener('abort', () => {
				pending.splice(pending.indexOf(wait), 1);
				reject(abortSignal.reason);
			});
		});
	/** Ends the sleeps that are due; says whether there were any. */
	const endDue = () => {
		pending.sort((a, b) => a.due - b.due);
		let ended = false;
		while (pending.length > 0 && pending[0].due <= Date.now()) {
			pending.shift().resolve();
			ended = true;
		}
		return ended;
	};

	jest.useFakeTimers({ doNotFake: KEPT_REAL, ...(startAt === undefined ? {} : { now: startAt }) });
	const spy = jest.spyOn(sleepModule(), 'sleep').mockImplementation(sleep);
	const requests = watchRequests(() => wake());
	try {
		if (require('n8n-workflow').sleep !== spy) throw new Error("n8n-workflow's sleep could not be put on the test clock");
		const startedAt = Date.now();
		let settled = false;
		const outcome = (async () => await work())().then(
			(value) => ({ value }),
			(error) => ({ error }),
		);
		void outcome.then(() => {
			settled = true;
			wake();
		});
		while (!settled) {
			const changed = new Promise((resolve) => (wake = resolve));
			await turn();
			await turn();
			if (settled) break;
			if (endDue()) continue;
			if (pending.length > 0 && requests.open() === 0) {
				// Everything waits on the clock: it moves to the earliest sleep's end.
				jest.setSystemTime(pending[0].due);
				endDue();
				continue;
			}
			let timer;
			await Promise.race([changed, new Promise((resolve) => (timer = setTimeout(resolve, LOOK_MS)))]);
			clearTimeout(timer);
		}
		const clockMs = Date.now() - startedAt;
		const { value, error } = await outcome;
		if (error) throw error;
		return { value, clockMs };
	} finally {
		requests.stop();
		spy.mockRestore();
		jest.useRealTimers();
	}
}

module.exports = { onTestClock };
