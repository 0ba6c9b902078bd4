'use strict';
/**
 * Once per jest run, before any test file: one folder in the OS temp directory for everything the
 * run writes there. n8n-core's user folder (N8N_USER_FOLDER: its instance settings) is in it, and
 * TMPDIR points into it, so whatever a test or n8n-core puts in `os.tmpdir()` is in it too. The
 * global teardown removes it; so does the exit of this process, should the teardown not run.
 *
 * Each test file gets its own sandbox (test/setup/environment.js), so files can run in parallel.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-jest-'));
	const userFolder = path.join(root, 'n8n');
	const tmp = path.join(root, 'tmp');
	fs.mkdirSync(userFolder);
	fs.mkdirSync(tmp);
	const previous = { TMPDIR: process.env.TMPDIR, N8N_USER_FOLDER: process.env.N8N_USER_FOLDER };
	// The workers jest starts after this inherit these; a run in band reads them from this process.
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.TMPDIR = tmp;
	const remove = () => fs.rmSync(root, { recursive: true, force: true });
	process.once('exit', remove);
	globalThis.__HELLOTECH_JEST_RUN__ = { root, previous, remove };
};
