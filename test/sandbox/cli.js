#!/usr/bin/env node
'use strict';
/**
 * Runs the HelloTech sandbox on its own: `node test/sandbox/cli.js [--port 4010] [--seed 40]`.
 * Prints one JSON line { url, apiKey } when it listens; stops on SIGINT/SIGTERM.
 */
const { createSandbox } = require('./server');
const { seedDemoData } = require('./seed');

const arg = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
};

(async () => {
	const sandbox = createSandbox({ apiKey: arg('api-key', undefined) });
	const url = await sandbox.start(Number(arg('port', 0)));
	const seed = Number(arg('seed', 0));
	if (seed > 0) seedDemoData(sandbox.state, seed);
	process.stdout.write(`${JSON.stringify({ url, apiKey: sandbox.apiKey })}\n`);
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
})();
