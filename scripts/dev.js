#!/usr/bin/env node
'use strict';
/**
 * npm run dev — this package inside the pinned real n8n, rebuilt and reloaded on every change,
 * with a local HelloTech sandbox and a credential ready for it.
 *
 *   npm run dev [-- --port 5678] [--home <folder>] [--fresh]
 *
 * It starts, and stops again on Ctrl-C (SIGINT or SIGTERM):
 *   - the HelloTech sandbox (test/sandbox/cli.js) seeded with clients, orders and SKUs; with
 *     HELLOTECH_API_KEY set it starts none and the credential points at HelloTech instead
 *     (HELLOTECH_BASE_URL, default https://apis.hellotech.com);
 *   - `tsc --watch` and `gulp watch:icons`, building into the package's folder inside n8n's user
 *     folder (<home>/.n8n/nodes/node_modules/n8n-nodes-hellotech), where n8n loads community
 *     packages: the node types keep their published names and n8n-workflow is n8n's own;
 *   - n8n (test:n8n's cached n8n 2.41.1 on Node 24) with N8N_DEV_RELOAD=true: n8n watches that
 *     folder and reloads the package each time the build writes to it.
 * Then it signs up (or logs in) the owner dev@example.com, creates or updates the "HelloTech"
 * credential and a "HelloTech playground" workflow, and prints the editor's address and login.
 *
 * n8n's user folder is kept between runs (workflows built in it stay): by default one per
 * checkout in test:n8n's cache folder; --home picks another, --fresh empties it first. n8n's own
 * log goes to <home>/n8n.log; errors, warnings and reloads are echoed here.
 */
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const { ensureRuntime, cacheRoot } = require('./real-n8n/runtime');
const { N8n, freePort } = require('./real-n8n/n8n');
const { DEV_OWNER, ownerSession, upsertCredential, ensureWorkflow } = require('./real-n8n/rest');
const { controlClient } = require('../test/sandbox/control');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const CREDENTIAL = { name: 'HelloTech', type: 'helloTechApi' };
const PLAYGROUND = 'HelloTech playground';
const DEFAULT_PORT = 5678;
const SANDBOX_SEED = 40;

const say = (line) => console.log(line);
const arg = (name) => {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
};

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function devHome() {
	const chosen = arg('home') ?? process.env.HELLOTECH_DEV_HOME;
	const home = chosen
		? path.resolve(chosen)
		: path.join(cacheRoot(), `dev-${path.basename(ROOT)}-${crypto.createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);
	if (process.argv.includes('--fresh')) fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(home, { recursive: true });
	// n8n forgets a module only under the path it watches: no symlink in that path.
	return fs.realpathSync(home);
}

/** The package's folder in n8n's community-package folder: package.json now, dist/ from the watch build. */
function preparePackageFolder(home) {
	const nodesDir = path.join(home, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE.name);
	fs.rmSync(path.join(packageDir, 'dist'), { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	const { name, version, description, license, n8n } = PACKAGE;
	fs.writeFileSync(path.join(packageDir, 'package.json'), `${JSON.stringify({ name, version, description, license, n8n }, null, 2)}\n`);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [name]: version } }, null, 2)}\n`,
	);
	return packageDir;
}

// ---- the processes it starts -----------------------------------------------------------------

const children = [];
let stopping = false;

function eachLine(stream, onLine) {
	let partial = '';
	stream.on('data', (chunk) => {
		const lines = (partial + chunk).split('\n');
		partial = lines.pop();
		for (const line of lines) onLine(line.replace(/\r$/, ''));
	});
}

/** Starts `command` in a process group of its own (stopped whole), its lines to `onLine`. */
function startChild(name, command, args, { env = process.env, onLine }) {
	const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	eachLine(child.stdout, onLine);
	eachLine(child.stderr, onLine);
	const entry = { name, child, exited: null };
	entry.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve((entry.exited = { code, signal }))));
	entry.done.then(({ code, signal }) => {
		if (!stopping) {
			say(`\n${name} stopped by itself (${signal ?? `exit ${code}`}): stopping the rest`);
			void shutdown(1);
		}
	});
	children.push(entry);
	return entry;
}

const signalGroup = (pid, name) => {
	try {
		process.kill(-pid, name);
	} catch {
		// the group is gone
	}
};

/** Resolves with the first line `pattern` matches, or rejects when `entry` exits first. */
function waitForLine(entry, lines, pattern, what) {
	return new Promise((resolve, reject) => {
		const seen = lines.find((line) => pattern.test(line));
		if (seen) return resolve(seen);
		lines.waiters.push((line) => pattern.test(line) && (resolve(line), true));
		entry.done.then((end) => reject(new Error(`${entry.name} exited (${end.signal ?? `exit ${end.code}`}) before ${what}`)));
	});
}

/** Keeps a child's lines (for waitForLine) and echoes them with a prefix. */
function lineKeeper(prefix, echo = () => true) {
	const lines = [];
	lines.waiters = [];
	const onLine = (line) => {
		lines.push(line);
		if (lines.length > 200) lines.shift();
		lines.waiters = lines.waiters.filter((waiter) => !waiter(line));
		if (line.trim() && echo(line)) say(`[${prefix}] ${line}`);
	};
	return { lines, onLine };
}

let n8nServer;

async function shutdown(code) {
	if (stopping) return;
	stopping = true;
	say('\nStopping n8n, the build watchers and the sandbox…');
	if (n8nServer) await n8nServer.stop();
	for (const entry of children) if (!entry.exited) signalGroup(entry.child.pid, 'SIGTERM');
	const killer = setTimeout(() => children.forEach((entry) => signalGroup(entry.child.pid, 'SIGKILL')), 5000);
	await Promise.all(children.map((entry) => entry.done));
	clearTimeout(killer);
	for (const entry of children) signalGroup(entry.child.pid, 'SIGKILL'); // anything a child left in its group
	say('Stopped.');
	process.exit(code);
}

// ---- the pieces --------------------------------------------------------------------------------

async function startSandbox() {
	const keeper = lineKeeper('sandbox', (line) => !line.startsWith('{'));
	const entry = startChild('the HelloTech sandbox', process.execPath, [path.join(ROOT, 'test', 'sandbox', 'cli.js'), '--port', '0', '--seed', String(SANDBOX_SEED)], {
		onLine: keeper.onLine,
	});
	const line = await waitForLine(entry, keeper.lines, /^\{.*"url"/, 'it listened');
	const { url, apiKey } = JSON.parse(line);
	const state = await controlClient(url).state();
	return { url, apiKey, counts: `${state.orders.length} orders, ${state.clients.length} clients, ${state.skus.length} SKUs` };
}

async function startBuildWatchers(packageDir) {
	const dist = path.join(packageDir, 'dist');
	const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
	const tsc = lineKeeper('tsc');
	const tscEntry = startChild('tsc --watch', bin('tsc'), ['-p', 'tsconfig.json', '--watch', '--preserveWatchOutput', '--outDir', dist], { onLine: tsc.onLine });
	const gulp = lineKeeper('gulp', (line) => !/Using gulpfile|Starting 'watch:icons'/.test(line));
	const gulpEntry = startChild('gulp watch:icons', bin('gulp'), ['watch:icons'], { env: { ...process.env, HELLOTECH_OUT_DIR: dist }, onLine: gulp.onLine });
	const compiled = await waitForLine(tscEntry, tsc.lines, /Found \d+ errors?\. Watching for file changes/, 'its first build');
	await waitForLine(gulpEntry, gulp.lines, /Finished 'build:icons'/, 'it copied the icons');
	if (!/Found 0 errors/.test(compiled)) say('The first build has TypeScript errors (above): n8n loads what was emitted.');
}

async function startN8n(runtime, home, port) {
	const n8n = new N8n(runtime, home);
	delete n8n.env.N8N_ENCRYPTION_KEY; // n8n makes its own and keeps it in <home>/.n8n/config
	const logFile = fs.createWriteStream(path.join(home, 'n8n.log'), { flags: 'a' });
	const echo = /Hot reload|\b(error|warn(ing)?)\b/i;
	const offlineNoise = /api\.n8n\.io/; // n8n's own online catalogues, unreachable offline
	return n8n.start({
		port,
		detached: true,
		onSpawn: (server) => (n8nServer = server), // so that Ctrl-C while n8n starts stops it too
		timeoutMs: 300_000,
		env: { N8N_DEV_RELOAD: 'true', DB_SQLITE_POOL_SIZE: '10' },
		onLine: (line) => {
			logFile.write(`${line}\n`);
			if (echo.test(line) && !offlineNoise.test(line) && !stopping) say(`[n8n] ${line}`);
		},
	});
}

function playgroundWorkflow(credentialId) {
	return {
		name: PLAYGROUND,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'b3c1f0a2-1d2e-4c5f-8a9b-0c1d2e3f4a51', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'b3c1f0a2-1d2e-4c5f-8a9b-0c1d2e3f4a52',
				name: 'Newest orders',
				type: `${PACKAGE.name}.helloTech`,
				typeVersion: 2,
				position: [260, 0],
				parameters: { resource: 'order', operation: 'getAll', returnAll: false, limit: 10 },
				credentials: { [CREDENTIAL.type]: { id: credentialId, name: CREDENTIAL.name } },
			},
		],
		connections: { Start: { main: [[{ node: 'Newest orders', type: 'main', index: 0 }]] } },
	};
}

// ---- main --------------------------------------------------------------------------------------

async function main() {
	const realKey = process.env.HELLOTECH_API_KEY;
	const wantedPort = arg('port') ? Number(arg('port')) : undefined;
	const port = wantedPort ?? ((await portIsFree(DEFAULT_PORT)) ? DEFAULT_PORT : await freePort());
	if (wantedPort && !(await portIsFree(wantedPort))) throw new Error(`port ${wantedPort} is taken`);

	const runtime = ensureRuntime(say);
	const home = devHome();
	const packageDir = preparePackageFolder(home);
	say(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}; n8n's folder ${home}`);

	const target = realKey
		? { url: (process.env.HELLOTECH_BASE_URL || 'https://apis.hellotech.com').replace(/\/+$/, ''), apiKey: realKey, what: 'HelloTech (HELLOTECH_API_KEY)' }
		: await startSandbox().then((sandbox) => ({ ...sandbox, what: `the local sandbox (${sandbox.counts})` }));
	await startBuildWatchers(packageDir);
	say('Starting n8n (about a minute)…');
	const server = await startN8n(runtime, home, port);

	const session = await ownerSession(server.baseUrl, DEV_OWNER);
	const credentialId = await upsertCredential(session, { ...CREDENTIAL, data: { apiKey: target.apiKey, baseUrl: target.url } });
	const workflow = await ensureWorkflow(session, playgroundWorkflow(credentialId));

	say(`
n8n-nodes-hellotech in n8n ${runtime.n8nVersion}: rebuilt and reloaded on every change
  Editor:      ${server.baseUrl}
  Login:       ${DEV_OWNER.email} / ${DEV_OWNER.password}
  Credential:  "${CREDENTIAL.name}" → ${target.what} at ${target.url}${realKey ? '' : `, API key ${target.apiKey}`}
  Workflow:    "${PLAYGROUND}" ${server.baseUrl}/workflow/${workflow.id}
Edit nodes/ or credentials/: tsc and gulp rebuild into n8n's folder and n8n reloads the package
(reload the editor page to see changed fields). Ctrl-C stops everything.
`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('exit', () => {
	if (n8nServer) signalGroup(n8nServer.pid, 'SIGKILL');
	children.forEach((entry) => signalGroup(entry.child.pid, 'SIGKILL'));
});

main().catch((error) => {
	if (stopping) return;
	say(`\nnpm run dev failed: ${error.message}`);
	void shutdown(1);
});
