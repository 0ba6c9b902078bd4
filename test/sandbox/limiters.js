'use strict';
/**
 * The rate limiters a partner may find behind HelloTech's API (its limit is not published), as
 * the sandbox and the simulated HelloTech of test/pacer.test.js apply them. Each counts one API
 * key's requests and answers `take(now)` with 0 (the request may go on) or the Retry-After in
 * whole seconds (at least 1) that such a limiter sends with its 429:
 *
 * - `{ kind: 'fixed', limit, windowMs }` (also `{ limit, windowMs }`): fixed windows aligned to
 *   the clock (a new one every `windowMs` since the epoch), as Rails' rack-attack counts. Every
 *   request counts, refused ones too; Retry-After: the seconds left of the window, rounded up.
 * - `{ kind: 'sliding', limit, windowMs }`: a sliding log: a request is taken when fewer than
 *   `limit` were taken in the `windowMs` before it (refused ones do not count). Retry-After:
 *   until the oldest of those leaves the window, rounded up.
 * - `{ kind: 'bucket', rate, burst }`: a token bucket (nginx limit_req with nodelay, API
 *   gateways): it holds up to `burst` tokens, starts full and gains `rate` tokens a second; a
 *   request takes one or is refused. Retry-After: until a token is free, rounded up.
 *
 * A window of a minute (`windowMs: 60000`) is rack-attack's other usual setting. (How the sandbox
 * answers a refused request, with Retry-After or as rack-attack does by default, is its
 * `rateLimitAnswer` fault.)
 */

const seconds = (ms) => Math.max(1, Math.ceil(ms / 1000));

function fixedWindows({ limit, windowMs = 1000 }) {
	let windowStart = -1;
	let count = 0;
	return (now) => {
		const start = now - (now % windowMs);
		if (start !== windowStart) {
			windowStart = start;
			count = 0;
		}
		count++;
		return count <= limit ? 0 : seconds(start + windowMs - now);
	};
}

function slidingLog({ limit, windowMs = 1000 }) {
	const taken = [];
	return (now) => {
		while (taken.length > 0 && taken[0] <= now - windowMs) taken.shift();
		if (taken.length < limit) {
			taken.push(now);
			return 0;
		}
		return seconds(taken[0] + windowMs - now);
	};
}

function tokenBucket({ rate, burst }) {
	let tokens = burst;
	let last;
	return (now) => {
		if (last !== undefined) tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
		last = now;
		if (tokens >= 1) {
			tokens -= 1;
			return 0;
		}
		return seconds(((1 - tokens) * 1000) / rate);
	};
}

/** A limiter for `config`, or undefined for none. Throws on a config it cannot read. */
function createLimiter(config) {
	if (!config) return undefined;
	const kind = config.kind ?? 'fixed';
	const positive = (name) => {
		if (!(Number(config[name]) > 0)) throw new Error(`rateLimit.${name} must be a positive number for kind '${kind}'`);
	};
	if (kind === 'fixed' || kind === 'sliding') {
		positive('limit');
		if (config.windowMs !== undefined) positive('windowMs');
		return { config, take: kind === 'fixed' ? fixedWindows(config) : slidingLog(config) };
	}
	if (kind === 'bucket') {
		positive('rate');
		positive('burst');
		return { config, take: tokenBucket(config) };
	}
	throw new Error(`rateLimit.kind must be 'fixed', 'sliding' or 'bucket', not '${kind}'`);
}

/** What one limiter allows in the long run, in requests per second. */
function ratePerSecond(config) {
	return config.kind === 'bucket' ? config.rate : (config.limit * 1000) / (config.windowMs ?? 1000);
}

module.exports = { createLimiter, ratePerSecond };
