#!/usr/bin/env node
'use strict';
/**
 * npm run test:dev — `npm run dev` tried as a contributor uses it, on a clone of this
 * repository's HEAD (so the test may edit the source) with a fresh n8n folder:
 *   1. starts `npm run dev` in a process group of its own, as a terminal runs it, and waits for
 *      the editor's address and login it prints;
 *   2. logged in with that login, the editor lists the HelloTech node, the trigger and the
 *      credential; the "HelloTech" credential points at a seeded sandbox (orders, clients, SKUs);
 *   3. runs the "HelloTech playground" workflow as the editor's Execute button does: it succeeds,
 *      its HelloTech node returns the sandbox's orders, and the sandbox saw the credential's key;
 *   4. changes the node's description in the clone's source: tsc rebuilds, n8n reloads the
 *      package, the editor lists the new description, and the workflow still runs;
 *   5. sends Ctrl-C (SIGINT to the group) and checks that every process it had started is gone
 *      and its ports are closed.
 * HELLOTECH_DEV_KEEP=1 keeps the clone and the n8n folder.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const { ensureRuntime } = require('./real-n8n/runtime');
const { freePort } = require('./real-n8n/n8n');
const { ownerSession } = require('./real-n8n/rest');
const { controlClient } = require('../test/sandbox/control');
const { createReport } = require('./lib/report');
const { makeClone, noteUncommitted } = require('./lib/clone');

const report = createReport('test:dev');
const { begin, check } = report;
const PACKAGE = 'n8n-nodes-hellotech';
const START_TIMEOUT_MS = 15 * 60_000; // the first run installs n8n into the cache
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, timeoutMs, probe) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
		await sleep(500);
	}
}

// ---- processes, as /proc shows them ------------------------------------------------------------

function processTable() {
	const table = new Map();
	for (const name of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
			table.set(Number(name), { pid: Number(name), ppid, cmdline });
		} catch {
			// gone while reading
		}
	}
	return table;
}

/** `pid` and every process below it. */
function descendants(pid) {
	const table = processTable();
	const found = [];
	const queue = [pid];
	while (queue.length) {
		const current = queue.shift();
		if (table.has(current)) found.push(table.get(current));
		for (const entry of table.values()) if (entry.ppid === current) queue.push(entry.pid);
	}
	return found;
}

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return false;
	}
};

const portOpen = (port) =>
	new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});

// ---- the dev session ---------------------------------------------------------------------------

function startDev(repo, home, port) {
	const child = spawn('npm', ['run', 'dev', '--', '--home', home, '--port', String(port)], {
		cwd: repo,
		env: { ...process.env, HELLOTECH_API_KEY: '', HELLOTECH_BASE_URL: '' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // a process group of its own, like a terminal's foreground job
	});
	const dev = { child, output: '', exited: null };
	const collect = (chunk) => {
		dev.output += chunk;
		fs.appendFileSync(path.join(path.dirname(home), 'dev.log'), chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	dev.done = new Promise((resolve) => child.on('close', (code, signal) => resolve((dev.exited = { code, signal }))));
	return dev;
}

const tail = (text, lines = 30) => text.trim().split('\n').slice(-lines).join('\n');

/** What `npm run dev` printed once ready: the editor, the login, the sandbox, the workflow. */
function readBanner(output) {
	const editor = /^\s+Editor:\s+(http\S+)/m.exec(output)?.[1];
	const login = /^\s+Login:\s+(\S+) \/ (\S+)/m.exec(output);
	const sandbox = /^\s+Credential:\s+"HelloTech" → the local sandbox .* at (http\S+?),/m.exec(output)?.[1];
	const workflow = /^\s+Workflow:\s+"HelloTech playground" \S+\/workflow\/(\S+)/m.exec(output)?.[1];
	if (!editor || !login || !workflow) return undefined;
	return { editor, email: login[1], password: login[2], sandbox, workflowId: workflow };
}

/** Runs a saved workflow as the editor's Execute button does; resolves the finished execution. */
async function runWorkflow(session, workflowId, runtime) {
	const workflow = await session.request('GET', `/workflows/${workflowId}`);
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	const { executionId } = await session.request('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger.name } });
	const execution = await waitFor(`execution ${executionId} finishing`, 120_000, async () => {
		const found = await session.request('GET', `/executions/${executionId}`).catch(() => undefined);
		return found && found.status !== 'running' && found.status !== 'new' && found.finished !== undefined && found.stoppedAt ? found : undefined;
	});
	// Executions are stored "flatted" (n8n's format for data with cycles): n8n's own copy reads it.
	const flatted = require(path.join(runtime.n8nDir, 'node_modules', 'flatted'));
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	return { execution, runData: data?.resultData?.runData ?? {}, error: data?.resultData?.error };
}

async function nodeTypes(session, baseUrl) {
	const answer = await fetch(`${baseUrl}/types/nodes.json`, { headers: session.headers });
	if (!answer.ok) throw new Error(`GET /types/nodes.json: HTTP ${answer.status}`);
	return answer.json();
}

async function checkEditor(banner, runtime, dev) {
	begin('The editor npm run dev prints');
	const session = await ownerSession(banner.editor, { email: banner.email, password: banner.password });
	check(`${banner.email} logs in with the printed password (the owner npm run dev set up)`, !session.created);
	const nodes = await nodeTypes(session, banner.editor);
	const ours = nodes.filter((entry) => entry.name.startsWith(`${PACKAGE}.`)).map((entry) => entry.name);
	check(
		'the editor lists the HelloTech node, its AI tool twin and the trigger under their published names',
		[`${PACKAGE}.helloTech`, `${PACKAGE}.helloTechTool`, `${PACKAGE}.helloTechTrigger`].every((name) => ours.includes(name)),
		JSON.stringify(ours),
	);
	const credentialTypes = await fetch(`${banner.editor}/types/credentials.json`, { headers: session.headers }).then((answer) => answer.json());
	check('and the HelloTech API credential type', credentialTypes.some((entry) => entry.name === 'helloTechApi'));
	check('n8n started with hot reload on (N8N_DEV_RELOAD)', !/File watching for hot reload is unavailable/.test(dev.output), tail(dev.output, 10));

	begin('The sandbox credential and the playground workflow');
	const credentials = await session.request('GET', '/credentials');
	check('the "HelloTech" credential exists', credentials.some((entry) => entry.name === 'HelloTech' && entry.type === 'helloTechApi'), JSON.stringify(credentials.map((entry) => entry.name)));
	const sandbox = controlClient(banner.sandbox);
	const state = await sandbox.state();
	check(
		`the sandbox it points at is seeded: ${state.orders.length} orders, ${state.clients.length} clients, ${state.skus.length} SKUs`,
		state.orders.length >= 10 && state.clients.length >= 1 && state.skus.length >= 1,
	);
	const before = state.log.length;
	const run = await runWorkflow(session, banner.workflowId, runtime);
	const orders = run.runData['Newest orders']?.[0]?.data?.main?.[0] ?? [];
	check(`the playground workflow runs (status ${run.execution.status})`, run.execution.status === 'success' && !run.error, run.error?.message ?? JSON.stringify(run.execution).slice(0, 300));
	check(`its HelloTech node returned the sandbox's newest orders (${orders.length})`, orders.length === 10 && orders.every((item) => state.orders.some((order) => order.id === item.json.id)), JSON.stringify(orders.slice(0, 2)));
	const requests = (await sandbox.state()).log.slice(before);
	check(
		`the sandbox saw ${requests.length} request(s), all with the credential's API key`,
		requests.length > 0 && requests.every((entry) => entry.apiKeyOk && entry.path === '/api/partners/orders'),
		JSON.stringify(requests.map((entry) => ({ path: entry.path, apiKeyOk: entry.apiKeyOk }))),
	);
	return { session, nodes };
}

async function checkReload({ repo }, banner, runtime, dev, { session, nodes }) {
	begin('A change to the source reaches the running n8n');
	const type = `${PACKAGE}.helloTech`;
	const description = nodes.find((entry) => entry.name === type)?.description;
	// The node's description (also the trigger's, which extends it) is one constant of helpers/docs.ts.
	const file = path.join(repo, 'nodes', 'HelloTech', 'helpers', 'docs.ts');
	const source = fs.readFileSync(file, 'utf8');
	const literal = `'${description}'`;
	if (!check('the node\'s description is a literal in nodes/HelloTech/helpers/docs.ts', description && source.includes(literal), `description: ${description}`)) return;
	const changed = `${description} (changed by test:dev)`;
	const mark = dev.output.length;
	fs.writeFileSync(file, source.replace(literal, `'${changed}'`));
	const seen = await waitFor('the editor listing the changed description', 180_000, async () => {
		const entry = (await nodeTypes(session, banner.editor).catch(() => [])).find((candidate) => candidate.name === type);
		return entry?.description === changed ? entry : undefined;
	}).catch((error) => error);
	const since = dev.output.slice(mark);
	check('tsc rebuilt it', /File change detected[\s\S]*Found 0 errors/.test(since), tail(since, 10));
	check('n8n reloaded the package', /Hot reload triggered for n8n-nodes-hellotech/.test(since), tail(since, 10));
	check(`the editor lists the new description "${changed}"`, !(seen instanceof Error), seen instanceof Error ? seen.message : '');
	const run = await runWorkflow(session, banner.workflowId, runtime);
	check(`the playground workflow still runs after the reload (status ${run.execution.status})`, run.execution.status === 'success' && !run.error, run.error?.message);
}

async function stopAndCheck(dev, started, ports) {
	begin('Ctrl-C stops everything npm run dev started');
	process.kill(-dev.child.pid, 'SIGINT');
	const ended = await Promise.race([dev.done, sleep(90_000).then(() => undefined)]);
	check('npm run dev ends within 90 s of Ctrl-C and says it stopped', ended && /Stopped\./.test(dev.output), ended ? tail(dev.output, 8) : 'still running');
	await sleep(1000);
	const survivors = started.filter((entry) => alive(entry.pid));
	check(
		`none of the ${started.length} processes it had started is left (n8n and its task runner, tsc, gulp, the sandbox, npm)`,
		survivors.length === 0,
		survivors.map((entry) => `${entry.pid} ${entry.cmdline.slice(0, 120)}`).join('\n'),
	);
	for (const [name, port] of Object.entries(ports)) {
		if (port) check(`${name} port ${port} is closed`, !(await portOpen(port)));
	}
	return survivors;
}

async function main() {
	console.log('test:dev: npm run dev on a clone of HEAD, with a fresh n8n folder');
	noteUncommitted();
	begin('n8n (cached outside the repository)');
	const runtime = ensureRuntime((line) => console.log(line));
	console.log(`  n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-dev-'));
	const home = path.join(tmp, 'n8n-home');
	let dev;
	let started = [];
	let survivors = [];
	try {
		const clone = makeClone(tmp);
		const port = await freePort();
		begin('npm run dev starts');
		dev = startDev(clone.repo, home, port);
		const banner = await waitFor('npm run dev printing the editor and the login', START_TIMEOUT_MS, async () => dev.exited ? Promise.reject(new Error(`npm run dev exited (${JSON.stringify(dev.exited)}):\n${tail(dev.output)}`)) : readBanner(dev.output));
		check(`it prints the editor (${banner.editor}), a login and the playground workflow`, banner.editor === `http://127.0.0.1:${port}`, banner.editor);
		check('its credential points at a local sandbox it started', Boolean(banner.sandbox), tail(dev.output, 12));
		started = descendants(dev.child.pid);
		console.log(`  it runs ${started.length} processes: ${started.map((entry) => path.basename(entry.cmdline.split(' ')[1] ?? entry.cmdline.split(' ')[0])).join(', ')}`);
		const seen = await checkEditor(banner, runtime, dev);
		await checkReload(clone, banner, runtime, dev, seen);
		survivors = await stopAndCheck(dev, started, { n8n: port, sandbox: Number(new URL(banner.sandbox).port) });
	} catch (error) {
		report.stopped(error);
		if (dev && dev.output) console.log(`\n  npm run dev printed:\n${tail(dev.output, 40).replace(/^/gm, '    ')}`);
	} finally {
		// Whatever happened, leave nothing running.
		if (dev && !dev.exited) {
			started = started.length ? started : descendants(dev.child.pid);
			process.kill(-dev.child.pid, 'SIGINT');
			await Promise.race([dev.done, sleep(60_000)]);
		}
		for (const entry of [...started, ...survivors]) if (alive(entry.pid)) process.kill(entry.pid, 'SIGKILL');
		const ok = report.finish();
		if (process.env.HELLOTECH_DEV_KEEP === '1' || !ok) console.log(`  the clone, n8n's folder and dev.log are kept in ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main();
