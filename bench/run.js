#!/usr/bin/env node
'use strict';
/**
 * npm run bench: the HelloTech node against plain axios loops and against the theoretical bounds,
 * side by side in one run on the same sandbox. It prints figures and asserts nothing: times depend
 * on the machine. Run after `npm run build` (npm run bench does both).
 *
 *   node bench/run.js [--rounds 3] [--only creates,rateLimit,getAll,overhead,shared,rateLimitLong]
 *                     [--kinds fixed,sliding,token] [--long] [--no-profile] [--profile-all] [--json]
 *
 * --long adds (2) with 2,000 creates: how the first 429's pause weighs in a longer run.
 * (5) "shared" starts 4, then 8 runs of the node at once, each in a process of its own (as
 * executions on n8n's queue-mode workers are), 20 requests in flight each (version 2's
 * default), on one API key limited to 50 requests/s, under each kind of rate limiter the sandbox
 * has (--kinds: some of them): time against the bound, the slowest run's time against the
 * fastest's, the share of requests refused with 429.
 * --profile-all profiles every timed run and prints where the time goes (timings then include
 * the profiler); BENCH_PROFILE_DIR=<dir> keeps each .cpuprofile for Chrome DevTools.
 *
 * The sandbox runs in this process (createSandbox, request log off). Every measured side runs in
 * a child process of its own, warms up there, and is measured once; sides alternate round by
 * round and each figure is the median of its rounds, so a busy machine hurts both sides alike.
 */
const os = require('os');
const path = require('path');
const { fork } = require('child_process');

const { createSandbox } = require('../test/sandbox/server');
// The bench runs version 1 workflows (the engine's default): their default concurrency.
const { DEFAULT_MAX_CONCURRENT: { v1: DEFAULT_MAX_CONCURRENT } } = require('../dist/nodes/HelloTech/HelloTech.node');

const args = process.argv.slice(2);
const argument = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const ROUNDS = Number(argument('rounds', 3));
const only = argument('only', undefined)?.split(',');
const wanted = (name) => (only ? only.includes(name) : name !== 'rateLimitLong' || args.includes('--long'));
/** --kinds fixed,sliding: (5) under these limiter kinds only (by the start of their names). */
const kindsWanted = argument('kinds', undefined)?.split(',');

const N = 500;
const LATENCY = 20;
const LIMIT = 100;
const LIST_ORDERS = 20_000;
/** (5): runs started together, each of SHARED_ROWS creates, sharing one SHARED_LIMIT req/s limit. */
const SHARED_RUNS = [4, 8];
const SHARED_ROWS = 200;
const SHARED_LIMIT = 50;
/** Version 2's default Max Concurrent Requests, which (5) runs at. */
const SHARED_CONCURRENCY = 20;

/** Runs one side of one scenario in a fresh process; `prepare` readies the sandbox after its warm-up. */
function measure(scenario, side, config, prepare) {
	return new Promise((resolve, reject) => {
		const child = fork(path.join(__dirname, 'worker.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
		let result;
		child.on('message', (msg) => {
			if (msg.type === 'warmed') {
				prepare();
				child.send({ type: 'go' });
			} else if (msg.type === 'result') {
				result = msg;
			}
		});
		child.on('error', reject);
		child.on('exit', (code) => {
			if (!result || result.crashed) reject(new Error(`${scenario}/${side} worker failed (exit ${code}): ${result?.crashed ?? 'no result'}`));
			else resolve(result);
		});
		child.send({ type: 'run', scenario, side, config });
	});
}

/**
 * Starts `runs` node runs at once, each in a process of its own with its own purchase order IDs,
 * once every one has warmed up; `prepare` readies the sandbox just before. Resolves with each
 * run's result (its wall-clock start and end among them).
 */
function measureTogether(runs, config, prepare) {
	return new Promise((resolve, reject) => {
		const results = new Array(runs);
		let warmed = 0;
		let exited = 0;
		let failure;
		const children = Array.from({ length: runs }, (_, index) => {
			const child = fork(path.join(__dirname, 'worker.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
			child.on('message', (msg) => {
				if (msg.type === 'warmed' && ++warmed === runs) {
					prepare();
					for (const each of children) each.send({ type: 'go' });
				} else if (msg.type === 'result') {
					results[index] = msg;
				}
			});
			child.on('error', reject);
			child.on('exit', (code) => {
				const result = results[index];
				if (!result || result.crashed) failure ??= new Error(`shared run ${index} failed (exit ${code}): ${result?.crashed ?? 'no result'}`);
				if (++exited === runs) (failure ? reject(failure) : resolve(results));
			});
			child.send({ type: 'run', scenario: 'creates', side: 'node', config: { ...config, prefix: `PO-R${index}` } });
			return child;
		});
	});
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main() {
	const sandbox = createSandbox({ log: false });
	const url = await sandbox.start(0);
	const credentials = { apiKey: sandbox.apiKey, baseUrl: url };

	/** Resets the sandbox for a scenario: seed, latency, rate limit; the request log stays off. */
	const prepare = (setup) => () => {
		sandbox.reset();
		sandbox.setLogging(false);
		if (setup.seed) sandbox.state.seedOrders(setup.seed);
		sandbox.faults.latencyMs = setup.latencyMs ?? 0;
		sandbox.faults.rateLimit = setup.rateLimit ?? null;
		sandbox.faults.rateLimitAnswer = setup.rateLimitAnswer ?? 'retry-after';
	};
	/** What the sandbox saw: orders created with a PO- purchase order ID, IDs seen twice, 429s, peak in flight. */
	const audit = () => {
		let created = 0;
		let duplicated = 0;
		for (const [po, count] of sandbox.state.purchaseOrderCounts()) {
			if (!po.startsWith('PO-')) continue;
			created++;
			if (count > 1) duplicated++;
		}
		return { created, duplicated, requests: sandbox.stats.requests, rateLimited: sandbox.stats.rateLimited, maxInFlight: sandbox.stats.maxInFlight };
	};

	/** Runs every side `ROUNDS` times, alternating which goes first; returns each side's results. */
	const compare = async (scenario, sides, setup) => {
		const results = Object.fromEntries(sides.map(([name]) => [name, []]));
		for (let round = 0; round < ROUNDS; round++) {
			const order = round % 2 ? [...sides].reverse() : sides;
			for (const [name, side, config] of order) {
				// The warm-up runs on a small sandbox: a few orders to list, no faults.
				prepare({ seed: setup.seed ? 500 : 0 })();
				const result = await measure(scenario, side, { credentials, ...config, profile: config.profile || profileAll }, prepare(setup));
				results[name].push({ ...result, audit: audit() });
				process.stderr.write('.');
			}
		}
		return results;
	};
	const ms = (runs) => median(runs.map((run) => run.ms));
	const cpu = (runs) => median(runs.map((run) => run.cpuMs));

	const rows = [];
	const notes = [];
	const raw = {};
	const row = (scenario, node, base, ratio, target, met) => rows.push({ scenario, node, base, ratio, target, met });
	const fmt = (value) => `${Math.round(value)} ms`;
	const profile = !args.includes('--no-profile');
	// Diagnosis: profile every timed run (slower) and print each scenario's breakdown.
	const profileAll = args.includes('--profile-all');

	if (wanted('creates')) {
		const setup = { latencyMs: LATENCY };
		const r = await compare(
			'creates',
			[
				['node', 'node', { count: N }],
				['fixed', 'node', { count: N, fixed: true }],
				['axios', 'axios', { count: N, concurrency: DEFAULT_MAX_CONCURRENT }],
			],
			setup,
		);
		raw.creates = r;
		const bound = (N * LATENCY) / DEFAULT_MAX_CONCURRENT;
		row(`(1) ${N} creates, ${LATENCY} ms latency, no limit, concurrency ${DEFAULT_MAX_CONCURRENT} (version 1, its default)`, fmt(ms(r.node)), `axios ${fmt(ms(r.axios))}`, ms(r.node) / ms(r.axios), 1.15);
		row('    same, parameters fixed instead of expressions', fmt(ms(r.fixed)), `axios ${fmt(ms(r.axios))}`, ms(r.fixed) / ms(r.axios));
		row('    node against the bound N × latency / concurrency', fmt(ms(r.node)), `bound ${fmt(bound)}`, ms(r.node) / bound);
		row('    axios against the same bound', fmt(ms(r.axios)), `bound ${fmt(bound)}`, ms(r.axios) / bound);
		row('    CPU time of the client process', fmt(cpu(r.node)), `axios ${fmt(cpu(r.axios))}`, cpu(r.node) / cpu(r.axios));
		if (profileAll) notes.push(breakdown('(1)', { 'node, expressions': r.node, 'node, fixed': r.fixed, axios: r.axios }, N, 'item'));
		const last = r.node.at(-1);
		notes.push(
			`(1) node: ${last.failed} failed, ${last.audit.created} orders created, ${last.audit.duplicated} purchase order IDs twice, at most ${last.audit.maxInFlight} requests in flight.`,
		);
	}

	if (wanted('rateLimit')) {
		const setup = { latencyMs: LATENCY, rateLimit: { limit: LIMIT, windowMs: 1000 } };
		const r = await compare('creates', [['node', 'node', { count: N }]], setup);
		raw.rateLimit = r;
		const bound = (N / LIMIT) * 1000;
		const failed = Math.max(...r.node.map((run) => run.failed));
		const duplicated = Math.max(...r.node.map((run) => run.audit.duplicated));
		const created = Math.min(...r.node.map((run) => run.audit.created));
		row(`(2) ${N} creates under ${LIMIT} req/s (1 s fixed window, Retry-After in whole seconds), ${LATENCY} ms latency`, fmt(ms(r.node)), `bound ${fmt(bound)}`, ms(r.node) / bound, 1.1);
		row('    failed items, worst round', String(failed), '0', undefined, undefined, failed === 0 && duplicated === 0 && created === N);
		notes.push(
			`(2) rounds: ${r.node.map((run) => `${fmt(run.ms)} (${run.audit.rateLimited} × 429)`).join(', ')}; every round: ${created} of ${N} orders created at least, ${duplicated} purchase order IDs twice at most.`,
		);
	}

	if (wanted('shared')) {
		// Each kind of rate limiter the sandbox has (test/sandbox/limiters.js), at version 2's 20 in flight.
		const kinds = [
			['fixed 1 s windows', { rateLimit: { limit: SHARED_LIMIT, windowMs: 1000 } }],
			['fixed, no Retry-After', { rateLimit: { limit: SHARED_LIMIT, windowMs: 1000 }, rateLimitAnswer: 'plain' }],
			['sliding window', { rateLimit: { kind: 'sliding', limit: SHARED_LIMIT, windowMs: 1000 } }],
			['token bucket', { rateLimit: { kind: 'bucket', rate: SHARED_LIMIT, burst: SHARED_LIMIT / 2 } }],
		].filter(([name]) => !kindsWanted || kindsWanted.some((wantedKind) => name.startsWith(wantedKind)));
		raw.shared = {};
		for (const [kind, faults] of kinds) {
			const setup = { latencyMs: LATENCY, ...faults };
			for (const runs of SHARED_RUNS) {
				const rounds = [];
				for (let round = 0; round < ROUNDS; round++) {
					prepare({})();
					const results = await measureTogether(runs, { credentials, count: SHARED_ROWS, concurrency: SHARED_CONCURRENCY }, prepare(setup));
					const start = Math.min(...results.map((result) => result.startedAt));
					const durations = results.map((result) => result.endedAt - result.startedAt);
					rounds.push({
						ms: Math.max(...results.map((result) => result.endedAt)) - start,
						fairness: Math.max(...durations) / Math.min(...durations),
						failed: results.reduce((sum, result) => sum + result.failed, 0),
						audit: audit(),
					});
					process.stderr.write('.');
				}
				raw.shared[`${kind}, ${runs}`] = rounds;
				const total = runs * SHARED_ROWS;
				const bound = (total / SHARED_LIMIT) * 1000;
				const failed = Math.max(...rounds.map((round) => round.failed));
				const duplicated = Math.max(...rounds.map((round) => round.audit.duplicated));
				const created = Math.min(...rounds.map((round) => round.audit.created));
				const refused = Math.max(...rounds.map((round) => round.audit.rateLimited / round.audit.requests));
				row(`(5) ${kind}: ${runs} runs × ${SHARED_ROWS} creates, ${SHARED_CONCURRENCY} in flight each, sharing ${SHARED_LIMIT} req/s: all done`, fmt(ms(rounds)), `bound ${fmt(bound)}`, ms(rounds) / bound, 1.15);
				row('    slowest run against the fastest (its time)', fmt(ms(rounds)), '', median(rounds.map((round) => round.fairness)), 1.5);
				row('    429s, worst round', `${(100 * refused).toFixed(1)} %`, '≤ 5 %', undefined, undefined, refused <= 0.05);
				row('    failed items and purchase order IDs twice, worst round', `${failed}, ${duplicated}`, '0, 0', undefined, undefined, failed === 0 && duplicated === 0 && created === total);
				notes.push(`(5) ${kind}, ${runs} runs, rounds: ${rounds.map((round) => `${fmt(round.ms)} (slowest ${round.fairness.toFixed(2)}× the fastest, ${round.audit.rateLimited} × 429)`).join(', ')}.`);
			}
		}
	}

	if (wanted('rateLimitLong')) {
		const LONG = 2000;
		const setup = { latencyMs: LATENCY, rateLimit: { limit: LIMIT, windowMs: 1000 } };
		const r = await compare('creates', [['node', 'node', { count: LONG }]], setup);
		raw.rateLimitLong = r;
		const bound = (LONG / LIMIT) * 1000;
		const failed = Math.max(...r.node.map((run) => run.failed));
		row(`    the same with ${LONG} creates (--long); failed items: ${failed}`, fmt(ms(r.node)), `bound ${fmt(bound)}`, ms(r.node) / bound);
	}

	if (wanted('getAll')) {
		const setup = { seed: LIST_ORDERS };
		const r = await compare(
			'getAll',
			[
				['node', 'node', { memory: true }],
				['axios', 'axios', { memory: true }],
			],
			setup,
		);
		raw.getAll = r;
		const mem = (runs, key) => median(runs.map((run) => run.memory[key]));
		const mb = (value) => `${value.toFixed(1)} MB`;
		row(`(3) Get Many, Return All, ${LIST_ORDERS} orders in pages of 100: time`, fmt(ms(r.node)), `axios ${fmt(ms(r.axios))}`, ms(r.node) / ms(r.axios), 1.2);
		row('    CPU time of the client process', fmt(cpu(r.node)), `axios ${fmt(cpu(r.axios))}`, cpu(r.node) / cpu(r.axios));
		row('    peak live heap (full GC every 20 ms)', mb(mem(r.node, 'peakLiveHeapMb')), `axios ${mb(mem(r.axios, 'peakLiveHeapMb'))}`, mem(r.node, 'peakLiveHeapMb') / mem(r.axios, 'peakLiveHeapMb'));
		row('    heap still held at the end (the result)', mb(mem(r.node, 'retainedHeapMb')), `axios ${mb(mem(r.axios, 'retainedHeapMb'))}`, mem(r.node, 'retainedHeapMb') / mem(r.axios, 'retainedHeapMb'));
		const rss = (runs) => median(runs.map((run) => run.peakRssMb));
		row('    peak RSS growth (timed run)', mb(rss(r.node)), `axios ${mb(rss(r.axios))}`, rss(r.node) / rss(r.axios));
		notes.push(`(3) node output ${r.node[0].outputs} items, axios ${r.axios[0].outputs} orders, in every round.`);
		if (profileAll) notes.push(breakdown('(3)', { node: r.node, axios: r.axios }, LIST_ORDERS / 100, 'page'));
	}

	if (wanted('overhead')) {
		const r = await compare(
			'creates',
			[
				['node', 'node', { count: N, profile }],
				['fixed', 'node', { count: N, fixed: true, profile }],
				['axios', 'axios', { count: N, concurrency: DEFAULT_MAX_CONCURRENT, profile }],
			],
			{},
		);
		raw.overhead = r;
		const perItem = (runs) => `${(ms(runs) / N).toFixed(2)} ms`;
		row(`(4) per item at zero latency (${N} creates, concurrency ${DEFAULT_MAX_CONCURRENT}, CPU-bound)`, perItem(r.node), `axios ${perItem(r.axios)}`, ms(r.node) / ms(r.axios));
		row('    same, parameters fixed instead of expressions', perItem(r.fixed), `axios ${perItem(r.axios)}`, ms(r.fixed) / ms(r.axios));
		if (profile) notes.push(breakdown('(4)', { 'node, expressions': r.node, 'node, fixed': r.fixed, axios: r.axios }, N, 'item'));
	}

	await sandbox.stop();
	process.stderr.write('\n');
	print(rows, notes);
	if (args.includes('--json')) console.log(JSON.stringify(raw, null, 2));
}

/** CPU self time per item (or page) by package, median over rounds, from profiled runs. */
function breakdown(label, bySide, count, unit) {
	const sides = Object.entries(bySide);
	const buckets = [...new Set(sides.flatMap(([, runs]) => runs.flatMap((run) => Object.keys(run.cpu ?? {}))))];
	const per = (runs, bucket) => median(runs.map((run) => (run.cpu?.[bucket] ?? 0) / count));
	const total = (runs) => median(runs.map((run) => Object.values(run.cpu ?? {}).reduce((a, b) => a + b, 0) / count));
	buckets.sort((a, b) => per(sides[0][1], b) - per(sides[0][1], a));
	const width = Math.max(...buckets.map((bucket) => bucket.length));
	const column = (text) => text.padStart(19);
	const lines = [`${label} where the time goes: CPU profile of the same runs, ms per ${unit} (median of ${sides[0][1].length} rounds)`];
	lines.push(`    ${''.padEnd(width)}${sides.map(([name]) => column(name)).join('')}`);
	for (const bucket of buckets) lines.push(`    ${bucket.padEnd(width)}${sides.map(([, runs]) => column(per(runs, bucket).toFixed(3))).join('')}`);
	lines.push(`    ${'total'.padEnd(width)}${sides.map(([, runs]) => column(total(runs).toFixed(3))).join('')}`);
	return lines.join('\n');
}

function print(rows, notes) {
	const header = ['scenario', 'node', 'baseline / bound', 'ratio', 'target', 'met?'];
	const lines = rows.map(({ scenario, node, base, ratio, target, met }) => [
		scenario,
		node,
		base,
		ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
		target === undefined ? '' : `≤ ${target.toFixed(2)}×`,
		met !== undefined ? (met ? 'yes' : 'NO') : target === undefined ? '' : ratio <= target ? 'yes' : 'NO',
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (line) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
	console.log(`\nHelloTech node benchmark: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}, load average ${os.loadavg()[0].toFixed(2)}, median of ${ROUNDS} rounds\n`);
	console.log(format(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('  '));
	for (const line of lines) console.log(format(line));
	console.log('');
	for (const note of notes) console.log(note);
	console.log(`
Method. The sandbox runs in the bench process; each side runs in a child process of its own
(node --expose-gc), warms up there on a small data set, then is timed from the start of the
workflow (node) or the first request (axios) to the last answer. The node side runs the built node
through n8n-core's WorkflowExecute; in (1), (2) and (4) every field is an expression on the input
row, as in a spreadsheet-to-order workflow ("fixed": the same values typed in). Its requests go
through n8n-core's httpRequestWithAuthentication, which builds a new http.Agent per request: no
keep-alive, one TCP connection per request. The axios side shares one http.Agent with keepAlive
off, so it too opens one connection per request, at the same concurrency. Bounds assume zero cost
per request: N × latency / concurrency, and N / limit.
Memory, in (3): "peak live heap" comes from a second, untimed run of the same listing with a full
GC every 20 ms before each heap sample, minus the heap before the run, so uncollected garbage does
not count; "held at the end" is the heap after a full GC while the result is still referenced (the
node's: n8n's run data with the output items); "peak RSS growth" is the process's maxRSS minus its
RSS before the timed run.`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
