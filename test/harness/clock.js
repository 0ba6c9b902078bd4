'use strict';
/**
 * A controllable clock for a test whose run must wait long (a Retry-After of a minute, say): the
 * wait takes no real time, and the test can still prove it was made.
 *
 * `onTestClock(work)` runs `work` (a function returning a promise: a workflow run, say) with
 * - the test realm's `Date` frozen (jest's fake Date): it moves only when the clock jumps;
 * - n8n-workflow's `sleep`, which the node makes every wait with (the pacer, retries, Retry-After),
 *   put on that clock: a sleep ends when the clock reaches its end.
 * Whenever a sleep is pending, the clock jumps to the earliest end. Everything else is real: the
 * sandbox runs outside the test's realm, HTTP and its timeouts (n8n-core's HTTP client's timers)
 * on the real clock. So use it for runs that make one request at a time: with several in flight,
 * the clock could jump while answers are still on their way.
 *
 * Resolves with { value, clockMs }: what `work` resolved with, and how far the clock moved.
 */
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

/** Real milliseconds between two looks at the pending sleeps. */
const POLL_MS = 1;

/** The module n8n-workflow's `sleep` comes from (n8n-workflow re-exports it by a live getter). */
function sleepModule() {
	const workflowDir = path.dirname(require.resolve('n8n-workflow'));
	return require(require.resolve('@n8n/utils/sleep', { paths: [workflowDir] }));
}

async function onTestClock(work) {
	const pending = [];
	const sleep = async (ms, abortSignal) =>
		await new Promise((resolve, reject) => {
			const wait = { due: Date.now() + Math.max(0, Number(ms) || 0), resolve };
			pending.push(wait);
			abortSignal?.addEventListener('abort', () => {
				pending.splice(pending.indexOf(wait), 1);
				reject(abortSignal.reason);
			});
		});
	jest.useFakeTimers({ doNotFake: KEPT_REAL });
	const spy = jest.spyOn(sleepModule(), 'sleep').mockImplementation(sleep);
	try {
		if (require('n8n-workflow').sleep !== spy) throw new Error("n8n-workflow's sleep could not be put on the test clock");
		const startedAt = Date.now();
		let settled = false;
		const outcome = (async () => await work())().then(
			(value) => ({ value }),
			(error) => ({ error }),
		);
		void outcome.then(() => (settled = true));
		while (!settled) {
			await new Promise((resolve) => setTimeout(resolve, POLL_MS));
			if (settled || pending.length === 0) continue;
			pending.sort((a, b) => a.due - b.due);
			if (pending[0].due > Date.now()) jest.setSystemTime(pending[0].due);
			while (pending.length > 0 && pending[0].due <= Date.now()) pending.shift().resolve();
		}
		const clockMs = Date.now() - startedAt;
		const { value, error } = await outcome;
		if (error) throw error;
		return { value, clockMs };
	} finally {
		spy.mockRestore();
		jest.useRealTimers();
	}
}

module.exports = { onTestClock };
