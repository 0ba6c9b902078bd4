'use strict';
/**
 * The plain loop of `npm run bench:n8n`: what a developer writes by hand instead of a workflow,
 * run in its own process (on the Node that runs n8n) against the same sandbox.
 *
 *   node loop.js '<json job>'   job: { kind: 'creates', baseUrl, apiKey, rowsFile, concurrency }
 *                                    | { kind: 'list', baseUrl, apiKey, pageSize }
 *
 * Creates: `concurrency` requests in flight, one new connection per request (keep-alive off, as
 * n8n's request helper does), a 429 waited out as its Retry-After says and sent again, any other
 * failure counted and not sent again (a create is not safe to repeat). List: pages one after the
 * other by cursor (the last order's id), every order kept in memory, as a node's output would be.
 *
 * Prints one JSON line: { ms, outputs, failed, rateLimited, process: { beforeMb, peakMb, cpuMs } }
 * (ms and CPU from the first request to the last answer, not counting the process's start; peak
 * RSS of the whole process).
 */
const fs = require('fs');
const http = require('http');

const agent = new http.Agent({ keepAlive: false });

function send(baseUrl, apiKey, method, path, body) {
	const url = new URL(path, baseUrl);
	const payload = body === undefined ? undefined : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{
				method,
				agent,
				headers: {
					'Api-Key': apiKey,
					Accept: 'application/json',
					...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text }));
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(payload);
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function creates({ baseUrl, apiKey, rowsFile, concurrency }) {
	const rows = JSON.parse(fs.readFileSync(rowsFile, 'utf8'));
	const orders = [];
	let next = 0;
	let failed = 0;
	let rateLimited = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < rows.length) {
			const row = rows[next++];
			const body = { ...row, sku_id: [row.sku_id] };
			for (;;) {
				let answer;
				try {
					answer = await send(baseUrl, apiKey, 'POST', '/api/partners/orders', body);
				} catch {
					failed++;
					break;
				}
				if (answer.status === 429) {
					rateLimited++;
					await sleep(Number(answer.headers['retry-after'] ?? 1) * 1000);
					continue;
				}
				if (answer.status >= 200 && answer.status < 300) orders.push(JSON.parse(answer.text).order);
				else failed++;
				break;
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return { ms: performance.now() - started, outputs: orders.length, failed, rateLimited };
}

async function list({ baseUrl, apiKey, pageSize }) {
	const orders = [];
	const started = performance.now();
	let cursor;
	for (;;) {
		const query = new URLSearchParams({ limit: String(pageSize) });
		if (cursor !== undefined) query.set('cursor', String(cursor));
		const answer = await send(baseUrl, apiKey, 'GET', `/api/partners/orders?${query}`);
		if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
		const page = JSON.parse(answer.text).orders;
		for (const order of page) orders.push(order);
		if (page.length < pageSize) break;
		cursor = page[page.length - 1].id;
	}
	return { ms: performance.now() - started, outputs: orders.length, failed: 0, rateLimited: 0 };
}

const job = JSON.parse(process.argv[2]);
const MB = 2 ** 20;
const rssBefore = process.memoryUsage().rss;
const cpuBefore = process.cpuUsage();
(job.kind === 'list' ? list(job) : creates(job)).then(
	(result) => {
		const cpu = process.cpuUsage(cpuBefore);
		const usage = { beforeMb: rssBefore / MB, peakMb: (process.resourceUsage().maxRSS * 1024) / MB, cpuMs: (cpu.user + cpu.system) / 1000 };
		process.stdout.write(`${JSON.stringify({ ...result, process: usage })}\n`);
	},
	(error) => {
		process.stderr.write(`${error.stack}\n`);
		process.exitCode = 1;
	},
);
