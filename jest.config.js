'use strict';
// Each test file gets its own sandbox (test/setup/environment.js), so files run in parallel
// workers. n8n's logger is buffered there and shown only with a failing test.
module.exports = {
	testEnvironment: '<rootDir>/test/setup/environment.js',
	testMatch: ['<rootDir>/test/**/*.test.js'],
	globalSetup: '<rootDir>/test/setup/global-setup.js',
	globalTeardown: '<rootDir>/test/setup/global-teardown.js',
	// Two workers even on a 2-core machine: most of the suite waits on HTTP round trips and timers.
	maxWorkers: 2,
	testTimeout: 120000,
	// Plain CommonJS (tests and dist/): nothing for babel to do.
	transform: {},
	// Jest's cache, out of the OS temp directory.
	cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
