#!/usr/bin/env node
'use strict';
/**
 * npm run screenshots — the README's pictures, taken from the real n8n editor, so they follow
 * n8n's UI and the package as it is.
 *
 * Starts the pinned n8n that `npm run test:n8n` installs (its cache), with this package installed
 * as a community package, a local HelloTech sandbox and a credential for it; signs up the owner;
 * then drives the editor in Debian's Chromium (`apt-get install -y chromium`) with playwright-core
 * and writes each picture of scripts/screenshots/pictures.js to docs/images/. A picture is one
 * entry there. Nothing outside the repository is called: the outside services' nodes (Google
 * Sheets) run on pinned data, and the order report's email goes to a local SMTP server.
 *
 *   npm run screenshots                     every picture
 *   npm run screenshots -- quick-start      only the pictures whose file name contains a word given
 *
 * $CHROMIUM_PATH picks another browser; HELLOTECH_N8N_KEEP=1 keeps n8n's temporary folder.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureRuntime } = require('./real-n8n/runtime');
const { N8n, buildPackInstall } = require('./real-n8n/n8n');
const { ownerSession, upsertCredential } = require('./real-n8n/rest');
const { startSandbox } = require('./real-n8n/sandbox');
const { Editor, launchBrowser } = require('./screenshots/editor');
const { pictures } = require('./screenshots/pictures');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'images');
const OWNER = { email: 'owner@example.com', firstName: 'Maya', lastName: 'Lopez', password: 'Screenshots-0wner' };
const log = (text) => console.log(text);

async function main() {
	const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
	const chosen = pictures.filter((picture) => only.length === 0 || only.some((word) => picture.file.includes(word)));
	if (chosen.length === 0) throw new Error(`No picture matches ${only.join(', ')}: ${pictures.map((picture) => picture.file).join(', ')}`);

	const runtime = ensureRuntime(log);
	log(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-hellotech-screenshots-'));
	const userFolder = path.join(tmp, 'home');
	fs.mkdirSync(userFolder);
	let sandbox;
	let server;
	let browser;
	let cleaned;
	const cleanUp = () =>
		(cleaned ??= (async () => {
			if (browser) await browser.close().catch(() => {});
			if (server) await server.stop();
			if (sandbox) sandbox.child.kill('SIGTERM');
			if (process.env.HELLOTECH_N8N_KEEP === '1') log(`n8n's folder is kept in ${tmp}`);
			else fs.rmSync(tmp, { recursive: true, force: true });
		})());
	// Ctrl-C stops what was started, as the end of a run does.
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			log(`\n${signal}: stopping`);
			cleanUp().finally(() => process.exit(130));
		});
	}
	try {
		const { packageJson } = buildPackInstall(ROOT, tmp, userFolder);
		log(`${packageJson.name}@${packageJson.version} installed as a community package`);
		sandbox = await startSandbox();
		const n8n = new N8n(runtime, userFolder, { GENERIC_TIMEZONE: 'America/Los_Angeles', TZ: 'UTC' });
		server = await n8n.start();
		log(`n8n: ${server.baseUrl}; sandbox: ${sandbox.url}`);
		const session = await ownerSession(server.baseUrl, OWNER);
		const credentials = {
			helloTech: await upsertCredential(session, { name: 'HelloTech account', type: 'helloTechApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } }),
		};
		browser = await launchBrowser();
		const editor = await Editor.open(browser, server.baseUrl, session, OWNER);
		const context = { editor, session, sandbox: sandbox.control, credentials, packageName: packageJson.name, root: ROOT, tmp };
		fs.mkdirSync(OUT, { recursive: true });
		for (const picture of chosen) {
			const started = Date.now();
			const png = await picture.shoot(context);
			fs.writeFileSync(path.join(OUT, picture.file), png);
			log(`  docs/images/${picture.file} (${Math.round(png.length / 1024)} kB, ${((Date.now() - started) / 1000).toFixed(1)} s): ${picture.about}`);
		}
	} finally {
		await cleanUp();
	}
}

main().catch((error) => {
	console.error(`screenshots FAILED: ${error.stack ?? error}`);
	process.exitCode = 1;
});
