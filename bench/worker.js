'use strict';
/**
 * One measured side of one benchmark scenario, in its own process (forked by bench/run.js with
 * --expose-gc), so that its time and memory are its own.
 *
 * Protocol over the IPC channel: the parent sends { type: 'run', scenario, side, config }; the
 * worker loads its code and warms up against the sandbox, then sends { type: 'warmed' }; the
 * parent resets the sandbox and sets the scenario's faults, then sends { type: 'go' }; the worker
 * measures and sends { type: 'result', ... }, then exits.
 *
 * Sides: 'node' runs the built HelloTech node through n8n-core's WorkflowExecute (the test
 * harness); 'axios' is the loop a developer would write by hand, at the same concurrency.
 */
const http = require('http');

const { newClientOrder, orderFromRow, row } = require('../test/fixtures');

let axios;
let engine;

function message(type) {
	return new Promise((resolve) => {
		const listener = (msg) => {
			if (msg && msg.type === type) {
				process.off('message', listener);
				resolve(msg);
			}
		};
		process.on('message', listener);
	});
}

// ---- a spreadsheet's rows, and the node's parameters for them ----------------------------------

const options = (config) => (config.concurrency ? { requestOptions: { maxConcurrent: config.concurrency } } : {});

/** Every field an expression on the row, as a spreadsheet-to-order workflow has them. */
const createFromRow = (config) => orderFromRow(options(config));

/** The same order with fixed values: no expression for n8n to evaluate. */
const createFixed = (config) => newClientOrder(options(config));

const orderBody = (r) => ({
	first_name: r.first,
	last_name: r.last,
	email: r.email,
	address: r.address,
	phone: r.phone,
	sku_id: [r.skus],
	purchase_order_id: r.po,
});

// ---- node side ------------------------------------------------------------------------------------

function nodeExecutionMs(run) {
	const task = run.data.resultData.runData.HelloTech?.[0];
	return task ? task.executionTime : undefined;
}

async function nodeCreates(config, prefix, count) {
	const items = Array.from({ length: count }, (_, i) => row(i, prefix));
	const parameters = config.fixed ? createFixed(config) : createFromRow(config);
	const startedAt = Date.now();
	const started = performance.now();
	const result = await engine.runHelloTech(parameters, { credentials: config.credentials, items, continueOnFail: true });
	const ms = performance.now() - started;
	return {
		ms,
		// Wall-clock start and end, to line up runs measured in several processes at once.
		startedAt,
		endedAt: Date.now(),
		nodeMs: nodeExecutionMs(result.run),
		outputs: result.output.length,
		failed: result.output.filter((item) => item.json.error).length,
		firstError: result.output.find((item) => item.json.error)?.json.error,
		error: result.error?.message,
	};
}

async function nodeGetAll(config) {
	const started = performance.now();
	const result = await engine.runHelloTech({ resource: 'order', operation: 'getAll', returnAll: true, ...options(config) }, { credentials: config.credentials });
	const ms = performance.now() - started;
	return { ms, nodeMs: nodeExecutionMs(result.run), outputs: result.output.length, failed: result.error ? 1 : 0, error: result.error?.message, keep: result };
}

// ---- axios side -----------------------------------------------------------------------------------

function axiosClient(config) {
	return axios.create({
		baseURL: config.credentials.baseUrl,
		headers: { 'Api-Key': config.credentials.apiKey, Accept: 'application/json' },
		// Like n8n-core, which builds a new agent per request: one TCP connection per request.
		httpAgent: new http.Agent({ keepAlive: false }),
		timeout: 30_000,
		validateStatus: () => true,
	});
}

async function axiosCreates(config, prefix, count) {
	const client = axiosClient(config);
	const rows = Array.from({ length: count }, (_, i) => row(i, prefix));
	const results = new Array(count);
	let next = 0;
	let failed = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < rows.length) {
			const index = next++;
			const response = await client.post('/api/partners/orders', orderBody(rows[index]));
			if (response.status >= 200 && response.status < 300) results[index] = response.data.order;
			else failed++;
		}
	};
	await Promise.all(Array.from({ length: config.concurrency }, worker));
	return { ms: performance.now() - started, outputs: results.filter(Boolean).length, failed };
}

async function axiosGetAll(config) {
	const client = axiosClient(config);
	const orders = [];
	const started = performance.now();
	let cursor;
	for (;;) {
		const params = { limit: 100 };
		if (cursor !== undefined) params.cursor = cursor;
		const response = await client.get('/api/partners/orders', { params });
		if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
		const page = response.data.orders;
		for (const order of page) orders.push(order);
		if (page.length < 100) break;
		cursor = page[page.length - 1].id;
	}
	return { ms: performance.now() - started, outputs: orders.length, failed: 0, keep: orders };
}

// ---- memory and CPU -------------------------------------------------------------------------------

const MB = 2 ** 20;

/**
 * Live-heap high-water mark: every `everyMs` a full GC, then heapUsed; garbage not yet collected
 * does not count, so the figure is what the run really holds. Slows the run: used untimed.
 */
function liveHeapSampler(everyMs = 20) {
	global.gc();
	const base = process.memoryUsage().heapUsed;
	let peak = base;
	const timer = setInterval(() => {
		global.gc();
		peak = Math.max(peak, process.memoryUsage().heapUsed);
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			global.gc();
			const retained = process.memoryUsage().heapUsed;
			peak = Math.max(peak, retained);
			return { peakLiveHeapMb: (peak - base) / MB, retainedHeapMb: (retained - base) / MB };
		},
	};
}

/** CPU profile of the measured run, summed by package: where the time goes. */
async function profiler(label) {
	const inspector = require('inspector');
	const session = new inspector.Session();
	session.connect();
	const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 250 });
	await post('Profiler.start');
	return async () => {
		const { profile } = await post('Profiler.stop');
		session.disconnect();
		// BENCH_PROFILE_DIR=dir keeps each profile, for Chrome DevTools or a closer look.
		if (process.env.BENCH_PROFILE_DIR) {
			require('fs').writeFileSync(require('path').join(process.env.BENCH_PROFILE_DIR, `${label}-${process.pid}.cpuprofile`), JSON.stringify(profile));
		}
		return bucketsOf(profile);
	};
}

/** Self time of each sample, by where its function lives. */
function bucketsOf(profile) {
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const totals = {};
	profile.samples.forEach((id, i) => {
		const { functionName, url } = nodes.get(id).callFrame;
		const bucket = bucketOf(functionName, url);
		totals[bucket] = (totals[bucket] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
	});
	return totals;
}

const EXPRESSIONS = new Set(['n8n-workflow', 'luxon', '@n8n/tournament', 'esprima-next', 'recast', 'jmespath', 'lodash']);
const AXIOS = new Set(['axios', 'follow-redirects', 'proxy-from-env', 'form-data', 'qs']);

function bucketOf(functionName, url) {
	if (functionName === '(idle)') return 'idle (waiting for the network)';
	if (functionName === '(garbage collector)') return 'garbage collection';
	if (/\/dist\/(nodes|credentials)\//.test(url)) return 'this node (dist/)';
	if (url === '') return 'native: sockets, JSON, V8 builtins';
	if (url.startsWith('node:')) return 'Node.js http/net (JS)';
	if (/test\/harness/.test(url)) return 'n8n-core: engine and request path';
	// The innermost package: n8n-core's own copy of axios counts as axios.
	const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((match) => match[1]);
	const pkg = packages.at(-1);
	if (AXIOS.has(pkg)) return 'axios, follow-redirects, qs';
	if (EXPRESSIONS.has(pkg)) return 'n8n-workflow: parameters, expressions';
	if (pkg === 'n8n-core' || pkg?.startsWith('@n8n/')) return 'n8n-core: engine and request path';
	return 'other';
}

// ---- main ------------------------------------------------------------------------------------------

async function measured(scenario, side, config, prefix) {
	if (scenario === 'getAll') return side === 'node' ? await nodeGetAll(config) : await axiosGetAll(config);
	return side === 'node' ? await nodeCreates(config, prefix, config.count) : await axiosCreates(config, prefix, config.count);
}

async function main() {
	const { scenario, side, config } = await message('run');
	if (side === 'node') engine = require('../test/harness/engine');
	else axios = require('axios');

	// Warm up: load and compile the code paths once, on a sandbox the parent resets afterwards.
	await measured(scenario, side, { ...config, count: 40 }, 'WARM');
	process.send({ type: 'warmed' });
	await message('go');

	global.gc();
	const rssBefore = process.memoryUsage().rss;
	const stopProfile = config.profile ? await profiler(`${scenario}-${side}${config.fixed ? '-fixed' : ''}`) : undefined;
	const cpuBefore = process.cpuUsage();
	let result = await measured(scenario, side, config, config.prefix ?? 'PO');
	const cpuUsed = process.cpuUsage(cpuBefore);
	const cpu = stopProfile ? await stopProfile() : undefined;
	const peakRssMb = (process.resourceUsage().maxRSS * 1024 - rssBefore) / MB;
	delete result.keep;
	result = { ...result, cpu, peakRssMb, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000 };

	if (config.memory) {
		// A second, untimed run of the same listing for the live-heap high-water mark.
		global.gc();
		const sampler = liveHeapSampler();
		let kept = await measured(scenario, side, config, 'MEM');
		result.memory = sampler.stop();
		kept = undefined;
	}
	process.send({ type: 'result', ...result });
	process.disconnect();
}

main().catch((error) => {
	process.send?.({ type: 'result', crashed: String(error && error.stack) });
	process.exitCode = 1;
});
