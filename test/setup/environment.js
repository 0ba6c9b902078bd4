'use strict';
/**
 * The environment every test file runs in: jest's node environment, plus its own HelloTech
 * sandbox (test/sandbox/), on a free port of 127.0.0.1, started before the file's tests and
 * stopped after them. HELLOTECH_SANDBOX_URL and HELLOTECH_SANDBOX_KEY tell the tests where it is
 * (test/helpers.js). One per file, so files can run in parallel workers; the sandbox runs outside
 * the test's realm, on the real clock, whatever clock a test fakes.
 */
const { TestEnvironment } = require('jest-environment-node');

const { createSandbox } = require('../sandbox/server');

class HelloTechEnvironment extends TestEnvironment {
	async setup() {
		await super.setup();
		this.sandbox = createSandbox();
		const url = await this.sandbox.start(0);
		this.global.process.env.HELLOTECH_SANDBOX_URL = url;
		this.global.process.env.HELLOTECH_SANDBOX_KEY = this.sandbox.apiKey;
	}

	async teardown() {
		await this.sandbox?.stop();
		await super.teardown();
	}
}

module.exports = HelloTechEnvironment;
