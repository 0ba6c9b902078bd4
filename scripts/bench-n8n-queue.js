#!/usr/bin/env node
'use strict';
/**
 * npm run bench:n8n:queue: the pace where it runs, in n8n's queue mode (the same cluster as
 * npm run test:n8n:queue: a main, two workers at concurrency 5, Redis, Postgres; see
 * scripts/real-n8n/cluster.js). Executions of a webhook → Split Out → Order → Create workflow
 * (version 2 as a new user adds it: Map Automatically, 20 requests in flight) are started together
 * against one sandbox (a process of its own, 20 ms latency) behind each limiter kind:
 *   - 4 and 8 executions of 200 rows sharing 50 requests/s,
 *   - one execution of 500 rows alone under 100 requests/s.
 * For each it prints the time from the first execution's start to the last one's end against
 * the bound (orders / limit), fairness (the slowest execution's time against the fastest's), the
 * share of requests refused with 429, failed executions and orders created twice or missing.
 * It asserts nothing: figures depend on the machine; the load average is printed with them.
 *
 * Environment:
 *   BENCH_QUEUE_ROUNDS=3        rounds (every scenario once per round; the table shows the worst)
 *   BENCH_QUEUE_ONLY=fixed,bucket   only these limiter kinds (fixed, plain, sliding, bucket)
 *   BENCH_QUEUE_PACKAGE=<.tgz>  measure this packed build instead of building this checkout
 *   BENCH_QUEUE_JSON=<file>     also write every run's figures to this file
 *   BENCH_QUEUE_DEBUG=1         n8n's debug log (every pace change) in the workers' logs
 *   HELLOTECH_N8N_KEEP=1        keep the temporary folders (logs, Postgres data)
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureRuntime } = require('./real-n8n/runtime');
const { N8n, installCommunityPackage, tail } = require('./real-n8n/n8n');
const { queueCluster } = require('./real-n8n/cluster');
const { startSandbox } = require('./real-n8n/sandbox');
const { createOrderV2, orderRow } = require('./real-n8n/create-v2');

const ROUNDS = Math.max(1, Number(process.env.BENCH_QUEUE_ROUNDS ?? 3) || 1);
const KINDS = [
	['fixed', 'fixed 1 s windows, Retry-After', (limit) => ({ rateLimit: { kind: 'fixed', limit, windowMs: 1000 } })],
	['plain', 'fixed 1 s windows, no Retry-After (rack-attack\'s default)', (limit) => ({ rateLimit: { kind: 'fixed', limit, windowMs: 1000 }, rateLimitAnswer: 'plain' })],
	['sliding', 'sliding 1 s window', (limit) => ({ rateLimit: { kind: 'sliding', limit, windowMs: 1000 } })],
	['bucket', 'token bucket (burst half the rate)', (limit) => ({ rateLimit: { kind: 'bucket', rate: limit, burst: limit / 2 } })],
].filter(([key]) => !process.env.BENCH_QUEUE_ONLY || process.env.BENCH_QUEUE_ONLY.split(',').includes(key));
/** [executions, rows each, requests/s]: shared, and one alone. */
const SCENARIOS = [
	[4, 200, 50],
	[8, 200, 50],
	[1, 500, 100],
];
const TARGETS = { ratio: 1.15, fairness: 1.5, refused: 0.05, alone: 1.05 };
const WORKERS = 2;
const WORKER_CONCURRENCY = 5;
const CREDENTIAL_ID = 'HtBenchQueueCred';
const WORKFLOW_ID = 'HtBenchQueueBulk';
const WEBHOOK_PATH = 'hellotech-bench-queue';

const log = (text) => process.stderr.write(`${text}\n`);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Everything started is stopped by PID, in reverse order, also on failure or Ctrl-C.
const stops = [];
const onStop = (label, stop) => stops.push({ label, stop });
async function stopAll() {
	for (const { label, stop } of stops.splice(0).reverse()) await Promise.resolve(stop()).catch((error) => log(`  could not stop ${label}: ${error.message}`));
}
let failed = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stopAll().finally(() => process.exit(130)));

const fatal = (message) => {
	throw new Error(message);
};
async function until(what, test, { timeoutMs, everyMs = 500, detail = () => '' }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await test();
		if (value) return value;
		if (Date.now() > deadline) fatal(`${what}: not after ${Math.round(timeoutMs / 1000)} s\n${detail()}`);
		await wait(everyMs);
	}
}
const cluster = queueCluster({ log, onStop, until, fatal, keepFiles: () => process.env.HELLOTECH_N8N_KEEP === '1' || failed });

/** The webhook (answers at once: the main only queues the execution) → one item per row → Order → Create, version 2 as added. */
function bulkWorkflow(packageName, create) {
	const node = (name, type, typeVersion, parameters, x, extra = {}) => ({ id: `b0c0ffee-0000-4000-8000-00000000000${x}`, name, type, typeVersion, position: [x * 220, 0], parameters, ...extra });
	return {
		id: WORKFLOW_ID,
		name: 'HelloTech bulk orders (queue bench)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Bulk order', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} }, 0, { webhookId: 'b0c0ffee-0000-4000-8000-0000000000aa' }),
			node('Rows', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.rows', options: {} }, 1),
			node('Create order', `${packageName}.helloTech`, create.typeVersion, create.parameters, 2, { credentials: { helloTechApi: { id: CREDENTIAL_ID, name: 'HelloTech sandbox' } } }),
		],
		connections: { 'Bulk order': { main: [[{ node: 'Rows', type: 'main', index: 0 }]] }, Rows: { main: [[{ node: 'Create order', type: 'main', index: 0 }]] } },
	};
}

/** One scenario: `count` executions of `rows` rows started together under the sandbox's rate-limit `faults`; its figures. */
async function measure({ baseUrl, sandbox, postgres }, { count, rows, rate, faults, prefix }) {
	await sandbox.control.reset();
	await sandbox.control.faults({ rateLimitAnswer: 'retry-after', ...faults, latencyMs: 20 });
	const before = Number(postgres.psql(`SELECT COALESCE(MAX(id), 0) FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}'`)[0][0]);
	const answers = await Promise.all(
		Array.from({ length: count }, (_, run) =>
			fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ rows: Array.from({ length: rows }, (__, i) => orderRow(i, `${prefix}R${run}`)) }),
			}).then((response) => response.status),
		),
	);
	if (answers.some((status) => status !== 200)) fatal(`the webhook answered ${answers.join(', ')}`);
	const executions = () =>
		postgres.psql(
			`SELECT id, status, EXTRACT(EPOCH FROM "startedAt") * 1000, EXTRACT(EPOCH FROM "stoppedAt") * 1000 FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' AND id > ${before} ORDER BY id`,
		);
	const done = await until(`${count} executions finished`, () => {
		const found = executions();
		return found.length >= count && found.every(([, status]) => !['new', 'running', 'waiting'].includes(status)) ? found : undefined;
	}, { timeoutMs: 20 * 60_000, detail: () => JSON.stringify(executions()) });
	const state = await sandbox.control.state();
	const counts = new Map();
	for (const order of state.orders) if (order.purchase_order_id?.startsWith(prefix)) counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1);
	const times = done.map(([, , started, stopped]) => ({ started: Number(started), stopped: Number(stopped) }));
	const span = Math.max(...times.map((time) => time.stopped)) - Math.min(...times.map((time) => time.started));
	const durations = times.map((time) => time.stopped - time.started);
	const bound = ((count * rows) / rate) * 1000;
	return {
		count,
		rows,
		rate,
		kind: faults.rateLimit.kind,
		answer: faults.rateLimitAnswer ?? 'retry-after',
		ms: span,
		ratio: span / bound,
		fairness: Math.max(...durations) / Math.min(...durations),
		requests: state.stats.requests,
		refused: state.stats.rateLimited,
		refusedShare: state.stats.rateLimited / state.stats.requests,
		failed: done.filter(([, status]) => status !== 'success').length,
		twice: [...counts.values()].filter((n) => n > 1).length,
		missing: count * rows - counts.size,
		load: os.loadavg()[0],
		// For a closer look (BENCH_QUEUE_JSON): each execution's start and end, and what the sandbox took and refused of each run, second by second.
		detail: detail(state.log, times, prefix, count),
	};
}

function detail(log, times, prefix, count) {
	const begin = Math.min(...times.map((time) => time.started));
	const seconds = Math.ceil((Math.max(...times.map((time) => time.stopped)) - begin) / 1000) + 1;
	const runs = Array.from({ length: count }, () => ({ taken: Array(seconds).fill(0), refused: Array(seconds).fill(0) }));
	for (const entry of log) {
		const match = new RegExp(`^${prefix}R(\\d+)-`).exec(entry.body?.purchase_order_id ?? '');
		const second = Math.floor((entry.at - begin) / 1000);
		if (!match || second < 0 || second >= seconds) continue;
		runs[Number(match[1])][entry.status === 429 ? 'refused' : 'taken'][second]++;
	}
	return { executions: times.map((time) => ({ started: time.started - begin, stopped: time.stopped - begin })), runs };
}

function print(results, label) {
	const worst = (list, key) => Math.max(...list.map((result) => result[key]));
	const lines = [];
	for (const [key, name] of KINDS) {
		for (const [count, rows, rate] of SCENARIOS) {
			const list = results.filter((result) => result.key === key && result.count === count);
			if (list.length === 0) continue;
			const ratio = worst(list, 'ratio');
			const ratioTarget = count === 1 ? TARGETS.alone : TARGETS.ratio;
			const fairness = count === 1 ? '' : `${worst(list, 'fairness').toFixed(2)}×${worst(list, 'fairness') > TARGETS.fairness ? ' !' : ''}`;
			const refused = worst(list, 'refusedShare');
			lines.push([
				`${name}: ${count === 1 ? `1 × ${rows} alone` : `${count} × ${rows} sharing`} ${rate}/s`,
				`${ratio.toFixed(2)}×${ratio > ratioTarget ? ' !' : ''}`,
				fairness,
				`${(100 * refused).toFixed(1)} %${count > 1 && refused > TARGETS.refused ? ' !' : ''}`,
				`${worst(list, 'failed')}, ${worst(list, 'twice')}, ${worst(list, 'missing')}`,
				list.map((result) => `${(result.ms / 1000).toFixed(1)} s`).join(', '),
			]);
		}
	}
	const header = ['scenario (worst of the rounds)', 'time / bound', 'slowest / fastest', '429s', 'failed, twice, missing', 'rounds'];
	const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
	const format = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
	const loads = results.map((result) => result.load);
	console.log(`\n${label}: n8n queue mode (main + ${WORKERS} workers at concurrency ${WORKER_CONCURRENCY}), version 2 defaults (20 in flight), ${ROUNDS} round(s), ${os.cpus().length} CPUs, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
	console.log(`Targets: shared ≤ ${TARGETS.ratio}× the bound, slowest ≤ ${TARGETS.fairness}× the fastest, 429s ≤ ${100 * TARGETS.refused} %; alone ≤ ${TARGETS.alone}×; 0 failed, twice, missing (! marks a miss)\n`);
	console.log(format(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('  '));
	for (const line of lines) console.log(format(line));
}

async function main() {
	const runtime = ensureRuntime((line) => log(line));
	const debian = cluster.ensureDebianPackages();
	if (!debian.installed) fatal('Redis or Postgres is missing');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-bench-queue-'));
	onStop('the temporary folder', () => (process.env.HELLOTECH_N8N_KEEP === '1' || failed ? log(`  kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })));
	const tarball = process.env.BENCH_QUEUE_PACKAGE ? path.resolve(process.env.BENCH_QUEUE_PACKAGE) : cluster.buildAndPack(tmp);
	const label = process.env.BENCH_QUEUE_PACKAGE ? path.basename(tarball) : 'this checkout';
	const redis = await cluster.startRedis(tmp);
	const postgres = await cluster.startPostgres();
	const env = cluster.clusterEnv(redis, postgres);
	const processes = ['main', ...Array.from({ length: WORKERS }, (_, i) => `worker${i + 1}`)].map((name) => {
		const folder = path.join(tmp, name);
		fs.mkdirSync(folder);
		// BENCH_QUEUE_DEBUG=1: n8n's debug log (each pace change) in the kept folders.
		const level = process.env.BENCH_QUEUE_DEBUG === '1' ? { N8N_LOG_LEVEL: 'debug' } : {};
		return { name, n8n: new N8n(runtime, folder, { ...env, ...level }), packageName: installCommunityPackage(tarball, folder).packageJson.name };
	});
	const sandbox = await startSandbox();
	onStop(`the sandbox (pid ${sandbox.child.pid})`, () => sandbox.child.kill('SIGTERM'));
	const main = processes[0].n8n;
	const write = (name, value) => {
		fs.writeFileSync(path.join(tmp, name), JSON.stringify(value));
		return path.join(tmp, name);
	};
	const imported = await main.import('credentials', write('credentials.json', [{ id: CREDENTIAL_ID, name: 'HelloTech sandbox', type: 'helloTechApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } }]));
	if (!imported.ok) fatal(`import:credentials failed:\n${tail(imported.output, 15)}`);
	const workflow = await main.import('workflow', write('workflow.json', bulkWorkflow(processes[0].packageName, await createOrderV2())));
	if (!workflow.ok) fatal(`import:workflow failed:\n${tail(workflow.output, 15)}`);
	if ((await main.run(['publish:workflow', `--id=${WORKFLOW_ID}`])).code !== 0) fatal('publish:workflow failed');
	const mainProcess = await cluster.startMain(main, path.join(tmp, 'main.log'));
	for (const [index, entry] of processes.slice(1).entries()) await cluster.startWorker(entry.n8n, index + 1, path.join(tmp, `${entry.name}.log`), WORKER_CONCURRENCY);
	await until('the webhook registered', () => postgres.psql(`SELECT 1 FROM webhook_entity WHERE "webhookPath" = '${WEBHOOK_PATH}'`)[0], { timeoutMs: 60_000 });
	log(`cluster ready: ${label}; ${ROUNDS} round(s) of ${KINDS.length * SCENARIOS.length} scenarios`);

	const results = [];
	for (let round = 0; round < ROUNDS; round++) {
		for (const [key, , limiter] of KINDS) {
			for (const [count, rows, rate] of SCENARIOS) {
				const result = await measure({ baseUrl: mainProcess.baseUrl, sandbox, postgres }, { count, rows, rate, faults: limiter(rate), prefix: `${key}${round}${count}-` });
				results.push({ key, round, ...result });
				log(`  round ${round + 1}: ${key} ${count} × ${rows} at ${rate}/s: ${(result.ms / 1000).toFixed(1)} s, ${result.ratio.toFixed(2)}×, fairness ${result.fairness.toFixed(2)}, ${result.refused} × 429 of ${result.requests}, load ${result.load.toFixed(1)}`);
			}
		}
	}
	print(results, label);
	if (process.env.BENCH_QUEUE_JSON) fs.writeFileSync(process.env.BENCH_QUEUE_JSON, JSON.stringify(results, null, 2));
}

main()
	.catch((error) => {
		failed = true;
		console.error(error.stack ?? error.message);
		process.exitCode = 1;
	})
	.finally(() => stopAll());
