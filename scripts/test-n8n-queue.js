#!/usr/bin/env node
'use strict';
/**
 * npm run test:n8n:queue — this package in n8n's queue mode, the way n8n scales out: a main
 * instance, Redis as the queue, Postgres as the database, and two workers that run the
 * executions. Every part is real and runs on this machine:
 *   1. Redis and Postgres from Debian's packages (apt-get installs redis-server and postgresql
 *      when they are missing: root only), started on free ports in temporary folders;
 *   2. the pinned n8n (scripts/real-n8n/runtime.js) as `n8n start` (main) and two `n8n worker`s,
 *      each with its own user folder holding the packed package, as n8n's community package
 *      install leaves it, and one encryption key;
 *   3. a credential pointing at the HelloTech sandbox (a process of its own, with a rate limit all
 *      workers share), a webhook-started bulk-order workflow and an active HelloTech Trigger
 *      (New Order) workflow, imported and published before the main starts;
 *   4. several bulk orders fired at the webhook at once; then checks, at the sandbox and in
 *      Postgres: every execution succeeded and ran on a worker, every purchase order was created
 *      exactly once, and the trigger, polled by the main, started one execution item per new order;
 *   5. a worker killed with SIGKILL in the middle of a 200-row sheet, and the sheet run again:
 *      every purchase order booked exactly once (scripts/real-n8n/queue-crash.js).
 * It stops everything it started (by PID; Postgres with pg_ctl), also on failure or Ctrl-C.
 * HELLOTECH_N8N_KEEP=1 keeps the temporary folders (logs, Postgres data) for a look.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureRuntime } = require('./real-n8n/runtime');
const { N8n, installCommunityPackage, loadProblems, tail } = require('./real-n8n/n8n');
const { queueCluster } = require('./real-n8n/cluster');
const { startSandbox } = require('./real-n8n/sandbox');
const { createReport } = require('./lib/report');
const { createOrderV2, orderRow } = require('./real-n8n/create-v2');
const { crashWorkflow, killMidRunThenRerun } = require('./real-n8n/queue-crash');

const ROOT = path.resolve(__dirname, '..');
const CREDENTIAL_ID = 'HtQueueCred00001';
const BULK_ID = 'HtQueueBulk00001';
const TRIGGER_ID = 'HtQueueTrigger01';
const WEBHOOK_PATH = 'hellotech-queue-bulk';
/** Bulk orders fired at once, rows in each, and the sandbox's rate limit all workers share. */
const BATCHES = 4;
const ROWS = 30;
const RATE_LIMIT = 25;
const WORKERS = 2;
const WORKER_CONCURRENCY = 5;
/** Orders in the sandbox before the trigger is activated: it must never emit these. */
const EXISTING_ORDERS = 5;

// ---- reporting ----------------------------------------------------------------------------------

const report = createReport('test:n8n:queue');
const { begin } = report;
const log = (text) => console.log(text);
let anyFailed = false;

function check(label, pass, detail) {
	if (interrupted) return false;
	if (!report.check(label, pass, detail)) anyFailed = true;
	return Boolean(pass);
}

/** A failed step after which the rest cannot run. */
class Fatal extends Error {}
const fatal = (message) => {
	throw new Fatal(message);
};

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, test, { timeoutMs, everyMs = 1000, detail = () => '' }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (interrupted) fatal('interrupted');
		const value = await test();
		if (value) return value;
		if (Date.now() > deadline) fatal(`${what}: not after ${Math.round(timeoutMs / 1000)} s${detail() ? `\n${detail()}` : ''}`);
		await wait(everyMs);
	}
}

// ---- everything this run starts, stopped in reverse order ---------------------------------------

const stops = [];
const onStop = (label, stop) => stops.push({ label, stop });

async function stopAll() {
	while (stops.length > 0) {
		const { label, stop } = stops.pop();
		try {
			await stop();
		} catch (error) {
			log(`  could not stop ${label}: ${error.message}`);
		}
	}
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		if (interrupted) return;
		interrupted = true;
		log(`\n${signal}: stopping everything this run started`);
		stopAll().finally(() => process.exit(130));
	});
}

const keepFiles = () => process.env.HELLOTECH_N8N_KEEP === '1' || (!interrupted && anyFailed);

const { ensureDebianPackages, startRedis, startPostgres, buildAndPack, clusterEnv, startMain, startWorker } = queueCluster({ log, onStop, until, fatal, keepFiles });

// ---- the package, the workflows -----------------------------------------------------------------

const credentialRef = { helloTechApi: { id: CREDENTIAL_ID, name: 'HelloTech sandbox' } };

/** A webhook (answers at once, so the main only queues the execution) → one item per row → Order → Create (version 2 as added: `create`). */
function bulkWorkflow(packageName, create) {
	return {
		id: BULK_ID,
		name: 'HelloTech bulk orders (queue test)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1c0ffee-0000-4000-8000-000000000001',
				name: 'Bulk order',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a1c0ffee-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'a1c0ffee-0000-4000-8000-000000000002',
				name: 'Rows',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.rows', options: {} },
			},
			{
				id: 'a1c0ffee-0000-4000-8000-000000000003',
				name: 'Create order',
				type: `${packageName}.helloTech`,
				// Version 2 with its defaults (20 requests in flight), as a new user has it.
				typeVersion: create.typeVersion,
				position: [440, 0],
				parameters: create.parameters,
				credentials: credentialRef,
			},
		],
		connections: {
			'Bulk order': { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Create order', type: 'main', index: 0 }]] },
		},
	};
}

/** The HelloTech Trigger on new orders, every minute, into a No Operation node. */
function triggerWorkflow(packageName) {
	return {
		id: TRIGGER_ID,
		name: 'HelloTech new orders (queue test)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1c0ffee-0000-4000-8000-000000000011',
				name: 'New HelloTech order',
				type: `${packageName}.helloTechTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { event: 'newOrder', pollTimes: { item: [{ mode: 'everyMinute' }] } },
				credentials: credentialRef,
			},
			{
				id: 'a1c0ffee-0000-4000-8000-000000000012',
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { 'New HelloTech order': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
	};
}

// ---- n8n in queue mode ----------------------------------------------------------------------------

/** n8n keeps run data in execution_data as `flatted` JSON; n8n's own copy of flatted reads it. */
function runDataReader(runtime) {
	const { parse } = require(require.resolve('flatted', { paths: [runtime.n8nDir] }));
	return (text) => parse(text);
}

// ---- main ------------------------------------------------------------------------------------------

async function main() {
	log('test:n8n:queue: this package in n8n queue mode (main + 2 workers, Redis, Postgres)');
	begin('n8n and Node 24 (cached outside the repository)');
	const runtime = ensureRuntime((line) => log(line));
	log(`  n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}: ${runtime.n8nDir}`);

	begin('Redis and Postgres (Debian packages)');
	const debian = ensureDebianPackages();
	check(`Redis and Postgres are installed (${debian.versions})`, debian.installed);

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-queue-'));
	onStop('the temporary folder', async () => {
		if (!keepFiles()) fs.rmSync(tmp, { recursive: true, force: true });
		else log(`  logs, workflows and the n8n folders are kept in ${tmp}`);
	});
	try {
		const redis = await startRedis(tmp);
		log(`  redis-server on port ${redis.port} (pid ${redis.pid})`);
		const postgres = await startPostgres();
		log(`  Postgres ${postgres.version} on port ${postgres.port} (pid ${postgres.pid}), data in ${postgres.data}`);

		begin('The package in every n8n process; credential and workflows');
		const tarball = buildAndPack(tmp);
		const env = clusterEnv(redis, postgres);
		const processes = ['main', ...Array.from({ length: WORKERS }, (_, i) => `worker${i + 1}`)].map((name) => {
			const folder = path.join(tmp, name);
			fs.mkdirSync(folder);
			const { packageJson } = installCommunityPackage(tarball, folder);
			return { name, n8n: new N8n(runtime, folder, env), packageJson };
		});
		const packageName = processes[0].packageJson.name;
		log(`  ${path.basename(tarball)} installed in the user folder of ${processes.map((entry) => entry.name).join(', ')}`);

		const sandbox = await startSandbox();
		onStop(`the sandbox (pid ${sandbox.child.pid})`, async () => {
			if (sandbox.child.exitCode === null) sandbox.child.kill('SIGTERM');
		});
		log(`  sandbox: ${sandbox.url} (pid ${sandbox.child.pid})`);
		await sandbox.control.seedOrders({ count: EXISTING_ORDERS, spacingMs: 60_000 });

		const main = processes[0].n8n;
		const write = (name, value) => {
			const file = path.join(tmp, name);
			fs.writeFileSync(file, JSON.stringify(value, null, 2));
			return file;
		};
		const credential = await main.import(
			'credentials',
			write('credentials.json', [{ id: CREDENTIAL_ID, name: 'HelloTech sandbox', type: 'helloTechApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } }]),
		);
		if (!check('n8n import:credentials into Postgres (the first command also migrates the database)', credential.ok, tail(credential.output, 15))) fatal('no credential');
		for (const workflow of [bulkWorkflow(packageName, await createOrderV2()), triggerWorkflow(packageName), crashWorkflow(packageName, credentialRef)]) {
			const imported = await main.import('workflow', write(`workflow-${workflow.id}.json`, workflow));
			if (!check(`n8n import:workflow "${workflow.name}"`, imported.ok, tail(imported.output, 15))) fatal('a workflow did not import');
			const published = await main.run(['publish:workflow', `--id=${workflow.id}`]);
			if (!check(`n8n publish:workflow "${workflow.name}" (active from the next start)`, published.code === 0, tail(published.output, 15))) fatal('a workflow was not published');
		}

		begin('n8n queue mode: a main and two workers');
		const mainProcess = await startMain(main, path.join(tmp, 'main.log'));
		log(`  main: ${mainProcess.baseUrl} (pid ${mainProcess.pid})`);
		const workers = [];
		for (const [index, entry] of processes.slice(1).entries()) {
			const worker = await startWorker(entry.n8n, index + 1, path.join(tmp, `${entry.name}.log`), WORKER_CONCURRENCY);
			log(`  worker ${index + 1}: pid ${worker.pid}, concurrency ${WORKER_CONCURRENCY}`);
			workers.push(worker);
		}
		const everyLog = () => [mainProcess, ...workers].map((entry) => entry.output()).join('\n');
		const registered = await until(
			'the main registering the webhook in Postgres',
			() => postgres.psql(`SELECT "workflowId", method FROM webhook_entity WHERE "webhookPath" = '${WEBHOOK_PATH}'`)[0],
			{ timeoutMs: 60_000, detail: () => tail(mainProcess.output()) },
		).catch((error) => error);
		check(`the main registered the webhook (webhook_entity: ${Array.isArray(registered) ? registered.join(' ') : 'none'})`, Array.isArray(registered) && registered[0] === BULK_ID, registered?.message);
		check('no n8n process complained about the package or a node type', loadProblems(everyLog()).length === 0, loadProblems(everyLog()).join('\n'));

		begin(`${BATCHES} bulk orders of ${ROWS} rows fired at once, ${RATE_LIMIT} requests/s shared`);
		await sandbox.control.faults({ rateLimit: { limit: RATE_LIMIT, windowMs: 1000 }, latencyMs: 20 });
		const before = new Set((await sandbox.control.state()).orders.map((order) => order.id));
		const fired = Date.now();
		const answers = await Promise.all(
			Array.from({ length: BATCHES }, (_, batch) =>
				fetch(`${mainProcess.baseUrl}/webhook/${WEBHOOK_PATH}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ rows: Array.from({ length: ROWS }, (_, i) => orderRow(i, `Q${batch}`)) }),
				}).then(async (response) => ({ status: response.status, body: await response.text() })),
			),
		);
		check(`the main answered every webhook call at once (HTTP ${[...new Set(answers.map((answer) => answer.status))].join(', ')})`, answers.every((answer) => answer.status === 200), answers.map((answer) => answer.body).join('\n'));

		const bulk = () => postgres.psql(`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = '${BULK_ID}' ORDER BY id`);
		const finished = await until(`${BATCHES} bulk executions finished`, () => {
			const rows = bulk();
			return rows.length >= BATCHES && rows.every(([, status]) => !['new', 'running', 'waiting'].includes(status)) ? rows : undefined;
		}, { timeoutMs: 180_000, detail: () => `${JSON.stringify(bulk())}\n${tail(everyLog(), 20)}` }).catch((error) => {
			check(`${BATCHES} bulk executions finished`, false, error.message);
			return bulk();
		});
		log(`  all finished ${((Date.now() - fired) / 1000).toFixed(1)} s after the webhook calls`);
		check(`Postgres holds ${BATCHES} executions of the bulk workflow, all "success" (status: ${finished.map(([, status]) => status).join(', ')})`, finished.length === BATCHES && finished.every(([, status]) => status === 'success'));
		const ranOn = new Map();
		for (const worker of workers) {
			for (const match of worker.output().matchAll(/Worker started execution (\d+)/g)) ranOn.set(match[1], worker.index);
		}
		const notOnWorker = finished.filter(([id]) => !ranOn.has(id));
		check(
			`every bulk execution ran on a worker (${finished.map(([id]) => `#${id} on worker ${ranOn.get(id) ?? '?'}`).join(', ')})`,
			notOnWorker.length === 0,
			`not in any worker's log: ${notOnWorker.map(([id]) => id).join(', ')}`,
		);
		check("the main ran none of them itself (no 'Worker started' in its log)", !/Worker started execution/.test(mainProcess.output()));

		const state = await sandbox.control.state();
		const counts = new Map();
		for (const order of state.orders) if (/^Q\d+-/.test(order.purchase_order_id ?? '')) counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1);
		const expected = Array.from({ length: BATCHES }, (_, batch) => Array.from({ length: ROWS }, (__, i) => `Q${batch}-${i}`)).flat();
		const missing = expected.filter((po) => !counts.has(po));
		const twice = [...counts].filter(([, count]) => count > 1);
		check(`every purchase order created exactly once at the sandbox (${counts.size} of ${expected.length})`, missing.length === 0 && twice.length === 0 && counts.size === expected.length, `missing: ${missing.join(', ')}; twice: ${twice.map(([po, count]) => `${po} ×${count}`).join(', ')}`);
		check(`the workers met the shared limit and waited it out (${state.stats.rateLimited} × 429, no failed execution)`, state.stats.rateLimited > 0);
		check('every request carried the imported credential\'s API key', state.log.every((entry) => entry.apiKeyOk || entry.status === 429), `${state.log.filter((entry) => !entry.apiKeyOk).length} without it`);

		begin('The HelloTech Trigger (New Order), polled by the main');
		const newOrders = state.orders.filter((order) => !before.has(order.id)).map((order) => order.id);
		const readRunData = runDataReader(runtime);
		const emitted = () => {
			const rows = postgres.psql(
				`SELECT e.id, e.status, e.mode, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${TRIGGER_ID}' ORDER BY e.id`,
			);
			return rows.map(([id, status, mode, data]) => {
				const runData = readRunData(data)?.resultData?.runData ?? {};
				const items = runData['New HelloTech order']?.[0]?.data?.main?.[0] ?? [];
				return { id, status, mode, orderIds: items.map((item) => item.json.id) };
			});
		};
		// The trigger polls every minute: wait for a poll that emits the new orders, then for the next
		// poll (the sandbox sees its GET), which must emit none of them again.
		const polls = async () => (await sandbox.control.state()).log.filter((entry) => entry.method === 'GET' && entry.path === '/api/partners/orders').map((entry) => entry.at);
		await until('the trigger emitting the new orders', () => {
			const seen = new Set(emitted().flatMap((execution) => execution.orderIds));
			return newOrders.every((id) => seen.has(id));
		}, { timeoutMs: 150_000, everyMs: 2000, detail: () => JSON.stringify(emitted().map((execution) => ({ ...execution, orderIds: execution.orderIds.length })), null, 1) }).catch((error) => check('the trigger emitted every new order', false, error.message));
		const emittedAt = Date.now();
		log('  waiting for the next poll (up to a minute), which must emit nothing again');
		await until('the next poll', async () => (await polls()).some((at) => at > emittedAt + 5000), { timeoutMs: 90_000, everyMs: 2000 }).catch((error) => check('the trigger polled again', false, error.message));
		// Time for an execution of that poll to be enqueued and run, had it emitted anything.
		await wait(10_000);
		const executions = emitted();
		const ids = executions.flatMap((execution) => execution.orderIds);
		const once = new Map();
		for (const id of ids) once.set(id, (once.get(id) ?? 0) + 1);
		check(
			`the trigger started ${executions.length} execution(s) with ${ids.length} items: each of the ${newOrders.length} new orders exactly once`,
			newOrders.every((id) => once.get(id) === 1) && ids.length === newOrders.length,
			`missing: ${newOrders.filter((id) => !once.has(id)).length}; twice: ${[...once].filter(([, count]) => count > 1).map(([id]) => id).join(', ')}; not new: ${ids.filter((id) => before.has(id)).join(', ')}`,
		);
		check(`no order that existed before activation was emitted (${EXISTING_ORDERS} seeded)`, ids.every((id) => !before.has(id)));
		check(`the trigger's executions succeeded (${executions.map((execution) => `#${execution.id} ${execution.mode} ${execution.status}`).join(', ')})`, executions.length > 0 && executions.every((execution) => execution.status === 'success' && execution.mode === 'trigger'));
		const enqueuedByMain = new Set([...mainProcess.output().matchAll(/Enqueued execution (\d+)/g)].map((match) => match[1]));
		const startedOnWorker = new Map();
		for (const worker of workers) for (const match of worker.output().matchAll(/Worker started execution (\d+)/g)) startedOnWorker.set(match[1], worker.index);
		check(
			`the main polled and queued each trigger execution, a worker ran it (${executions.map((execution) => `#${execution.id} on worker ${startedOnWorker.get(execution.id) ?? '?'}`).join(', ')})`,
			executions.every((execution) => enqueuedByMain.has(execution.id) && startedOnWorker.has(execution.id)) && workers.every((worker) => !/Enqueued execution/.test(worker.output())),
			`enqueued by the main: ${[...enqueuedByMain].join(', ')}`,
		);

		begin('A worker killed (SIGKILL) in the middle of a 200-row sheet, then the sheet run again');
		await killMidRunThenRerun({ mainProcess, workers, postgres, sandbox, readRunData }, { check, log, until, fatal });
	} catch (error) {
		if (interrupted) return;
		anyFailed = true;
		if (error instanceof Fatal) check(`stopped: ${error.message}`, false);
		else report.stopped(error);
	} finally {
		// After Ctrl-C the signal handler stops everything and exits.
		if (!interrupted) {
			begin('Stopping everything this run started');
			await stopAll();
			report.finish();
		}
	}
}

main().catch(async (error) => {
	// A step before the cluster's try block (the runtime, the Debian packages) failed.
	if (error instanceof Fatal) check(`stopped: ${error.message}`, false);
	else report.stopped(error);
	await stopAll();
	report.finish();
});
