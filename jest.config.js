'use strict';
// The suite runs in band: every test file talks to the one sandbox that the global setup starts.
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.js'],
	globalSetup: '<rootDir>/test/setup/global-setup.js',
	globalTeardown: '<rootDir>/test/setup/global-teardown.js',
	maxWorkers: 1,
	testTimeout: 120000,
};
