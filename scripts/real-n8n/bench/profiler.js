'use strict';
/**
 * Where the time goes inside the running n8n: a CPU profile of n8n's main process taken through
 * its inspector (n8n started with --inspect=127.0.0.1:0 when BENCH_N8N_PROFILE=1), summed by the
 * package each sampled function lives in. Runs on n8n's Node (24, which has WebSocket built in),
 * forked by bench-n8n.js with an IPC channel:
 *
 *   node profiler.js <inspector ws url>
 *   parent → { type: 'start' }  child → { type: 'started' }
 *   parent → { type: 'stop' }   child → { type: 'profile', buckets: { name: ms }, totalMs }
 */
const url = process.argv[2];
const ws = new WebSocket(url);
const pending = new Map();
let lastId = 0;

ws.addEventListener('message', (event) => {
	const message = JSON.parse(event.data);
	const waiting = pending.get(message.id);
	if (!waiting) return;
	pending.delete(message.id);
	if (message.error) waiting.reject(new Error(`${message.error.message} (${message.error.code})`));
	else waiting.resolve(message.result);
});

const post = (method, params = {}) =>
	new Promise((resolve, reject) => {
		const id = ++lastId;
		pending.set(id, { resolve, reject });
		ws.send(JSON.stringify({ id, method, params }));
	});

/** Packages whose code is the expression engine (parsing, the isolate, its bridge). */
const EXPRESSIONS = new Set(['@n8n/expression-runtime', 'isolated-vm', '@n8n/tournament', 'esprima-next', 'recast', 'ast-types', 'jmespath', 'luxon']);
const HTTP_CLIENT = new Set(['axios', 'follow-redirects', 'form-data', 'proxy-from-env', 'qs', 'agent-base', 'http-proxy-agent', 'https-proxy-agent']);
const DATABASE = new Set(['typeorm', 'sqlite3', '@n8n/db', '@n8n/typeorm', 'flatted']);

function bucketOf(functionName, url) {
	if (functionName === '(idle)') return 'idle';
	if (functionName === '(garbage collector)') return 'garbage collection';
	if (functionName === '(program)') return 'V8 outside JavaScript (program)';
	if (url === '') return 'native, called from V8 itself';
	if (url.startsWith('node:')) return 'Node.js http, net, streams';
	const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((match) => match[1]);
	const innermost = packages.at(-1);
	if (innermost === 'n8n-nodes-hellotech') return 'this package (HelloTech node)';
	if (innermost === 'n8n-nodes-base') return "n8n's nodes (HTTP Request, Split Out, Webhook)";
	if (innermost === 'n8n-workflow') return 'n8n-workflow (parameters, expressions glue)';
	if (EXPRESSIONS.has(innermost)) return 'expression engine (isolate, parser)';
	if (innermost === 'n8n-core') return 'n8n-core (engine, request helpers)';
	if (HTTP_CLIENT.has(innermost)) return 'axios & co';
	if (DATABASE.has(innermost)) return 'database, run data';
	if (innermost === 'n8n' || innermost?.startsWith('@n8n/')) return 'n8n server';
	return `other (${innermost ?? url.split('/').slice(-2).join('/')})`;
}

/**
 * Self time (ms) of the profile's samples, by bucket. A native function (no URL: JSON.parse, a
 * socket write, isolated-vm's calls into the expression isolate) counts for the package of the
 * JavaScript that called it.
 */
function bucketsOf(profile) {
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const parents = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
	const bucketOfNode = new Map();
	const bucketFor = (id) => {
		if (bucketOfNode.has(id)) return bucketOfNode.get(id);
		const { functionName, url } = nodes.get(id).callFrame;
		let bucket = bucketOf(functionName, url);
		if (url === '' && !functionName.startsWith('(')) {
			let caller = parents.get(id);
			while (caller !== undefined && nodes.get(caller).callFrame.url === '') caller = parents.get(caller);
			if (caller !== undefined && !nodes.get(caller).callFrame.functionName.startsWith('(')) bucket = bucketFor(caller);
		}
		bucketOfNode.set(id, bucket);
		return bucket;
	};
	const totals = {};
	profile.samples.forEach((id, index) => {
		const bucket = bucketFor(id);
		totals[bucket] = (totals[bucket] ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000;
	});
	return totals;
}

process.on('message', async (message) => {
	try {
		if (message.type === 'start') {
			await post('Profiler.enable');
			await post('Profiler.setSamplingInterval', { interval: 500 });
			await post('Profiler.start');
			process.send({ type: 'started' });
		} else if (message.type === 'stop') {
			const { profile } = await post('Profiler.stop');
			process.send({ type: 'profile', buckets: bucketsOf(profile), totalMs: (profile.endTime - profile.startTime) / 1000 });
		} else if (message.type === 'exit') {
			ws.close();
			process.disconnect();
		}
	} catch (error) {
		process.send({ type: 'error', message: String(error.stack ?? error) });
	}
});

ws.addEventListener('open', () => process.send({ type: 'ready' }));
ws.addEventListener('error', () => process.send({ type: 'error', message: `could not connect to n8n's inspector at ${url}` }));
