#!/usr/bin/env node
'use strict';
/**
 * npm run bench:n8n — the HelloTech node inside the pinned real n8n (2.41.1 on Node 24, the
 * runtime `npm run test:n8n` uses), side by side with n8n's own HTTP Request node and a plain
 * loop, in one run, against one sandbox, in interleaved rounds. It prints figures and asserts
 * nothing (times depend on the machine); a side whose results are wrong (lost items, duplicate
 * orders, missing orders) is flagged in the table, not hidden.
 *
 * How it runs: the package is built, packed and installed as a community package in a fresh
 * N8N_USER_FOLDER; one `n8n start` runs for the whole bench; credentials (HelloTech API, and a
 * Header Auth for the HTTP Request node) and one workflow per side are saved and activated
 * through n8n's REST API; each run POSTs the rows to that workflow's production webhook. A side's
 * time is the sum of its measured nodes' execution times as n8n records them in the execution
 * (runData[node].executionTime): the node's own work, not the webhook, the Split Out of the rows
 * or the saving of the execution. The loop runs in its own process (Node 24) and times itself
 * from its first request to its last answer. The sandbox runs in its own process
 * (test/sandbox/cli.js); before each run it is reset and given the scenario's latency, rate limit
 * and faults through its control API, and afterwards it says what it holds and saw.
 *
 * Environment:
 *   BENCH_N8N_ROUNDS=5     rounds (each side once per round, order alternating; medians)
 *   BENCH_N8N_QUICK=1      a quick try: 1 round, 200 creates, 5,000 orders listed
 *   BENCH_N8N_ONLY=S1,S3   only these scenarios (S1, S2, S2c, S3, S4)
 *   BENCH_N8N_PROFILE=1    after the rounds, one more run of each n8n side of S1 and S3 (or of
 *                          the scenarios listed: BENCH_N8N_PROFILE=S1,S2) under a CPU profile of
 *                          n8n's main process: where the time goes, by package, per item
 *   BENCH_N8N_JSON=file    also write every run's figures to this file
 *   BENCH_N8N_KEEP=1       keep the temporary folder (n8n's database and log)
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureRuntime } = require('./real-n8n/runtime');
const { N8n, buildPackInstall, loadProblems } = require('./real-n8n/n8n');
const { N8nBench, usageSampler } = require('./real-n8n/bench/n8nApi');
const { startSandbox } = require('./real-n8n/sandbox');
const { scenarios } = require('./real-n8n/bench/scenarios');
const { sheetRow } = require('./real-n8n/bench/workflows');
const { report } = require('./real-n8n/bench/report');

const ROOT = path.resolve(__dirname, '..');
const env = process.env;
const QUICK = env.BENCH_N8N_QUICK === '1';
const ROUNDS = Math.max(1, Number(env.BENCH_N8N_ROUNDS ?? (QUICK ? 1 : 5)) || 1);
const SIZE = QUICK ? { creates: 200, listed: 5_000 } : { creates: 500, listed: 20_000 };
const ONLY = env.BENCH_N8N_ONLY ? env.BENCH_N8N_ONLY.split(',').map((key) => key.trim()) : undefined;
const WARM_UP = { creates: 20, listed: 500 };
const PROFILE = !env.BENCH_N8N_PROFILE || env.BENCH_N8N_PROFILE === '0' ? [] : env.BENCH_N8N_PROFILE === '1' ? ['S1', 'S3'] : env.BENCH_N8N_PROFILE.split(',');

const log = (text) => process.stderr.write(`${text}\n`);

/**
 * What the built node offers the bench: the v2 column mapper (issue #9) with its fields (the
 * schema the editor saves with a mapping, from the mapper's own method), and the default
 * Max Concurrent Requests.
 */
async function nodeInfo() {
	const { HelloTech } = require(path.join(ROOT, 'dist', 'nodes', 'HelloTech', 'HelloTech.node.js'));
	const helloTech = new HelloTech();
	const { properties } = helloTech.description;
	const columns = properties.find((property) => property.name === 'columns' && property.type === 'resourceMapper');
	const method = columns?.typeOptions?.resourceMapper?.resourceMapperMethod;
	const schema = method ? (await helloTech.methods.resourceMapping[method].call({})).fields : [];
	const options = properties.find((property) => property.name === 'requestOptions')?.options ?? [];
	const maxConcurrent = Number(options.find((option) => option.name === 'maxConcurrent')?.default ?? 5);
	return { mapper: Boolean(columns), schema, maxConcurrent };
}

// ---- one run of one side ---------------------------------------------------------------------------

const pairedIndex = (item) => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : paired?.item;
};

/** Resets the sandbox for a run of `scenario` (size: creates or listed, for the warm-up too); `rows`: the run's sheet. */
async function prepareSandbox(control, scenario, listed, rows) {
	await control.reset();
	if (scenario.seed) await scenario.seed(control, { rows, existing: listed });
	else if (scenario.listed) await control.seedOrders({ count: listed, spacingMs: 1000 });
	const { latencyMs, rateLimit, rules } = scenario.sandbox;
	await control.faults({ latencyMs, rateLimit: rateLimit ?? null, rules: rules ?? [] });
}

/** Runs a side's workflow through its webhook; its figures from n8n's execution record. */
async function runWorkflow(bench, n8nPid, side, rows, finished) {
	const before = await bench.latestExecutionId(side.workflowId);
	const usage = usageSampler(n8nPid);
	const started = Date.now();
	const httpStatus = await bench.trigger(side.path, rows ? { rows } : {});
	const summary = await bench.finishedExecution(side.workflowId, before);
	const wallMs = Date.now() - started;
	const resources = usage.stop();
	await finished?.();
	const execution = await bench.execution(summary.id);
	const { runData, error } = execution.data.resultData;
	const tasks = side.measuredNodes.map((name) => runData[name]?.[runData[name].length - 1]);
	const ms = tasks.reduce((sum, task) => sum + (task?.executionTime ?? NaN), 0);
	const items = runData[side.outputNode]?.at(-1)?.data?.main?.[0] ?? [];
	return {
		ms,
		wallMs,
		execMs: new Date(execution.stoppedAt) - new Date(execution.startedAt),
		status: execution.status,
		httpStatus,
		error: error ? String(error.message).slice(0, 200) : undefined,
		items,
		process: resources,
	};
}

/** Runs the plain loop in its own process on n8n's Node. */
async function runLoop(runtime, sandbox, side, rows, tmp) {
	const job = { ...side.job, baseUrl: sandbox.url, apiKey: sandbox.apiKey };
	if (rows) {
		job.rowsFile = path.join(tmp, 'loop-rows.json');
		fs.writeFileSync(job.rowsFile, JSON.stringify(rows));
	}
	const child = spawn(runtime.node.node, [path.join(__dirname, 'real-n8n', 'bench', 'loop.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let errors = '';
	child.stdout.on('data', (chunk) => (out += chunk));
	child.stderr.on('data', (chunk) => (errors += chunk));
	const code = await new Promise((resolve) => child.on('close', resolve));
	if (code !== 0) throw new Error(`the plain loop failed (exit ${code}): ${errors}`);
	return JSON.parse(out.trim().split('\n').pop());
}

/** What happened in one run: time, items, and what the sandbox holds and saw. */
async function runOnce(context, scenario, side, round, warmUp = false, hooks = {}) {
	const { sandbox, bench, runtime, tmp, n8nPid } = context;
	const creates = scenario.creates ? (warmUp ? WARM_UP.creates : scenario.creates) : 0;
	const preset = scenario.listed ?? scenario.existing;
	const listed = preset ? (warmUp ? WARM_UP.listed : preset) : 0;
	const prefix = `${scenario.key}-${side.key}-${warmUp ? 'warm' : `r${round}`}`;
	const sheet = creates ? Array.from({ length: creates }, (_, i) => sheetRow(i, prefix)) : undefined;
	await prepareSandbox(sandbox.control, scenario, listed, sheet);
	// A side may send part of the sheet (S4: the new rows only).
	const rows = sheet && side.rows ? side.rows(sheet) : sheet;

	await hooks.before?.();
	const run = side.kind === 'loop' ? await runLoop(runtime, sandbox, side, rows, tmp) : await runWorkflow(bench, n8nPid, side, rows, hooks.after);
	const state = await sandbox.control.state();
	const result = {
		scenario: scenario.key,
		side: side.key,
		round,
		ms: run.ms,
		wallMs: run.wallMs,
		execMs: run.execMs,
		status: run.status,
		error: run.error,
		rssBeforeMb: run.process.beforeMb,
		rssPeakMb: run.process.peakMb,
		cpuMs: run.process.cpuMs,
		// The sandbox's view: from the first request's arrival to the last one's.
		sandboxSpanMs: state.log.length ? state.log[state.log.length - 1].at - state.log[0].at : NaN,
		maxInFlight: state.stats.maxInFlight,
		requests: state.stats.requests,
		rateLimited: state.stats.rateLimited,
	};

	if (rows) {
		const expected = new Map(rows.map((row) => [row.purchase_order_id, row]));
		const perPo = new Map();
		let wrong = 0;
		for (const order of state.orders) {
			const row = expected.get(order.purchase_order_id);
			if (!row) continue;
			perPo.set(order.purchase_order_id, (perPo.get(order.purchase_order_id) ?? 0) + 1);
			// The order holds the row's values: the mapping, whichever side made it, was right.
			const same =
				order.email === row.email &&
				order.client_name === `${row.first_name} ${row.last_name}` &&
				order.address === row.address &&
				order.phone.value === row.phone &&
				order.skus.map((sku) => sku.id).join() === String(row.sku_id);
			if (!same) wrong++;
		}
		const histogram = {};
		for (const count of perPo.values()) histogram[count] = (histogram[count] ?? 0) + 1;
		const missing = expected.size - perPo.size;
		if (missing) histogram[0] = missing;
		Object.assign(result, {
			rows: rows.length,
			created: perPo.size,
			wrong,
			duplicates: [...perPo.values()].filter((count) => count > 1).length,
			extraOrders: [...perPo.values()].reduce((sum, count) => sum + count - 1, 0),
			ordersPerPo: histogram,
		});
		if (side.kind === 'loop') {
			Object.assign(result, { outputs: run.outputs + run.failed, succeeded: run.outputs, failed: run.failed, accounted: run.outputs + run.failed });
		} else {
			const succeeded = run.items.filter((item) => !item.json?.error).length;
			const paired = new Set(run.items.map(pairedIndex).filter((index) => Number.isInteger(index)));
			Object.assign(result, { outputs: run.items.length, succeeded, failed: rows.length - succeeded, accounted: paired.size });
		}
	} else {
		const ids = side.kind === 'loop' ? undefined : new Set(run.items.map((item) => item.json?.id));
		Object.assign(result, {
			listed,
			outputs: side.kind === 'loop' ? run.outputs : run.items.length,
			distinct: side.kind === 'loop' ? run.outputs : ids.size,
			failed: side.kind === 'loop' ? run.failed : run.status === 'success' ? 0 : 1,
		});
	}
	return result;
}

/** A CPU profiler attached to n8n's inspector (scripts/real-n8n/bench/profiler.js on n8n's Node). */
async function attachProfiler(runtime, wsUrl) {
	const child = spawn(runtime.node.node, [path.join(__dirname, 'real-n8n', 'bench', 'profiler.js'), wsUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const next = (type) =>
		new Promise((resolve, reject) => {
			const listener = (message) => {
				if (message.type !== type && message.type !== 'error') return;
				child.off('message', listener);
				if (message.type === 'error') reject(new Error(message.message));
				else resolve(message);
			};
			child.on('message', listener);
		});
	await next('ready');
	return {
		async start() {
			const started = next('started');
			child.send({ type: 'start' });
			await started;
		},
		async stop() {
			const profile = next('profile');
			child.send({ type: 'stop' });
			return await profile;
		},
		close: () => child.kill(),
	};
}

/** One more run of each n8n side of the scenarios in PROFILE, under the profiler. */
async function profileRuns(context, list, wsUrl) {
	const profiler = await attachProfiler(context.runtime, wsUrl);
	const profiles = [];
	try {
		for (const scenario of list.filter((entry) => PROFILE.includes(entry.key))) {
			for (const side of scenario.sides.filter((entry) => entry.kind === 'n8n')) {
				let profile;
				const result = await runOnce(context, scenario, side, 'profile', false, {
					before: () => profiler.start(),
					after: async () => (profile = await profiler.stop()),
				});
				profiles.push({ scenario: scenario.key, side: side.key, items: scenario.creates ?? scenario.listed, ms: result.ms, ...profile });
				log(`  profiled ${scenario.key} ${side.key}: ${(result.ms / 1000).toFixed(2)} s`);
			}
		}
	} finally {
		profiler.close();
	}
	return profiles;
}

/**
 * Everything that happens in the running n8n: credentials and one active workflow per side, a
 * warm-up run of each, the rounds, and the profiled runs. Resolves { runs, profiles }.
 */
async function benchIn(server, { sandbox, runtime, tmp, packageName, list }) {
	const { baseUrl, pid, log: serverLog } = server;
	const problems = loadProblems(serverLog());
	if (problems.length) throw new Error(`n8n did not load the package:\n${problems.join('\n')}`);
	const bench = await N8nBench.connect(baseUrl, runtime.n8nDir);
	const credentials = {
		helloTech: await bench.credential('HelloTech sandbox', 'helloTechApi', { apiKey: sandbox.apiKey, baseUrl: sandbox.url }),
		header: await bench.credential('HelloTech Api-Key header', 'httpHeaderAuth', { name: 'Api-Key', value: sandbox.apiKey }),
	};
	const context = { sandbox, bench, runtime, tmp, n8nPid: pid, packageName, sandboxUrl: sandbox.url, credentials };
	for (const scenario of list) {
		for (const side of scenario.sides.filter((entry) => entry.kind === 'n8n')) {
			side.path = `bench-${scenario.key}-${side.key}`.toLowerCase();
			const built = side.build(context, side.path);
			Object.assign(side, { measuredNodes: built.measuredNodes, outputNode: built.outputNode });
			side.workflowId = await bench.activeWorkflow(built.workflow);
		}
	}
	log(`  n8n started (pid ${pid}); ${list.reduce((sum, scenario) => sum + scenario.sides.filter((side) => side.kind === 'n8n').length, 0)} workflows active; warming up`);
	for (const scenario of list) {
		for (const side of scenario.sides.filter((entry) => entry.kind === 'n8n')) {
			const warm = await runOnce(context, scenario, side, 0, true);
			if (warm.status !== 'success' && !side.key.includes('retry')) log(`  warm-up of ${scenario.key} ${side.key}: ${warm.status} ${warm.error ?? ''}`);
		}
	}
	const runs = [];
	for (let round = 1; round <= ROUNDS; round++) {
		for (const scenario of list) {
			const sides = round % 2 ? scenario.sides : [...scenario.sides].reverse();
			for (const side of sides) {
				const result = await runOnce(context, scenario, side, round);
				runs.push(result);
				log(`  round ${round}/${ROUNDS} ${scenario.key} ${side.key.padEnd(13)} ${(result.ms / 1000).toFixed(2)} s  failed ${result.failed}${result.duplicates ? `  duplicates ${result.duplicates}` : ''}  in flight ≤ ${result.maxInFlight}`);
			}
		}
	}
	if (!PROFILE.length) return { runs, profiles: [] };
	const wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(serverLog())?.[1];
	if (!wsUrl) throw new Error("BENCH_N8N_PROFILE: n8n's log names no inspector address");
	return { runs, profiles: await profileRuns(context, list, wsUrl) };
}

// ---- main ------------------------------------------------------------------------------------------

async function main() {
	const started = Date.now();
	log(`bench:n8n: the HelloTech node in a real n8n, beside the HTTP Request node and a plain loop${QUICK ? ' (quick mode)' : ''}`);
	const runtime = ensureRuntime(log);
	log(`  n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-hellotech-bench-'));
	const userFolder = path.join(tmp, 'home');
	fs.mkdirSync(userFolder);
	let sandbox;
	let stopN8n;
	const keep = env.BENCH_N8N_KEEP === '1';
	try {
		const { packageJson } = buildPackInstall(ROOT, tmp, userFolder);
		const node = await nodeInfo();
		log(`  ${packageJson.name}@${packageJson.version} installed; Create ${node.mapper ? 'has' : 'has no'} column mapper; Max Concurrent Requests default ${node.maxConcurrent}`);
		const list = scenarios(SIZE, node).filter((scenario) => !ONLY || ONLY.includes(scenario.key));
		if (list.length === 0) throw new Error(`BENCH_N8N_ONLY=${env.BENCH_N8N_ONLY} names no scenario (S1, S2, S2c, S3, S4)`);

		sandbox = await startSandbox();
		const n8n = new N8n(runtime, userFolder, {
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			N8N_LOG_LEVEL: 'warn',
			// Port 0: each process (n8n, its task runner) gets a free port of its own.
			...(PROFILE.length ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {}),
		});
		// In a process group of its own, so that stopping it stops its task runner too.
		const server = await n8n.start({ detached: true, onSpawn: (started) => (stopN8n = started.stop) });
		const { runs: results, profiles } = await benchIn(server, { sandbox, runtime, tmp, packageName: packageJson.name, list });
		if (env.BENCH_N8N_JSON) fs.writeFileSync(env.BENCH_N8N_JSON, JSON.stringify({ size: SIZE, rounds: ROUNDS, node, results, profiles }, null, 2));
		console.log(report({ list, results, profiles, rounds: ROUNDS, runtime, node, size: SIZE, quick: QUICK, seconds: (Date.now() - started) / 1000 }));
	} catch (error) {
		log(`\nbench:n8n stopped: ${error.stack ?? error}`);
		process.exitCode = 1;
	} finally {
		await stopN8n?.();
		if (sandbox) sandbox.child.kill('SIGTERM');
		if (keep || process.exitCode) log(`  n8n's folder is kept in ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main();
