'use strict';
/** The HelloTech sandbox in its own process, as HelloTech is to n8n: another program on the network. */
const { spawn } = require('child_process');
const path = require('path');

const { controlClient } = require('../../test/sandbox/control');

const CLI = path.resolve(__dirname, '..', '..', 'test', 'sandbox', 'cli.js');

/** Starts `test/sandbox/cli.js` on a free port: { child, url, apiKey, control }. Stop it with child.kill(). */
async function startSandbox() {
	const child = spawn(process.execPath, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const line = await new Promise((resolve, reject) => {
		let text = '';
		child.stdout.on('data', (chunk) => {
			text += chunk;
			if (text.includes('\n')) resolve(text.split('\n')[0]);
		});
		child.on('exit', (code) => reject(new Error(`the sandbox exited (code ${code}) before it listened`)));
	});
	const { url, apiKey } = JSON.parse(line);
	return { child, url, apiKey, control: controlClient(url) };
}

module.exports = { startSandbox };
