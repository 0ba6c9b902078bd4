'use strict';
/**
 * The environment every test file runs in: jest's node environment, plus
 * - its own HelloTech sandbox (test/sandbox/), on a free port of 127.0.0.1, started before the
 *   file's tests and stopped after them. HELLOTECH_SANDBOX_URL and HELLOTECH_SANDBOX_KEY tell the
 *   tests where it is (test/helpers.js). One per file, so files can run in parallel workers. It
 *   runs outside the test's realm (its latency and timeouts are real) but reads the time from the
 *   test's `Date`, so a test on a simulated clock (test/harness/clock.js) has its rate limits too.
 * - a quiet n8n logger: what n8n's logger says during a test (expected errors, mostly) goes to
 *   `__HELLOTECH_N8N_LOG__` (test/harness/engine.js routes it there) instead of the terminal, and
 *   is shown only with a test that fails, after its own error.
 */
const { TestEnvironment } = require('jest-environment-node');

const { createSandbox } = require('../sandbox/server');

/** At most this many log lines are kept per test: the last ones. */
const MAX_LOG_LINES = 500;

class HelloTechEnvironment extends TestEnvironment {
	async setup() {
		await super.setup();
		// The sandbox's clock is the test's: real, or simulated while a test runs on test/harness/clock.js.
		this.sandbox = createSandbox({ now: () => this.global.Date.now() });
		const url = await this.sandbox.start(0);
		this.global.process.env.HELLOTECH_SANDBOX_URL = url;
		this.global.process.env.HELLOTECH_SANDBOX_KEY = this.sandbox.apiKey;
		this.log = { lines: [], dropped: 0, max: MAX_LOG_LINES };
		this.global.__HELLOTECH_N8N_LOG__ = this.log;
	}

	async teardown() {
		await this.sandbox?.stop();
		await super.teardown();
	}

	handleTestEvent(event) {
		if (event.name === 'test_start') {
			this.log.lines.length = 0;
			this.log.dropped = 0;
		}
		if (event.name === 'test_done' && event.test.errors.length > 0 && this.log.lines.length > 0) {
			event.test.errors.push(this.logReport());
		}
	}

	/** The test's n8n log as one more failure of the test, so the report shows it under the test's own. */
	logReport() {
		const { lines, dropped } = this.log;
		const text = [
			`n8n's log during this test (${lines.length + dropped} lines${dropped ? `, the first ${dropped} left out` : ''}):`,
			...lines.map((line) => `  ${line}`),
		].join('\n');
		const report = new Error(text);
		report.stack = text; // no stack: the log is the whole message
		return report;
	}
}

module.exports = HelloTechEnvironment;
