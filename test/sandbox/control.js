'use strict';
/**
 * The sandbox's control API, under /__sandbox/ (no API key; the sandbox listens on loopback only),
 * and a client for it. Tests, the demo and the real-n8n test drive a sandbox that runs in
 * another context or process through it: reset and seed data, inject faults, read the state.
 */

/** Fault rules travel as JSON: `pathPattern` (a RegExp source) stands for a RegExp `path`. */
function ruleFromJson(rule) {
	const { pathPattern, ...rest } = rule;
	return pathPattern ? { ...rest, path: new RegExp(pathPattern) } : rest;
}

/** Handles a control request; returns [status, body] or undefined when the path is not a control path. */
function handleControl(sandbox, method, path, body) {
	if (!path.startsWith('/__sandbox/')) return undefined;
	const { state, faults } = sandbox;
	const route = `${method} ${path.slice('/__sandbox'.length)}`;
	let match;
	if (route === 'POST /reset') {
		sandbox.reset(body.options ?? {});
		return [200, { ok: true }];
	}
	if (route === 'GET /state') {
		return [
			200,
			{
				orders: state.orders.map((order) => ({ ...order, status_code: order._statusCode })),
				clients: state.clients,
				skus: state.skus,
				options: state.options,
				stats: sandbox.stats,
				log: sandbox.log,
				issuedSecrets: state.issuedSecrets ?? [],
			},
		];
	}
	if (route === 'POST /orders') {
		// { orders: [fields, ...] } or { count, fields, spacingMs }
		const list = body.orders ?? Array.from({ length: body.count ?? 0 }, () => body.fields ?? {});
		const added = state.seedOrders(list.length, (i) => list[i], { spacingMs: body.spacingMs ?? 60_000 });
		return [200, { ids: added.map((order) => order.id) }];
	}
	if (route === 'POST /clients') {
		return [200, state.addClient(body)];
	}
	if ((match = /^POST \/skus\/(\d+)\/zips$/.exec(route))) {
		// { zipPrefixes: ['9', '100', '02139'] }: where the SKU is offered from now on
		try {
			return [200, state.skuView(state.setZipCoverage(Number(match[1]), body.zipPrefixes))];
		} catch (error) {
			return [400, { errors: [error.message] }];
		}
	}
	if ((match = /^POST \/orders\/(\d+)\/status$/.exec(route))) {
		return [200, state.setOrderStatus(Number(match[1]), body.statusCode)];
	}
	if (route === 'POST /faults') {
		if (body.latencyMs !== undefined) faults.latencyMs = body.latencyMs;
		if (body.latencyJitterMs !== undefined) faults.latencyJitterMs = body.latencyJitterMs;
		if (body.holdUntilInFlight !== undefined) faults.holdUntilInFlight = body.holdUntilInFlight;
		if (body.rateLimitAnswer !== undefined) faults.rateLimitAnswer = body.rateLimitAnswer;
		if (body.rateLimit !== undefined) {
			try {
				faults.rateLimit = body.rateLimit;
			} catch (error) {
				return [400, { errors: [error.message] }];
			}
		}
		for (const rule of body.rules ?? []) faults.add(ruleFromJson(rule));
		return [200, { ok: true }];
	}
	if (route === 'POST /log') {
		sandbox.setLogging(Boolean(body.on));
		return [200, { ok: true }];
	}
	return [404, { errors: [`No sandbox control route ${route}`] }];
}

/** A client for a sandbox at `url`, over HTTP. */
function controlClient(url) {
	const call = async (method, path, body) => {
		const response = await fetch(`${url}/__sandbox${path}`, {
			method,
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json();
		if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${JSON.stringify(json)}`);
		return json;
	};
	return {
		url,
		reset: (options = {}) => call('POST', '/reset', { options }),
		state: () => call('GET', '/state'),
		seedOrders: (spec) => call('POST', '/orders', Array.isArray(spec) ? { orders: spec } : spec),
		addClient: (fields) => call('POST', '/clients', fields),
		setOrderStatus: (id, statusCode) => call('POST', `/orders/${id}/status`, { statusCode }),
		/** Where SKU `skuId` is offered from now on (ZIP prefixes; a 5-digit one is a single ZIP). */
		zipCoverage: (skuId, zipPrefixes) => call('POST', `/skus/${skuId}/zips`, { zipPrefixes }),
		faults: (spec) => call('POST', '/faults', spec),
		logging: (on) => call('POST', '/log', { on }),
	};
}

module.exports = { handleControl, controlClient };
