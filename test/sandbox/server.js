'use strict';
/**
 * A local HelloTech Partner API sandbox: the endpoints of ../../shared reference (orders, clients,
 * SKUs), with the API's validation and error bodies, Api-Key checking, keyset paging, seeding,
 * state tests can inspect, and fault injection (latency, rate limits, 5xx before or after the
 * work is done, reset connections, malformed bodies, hanging requests).
 *
 * Node's http module only. Used by the jest suite, the demo, the real-n8n test and the benchmarks.
 */
const http = require('http');
const { URL } = require('url');

const { State } = require('./state');
const orders = require('./orders');
const clients = require('./clients');
const skus = require('./skus');
const { handleControl } = require('./control');
const { createLimiter } = require('./limiters');

const DEFAULT_API_KEY = 'sandbox-key-0123456789';

class HttpError extends Error {
	constructor(status, body, headers = {}) {
		super(`HTTP ${status}`);
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

/** Parses `a[]=1&a[]=2&b=3` into { a: ['1', '2'], b: '3' } (Rails style). */
function parseQuery(searchParams) {
	const query = {};
	for (const [rawKey, value] of searchParams) {
		if (rawKey.endsWith('[]')) {
			const key = rawKey.slice(0, -2);
			(query[key] = query[key] || []).push(value);
		} else if (/\[\d+\]$/.test(rawKey)) {
			const key = rawKey.replace(/\[\d+\]$/, '');
			(query[key] = query[key] || []).push(value);
		} else {
			query[rawKey] = value;
		}
	}
	return query;
}

/** How long held answers wait at most for the requests in flight to reach `holdUntilInFlight`. */
const HOLD_MS = 10_000;

class Faults {
	constructor() {
		this.holding = [];
		this.reset();
	}

	reset() {
		this.release();
		/**
		 * Answers are held until this many requests are in flight at once (then none is held any
		 * more), or 0. A test that a run reaches its concurrency bound sets it, so that reaching it
		 * does not depend on how fast the machine sends. A run that never gets there is answered
		 * after HOLD_MS, and its test fails on the count instead of hanging.
		 */
		this.holdUntilInFlight = 0;
		/** Milliseconds added before each request is handled. */
		this.latencyMs = 0;
		/** Up to this many milliseconds more, at random, per request: answers then finish out of order. */
		this.latencyJitterMs = 0;
		/**
		 * The rate limit, or null: `{ limit, windowMs }` or `{ kind: 'fixed', limit, windowMs }`
		 * (fixed windows aligned to the clock, like Rails' rack-attack), `{ kind: 'sliding', limit,
		 * windowMs }` (a sliding log), `{ kind: 'bucket', rate, burst }` (a token bucket). Each
		 * answers 429 with Retry-After in whole seconds (see limiters.js). Setting it starts afresh.
		 */
		this.rateLimit = null;
		/**
		 * How the rate limit's 429 reads: 'retry-after' (JSON errors and Retry-After) or 'plain'
		 * (rack-attack's default: "Retry later" as text/plain, no Retry-After).
		 */
		this.rateLimitAnswer = 'retry-after';
		/**
		 * Rules: { kind, method?, path? (RegExp or string prefix), after?, times?, every?, probability? }.
		 * `after: n` lets the first n matching requests through (e.g. fail only from the second page on).
		 */
		this.rules = [];
	}

	get rateLimit() {
		return this.limiter?.config ?? null;
	}

	set rateLimit(config) {
		this.limiter = createLimiter(config);
	}

	/**
	 * Adds a fault. kinds: '5xx-before' (fails, nothing done), '5xx-after' (the work is done, then
	 * 500), 'reset' (socket destroyed before any answer, nothing done), 'reset-after' (work done,
	 * then the socket is destroyed), 'malformed' (200 with a broken JSON body after doing the
	 * work), 'hang' (never answers), '429' (one 429, with `retryAfter` seconds or none, after `ms` if given),
	 * 'echo-secret' (nothing done; after `ms` if given, `status`, default 500, with a body that
	 * repeats the last client_secret or ephemeral_key the sandbox issued, in its text and, unless
	 * `withField: false`, under `client_secret`), 'slow-after' (the work is done, then
	 * the answer waits `ms`, default 200, before it goes out).
	 */
	add(rule) {
		this.rules.push({ seen: 0, fired: 0, ...rule });
		return this;
	}

	/** The rule that fires for this request, if any. */
	pick(method, path) {
		for (const rule of this.rules) {
			if (rule.method && rule.method !== method) continue;
			if (rule.path instanceof RegExp ? !rule.path.test(path) : rule.path && !path.startsWith(rule.path)) continue;
			rule.seen++;
			if (rule.after !== undefined && rule.seen <= rule.after) continue;
			if (rule.times !== undefined && rule.fired >= rule.times) continue;
			if (rule.every !== undefined && rule.seen % rule.every !== 0) continue;
			if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
			rule.fired++;
			return rule;
		}
		return undefined;
	}

	/** Resolves when this request's answer may go on (see `holdUntilInFlight`); `inFlight` counts it. */
	async hold(inFlight) {
		if (!this.holdUntilInFlight) return;
		if (inFlight >= this.holdUntilInFlight) return this.release();
		this.holdTimer ??= setTimeout(() => this.release(), HOLD_MS).unref();
		await new Promise((resolve) => this.holding.push(resolve));
	}

	/** Lets every held answer go on, and holds none from now on. */
	release() {
		this.holdUntilInFlight = 0;
		clearTimeout(this.holdTimer);
		this.holdTimer = undefined;
		for (const resolve of this.holding.splice(0)) resolve();
	}

	/** The rate limit: the seconds to wait (Retry-After), or 0 when the request may go on. */
	rateLimited(now) {
		return this.limiter ? this.limiter.take(now) : 0;
	}
}

/** The JSON body of a request, or undefined when it has none or it is not JSON. */
function parseLoosely(text) {
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * `options.now`: the sandbox's clock (ms since the epoch; default Date.now): rate limits count on
 * it, the request log and new orders are stamped with it. A test on a simulated clock hands its own.
 */
function createSandbox(options = {}) {
	const apiKey = options.apiKey ?? DEFAULT_API_KEY;
	const now = options.now ?? (() => Date.now());
	const state = new State(options);
	const faults = new Faults();
	const routes = [...orders.routes, ...clients.routes, ...skus.routes];
	const stats = { requests: 0, inFlight: 0, maxInFlight: 0, rateLimited: 0 };
	/** Every request, in arrival order: { method, path, query, body, apiKeyOk, status, at } (a rate limit's 429 also refusedAt, retryAfter). */
	const log = [];
	let logRequests = options.log !== false;

	const server = http.createServer((req, res) => {
		let text = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			handle(req, res, text).catch((error) => {
				if (!res.headersSent) send(res, 500, { errors: [`Sandbox bug: ${error.message}`] });
			});
		});
	});
	server.keepAliveTimeout = 60_000;
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	function send(res, status, body, headers = {}) {
		const payload = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
		res.end(payload);
	}

	async function handle(req, res, text) {
		const url = new URL(req.url, 'http://sandbox');
		const method = req.method;
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const control = handleControl(sandbox, method, path, text ? JSON.parse(text) : {});
		if (control) return send(res, control[0], control[1]);
		const entry = { method, path, query: parseQuery(url.searchParams), body: undefined, apiKeyOk: false, status: 0, at: now() };
		if (logRequests) log.push(entry);
		stats.requests++;
		stats.inFlight++;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		let finished = false;
		const finish = () => {
			if (!finished) {
				finished = true;
				stats.inFlight--;
			}
		};
		res.on('close', finish);
		res.on('finish', finish);

		try {
			await faults.hold(stats.inFlight);
			const delay = faults.latencyMs + (faults.latencyJitterMs > 0 ? Math.random() * faults.latencyJitterMs : 0);
			if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

			const wait = faults.rateLimited(now());
			if (wait > 0) {
				stats.rateLimited++;
				entry.status = 429;
				// When it was refused, the Retry-After (seconds) it was sent back with, and what it carried.
				entry.refusedAt = now();
				entry.retryAfter = wait;
				entry.body = parseLoosely(text);
				if (faults.rateLimitAnswer === 'plain') {
					entry.retryAfter = undefined;
					res.writeHead(429, { 'Content-Type': 'text/plain' });
					return res.end('Retry later\n');
				}
				return send(res, 429, { errors: ['Rate limit exceeded. Try again later.'] }, { 'Retry-After': String(wait) });
			}

			entry.apiKeyOk = req.headers['api-key'] === apiKey;
			if (!entry.apiKeyOk) {
				entry.status = 401;
				return send(res, 401, { error: 'Invalid API key' });
			}

			const fault = faults.pick(method, path);
			if (fault && fault.kind === '429') {
				if (fault.ms) await new Promise((resolve) => setTimeout(resolve, fault.ms));
				entry.status = 429;
				const headers = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
				return send(res, 429, { errors: ['Rate limit exceeded'] }, headers);
			}
			if (fault && fault.kind === 'hang') return; // never answers; the client times out
			if (fault && fault.kind === 'reset') {
				entry.status = -1;
				return req.socket.destroy();
			}
			if (fault && fault.kind === 'echo-secret') {
				// A careless upstream: an error whose body repeats the last Stripe secret the sandbox issued.
				if (fault.ms) await new Promise((resolve) => setTimeout(resolve, fault.ms));
				entry.status = fault.status ?? 500;
				const secret = (state.issuedSecrets ?? []).at(-1) ?? '';
				const body = { errors: [`Stripe request failed for ${secret}`] };
				if (fault.withField !== false) body.client_secret = secret;
				return send(res, entry.status, body);
			}
			if (fault && fault.kind === '5xx-before') {
				entry.status = fault.status ?? 503;
				return send(res, entry.status, fault.body ?? { errors: ['Service temporarily unavailable'] });
			}

			let body;
			if (text) {
				try {
					body = JSON.parse(text);
				} catch {
					entry.status = 400;
					return send(res, 400, { errors: ['Request body is not valid JSON'] });
				}
			}
			entry.body = body;

			const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
			if (!route) {
				entry.status = 404;
				return send(res, 404, { errors: [`No route matches ${method} ${path}`] });
			}
			const params = route.pattern.exec(path).slice(1);
			let answer;
			try {
				answer = route.handle({ state, params, query: entry.query, body: body ?? {}, HttpError });
			} catch (error) {
				if (!(error instanceof HttpError)) throw error;
				entry.status = error.status;
				return send(res, error.status, error.body, error.headers);
			}

			// The work is done; some faults strike now.
			if (fault && fault.kind === '5xx-after') {
				entry.status = fault.status ?? 500;
				return send(res, entry.status, { errors: ['Internal Server Error'] });
			}
			if (fault && fault.kind === 'slow-after') await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 200));
			if (fault && fault.kind === 'reset-after') {
				entry.status = -1;
				return req.socket.destroy();
			}
			if (fault && fault.kind === 'malformed') {
				entry.status = 200;
				const full = JSON.stringify(answer);
				return send(res, 200, full.slice(0, Math.max(1, Math.floor(full.length / 2))));
			}
			entry.status = 200;
			return send(res, 200, answer);
		} catch (error) {
			entry.status = 500;
			throw error;
		}
	}

	const sandbox = {
		apiKey,
		state,
		faults,
		stats,
		log,
		url: undefined,
		/** Starts listening on `port` (0: a free port) on 127.0.0.1; resolves with the base URL. */
		async start(port = options.port ?? 0) {
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', resolve);
			});
			sandbox.url = `http://127.0.0.1:${server.address().port}`;
			return sandbox.url;
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
		/** Back to a fresh, seeded state with no faults and empty logs. */
		reset(resetOptions = {}) {
			state.reset({ ...options, ...resetOptions });
			faults.reset();
			log.length = 0;
			stats.requests = 0;
			stats.maxInFlight = stats.inFlight;
			stats.rateLimited = 0;
		},
		/** Turn the request log off for very large runs (benchmarks). */
		setLogging(on) {
			logRequests = on;
		},
		requests(filter = {}) {
			return log.filter(
				(entry) =>
					(!filter.method || entry.method === filter.method) &&
					(!filter.path || (filter.path instanceof RegExp ? filter.path.test(entry.path) : entry.path === filter.path)),
			);
		},
	};
	return sandbox;
}

module.exports = { createSandbox, DEFAULT_API_KEY, HttpError };
