'use strict';
// One sandbox for the whole suite, on a free port; tests reach it over HTTP (test/helpers.js).
const { createSandbox } = require('../sandbox/server');

module.exports = async () => {
	const sandbox = createSandbox();
	const url = await sandbox.start(0);
	process.env.HELLOTECH_SANDBOX_URL = url;
	process.env.HELLOTECH_SANDBOX_KEY = sandbox.apiKey;
	globalThis.__HELLOTECH_SANDBOX__ = sandbox;
};
