'use strict';
// Pace, retries and faults through n8n's engine against the sandbox: what is retried, what never
// is, what an item says when a create may have happened, and that no order is created twice.
const http = require('http');
const net = require('net');

const { sandbox, credentials, run, runHelloTech } = require('./helpers');
const { orderFromRow, row } = require('./fixtures');
const { onTestClock } = require('./harness/clock');

const rows = (count) => Array.from({ length: count }, (_, i) => row(i));

/** Order → Create with every field taken from the input row (the SKU fixed), as a spreadsheet-to-order workflow does. */
const createFromRow = (requestOptions) =>
	orderFromRow({ skuIds: [10639], ...(requestOptions ? { requestOptions } : {}) });

const ORDERS = '/api/partners/orders';
const log = async (method) => (await sandbox.state()).log.filter((entry) => !method || entry.method === method);

/** How many orders the sandbox holds for each purchase order ID. */
async function purchaseOrderCounts() {
	const counts = new Map();
	for (const order of (await sandbox.state()).orders) {
		counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1);
	}
	return counts;
}

/** A server that answers every request with a redirect (`status`) to the same path at `target`. */
async function redirector(target, status) {
	const server = http.createServer((req, res) => {
		res.writeHead(status, { Location: `${target}${req.url}` });
		res.end();
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A local port nothing listens on: connections to it are refused before anything is sent. */
async function closedPort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

beforeEach(() => sandbox.reset());

describe('pace', () => {
	test('200 creates against a 50 req/s limit: every order created exactly once, no item failed, and the node slowed down instead of hammering', async () => {
		await sandbox.faults({ rateLimit: { limit: 50, windowMs: 1000 } });
		// On the test's clock, which the sandbox's limit counts on too: the run meets the limit the
		// same way however fast or busy the machine is.
		const { value: result } = await onTestClock(() => run(createFromRow(), { items: rows(200), continueOnFail: true }), {
			startAt: Math.ceil(Date.now() / 1000) * 1000,
		});

		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(200);
		expect(result.output.filter((item) => item.json.error)).toEqual([]);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.purchase_order_id).toBe(`PO-${i}`);
		});

		const counts = await purchaseOrderCounts();
		expect(counts.size).toBe(200);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);

		// The limit was really hit, every refused create was sent again, and none was accepted twice.
		const { stats } = await sandbox.state();
		const posts = await log('POST');
		const refused = posts.filter((entry) => entry.status === 429);
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.length).toBe(stats.rateLimited);
		expect(posts.filter((entry) => entry.status === 200)).toHaveLength(200);
		expect(posts).toHaveLength(200 + refused.length);
		// Waiting as Retry-After asks and then keeping a slower pace costs a handful of 429s over
		// the run; waiting without slowing down costs 30 here (ten a window), retrying at once hundreds.
		expect(refused.length).toBeLessThanOrEqual(20);
	});

	// The sandbox holds its answers until the bound is reached (holdUntilInFlight), so reaching it
	// does not depend on how fast the machine sends.
	test('requests in flight never exceed Max Concurrent Requests and reach it, across items', async () => {
		await sandbox.faults({ latencyMs: 30, holdUntilInFlight: 3 });
		const result = await run(createFromRow({ maxConcurrent: 3 }), { items: rows(24), continueOnFail: true });
		expect(result.output.filter((item) => item.json.error)).toEqual([]);
		expect((await sandbox.state()).stats.maxInFlight).toBe(3);
	});

	test('the default is 5 in flight', async () => {
		await sandbox.faults({ latencyMs: 30, holdUntilInFlight: 5 });
		const result = await run(createFromRow(), { items: rows(24), continueOnFail: true });
		expect(result.output).toHaveLength(24);
		expect((await sandbox.state()).stats.maxInFlight).toBe(5);
	});

	test('Get Many for several items pages through each under the same bound', async () => {
		await sandbox.seedOrders({ count: 250 });
		await sandbox.faults({ latencyMs: 20, holdUntilInFlight: 4 });
		const result = await run(
			{ resource: 'order', operation: 'getAll', returnAll: true, requestOptions: { maxConcurrent: 4 } },
			{ items: rows(6) },
		);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(6 * 250);
		for (let i = 0; i < 6; i++) {
			const mine = result.output.filter((item) => item.pairedItem.item === i);
			expect(new Set(mine.map((item) => item.json.id)).size).toBe(250);
		}
		const { stats } = await sandbox.state();
		expect(stats.maxInFlight).toBe(4);
	});

	test('output keeps input order and pairing at concurrency 10 while answers arrive out of order', async () => {
		await sandbox.faults({ latencyMs: 2, latencyJitterMs: 40, holdUntilInFlight: 10 });
		const result = await run(createFromRow({ maxConcurrent: 10 }), { items: rows(60), continueOnFail: true });
		expect(result.output).toHaveLength(60);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.purchase_order_id).toBe(`PO-${i}`);
		});
		// The sandbox numbers orders as it creates them: they were created out of input order.
		const ids = result.output.map((item) => item.json.id);
		expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
		expect((await sandbox.state()).stats.maxInFlight).toBe(10);
	});
});

describe('a create answered with a success status but no order', () => {
	test.each([
		['{ status: "error", errors: [...] }', { status: 'error', errors: ['Order could not be saved'] }, 'HelloTech answered the create without the order (Order could not be saved)'],
		['an empty body', '', 'HelloTech answered the create without the order;'],
	])('%s: not passed for a booking, not sent again, and the error names the purchase order ID to check', async (_what, body, message) => {
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 200, body, method: 'POST', times: 1 }] });
		const result = await run(createFromRow(), { items: [row(7)], continueOnFail: true });
		const [item] = result.output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.id).toBeUndefined();
		expect(item.json.outcomeUnknown).toBe(true);
		expect(item.json.error).toContain(message);
		expect(item.json.error).toContain('look for purchase order ID "PO-7" in HelloTech before creating it again [item 0]');
		expect(await log('POST')).toHaveLength(1);
	});
});

describe('a create that may have happened is never sent again', () => {
	// kind → whether the sandbox created the order before failing
	test.each([
		['5xx-after', 'HelloTech failed to process the request (HTTP 500)', 1],
		['reset-after', 'The connection to HelloTech was reset', 1],
		['malformed', 'HelloTech answered with a body that is not valid JSON', 1],
		['hang', 'HelloTech did not answer within 1.5 s', 0],
		// The node cannot tell these from their "after" twins, so they are not retried either.
		['5xx-before', 'HelloTech failed to process the request (HTTP 503)', 0],
		['reset', 'The connection to HelloTech was reset', 0],
	])('%s: one attempt, and the error item says the order may exist and names its purchase order ID', async (kind, meaning, created) => {
		await sandbox.faults({ rules: [{ kind, method: 'POST', times: 1 }] });
		const result = await run(createFromRow({ timeout: 1500 }), { items: [row(7)], continueOnFail: true });

		expect(result.output).toHaveLength(1);
		const [item] = result.output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.outcomeUnknown).toBe(true);
		expect(item.json.error).toContain(meaning);
		expect(item.json.error).toContain('the order may have been created: look for purchase order ID "PO-7" in HelloTech before creating it again');
		expect(item.json.description).toMatch(/not retried/);

		expect(await log('POST')).toHaveLength(1);
		expect((await purchaseOrderCounts()).get('PO-7') ?? 0).toBe(created);
	});

	test('without Continue On Fail the node fails with the same words', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-after', method: 'POST', times: 1 }] });
		const result = await run(createFromRow(), { items: [row(3)] });
		expect(result.error.message).toContain('look for purchase order ID "PO-3"');
		expect(await log('POST')).toHaveLength(1);
	});

	test('with 5xx after processing on every fourth create: every item accounted for, no purchase order ID twice', async () => {
		await sandbox.faults({ rules: [{ kind: '5xx-after', method: 'POST', every: 4 }] });
		const result = await run(createFromRow({ maxConcurrent: 5 }), { items: rows(40), continueOnFail: true });

		expect(result.output).toHaveLength(40);
		const failed = [];
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			if (item.json.error) {
				expect(item.json.outcomeUnknown).toBe(true);
				expect(item.json.error).toContain(`purchase order ID "PO-${i}"`);
				failed.push(`PO-${i}`);
			} else {
				expect(item.json.purchase_order_id).toBe(`PO-${i}`);
			}
		});
		expect(failed).toHaveLength(10);

		const posts = await log('POST');
		expect(posts).toHaveLength(40);
		expect(posts.filter((entry) => entry.status === 500).map((entry) => entry.body.purchase_order_id).sort()).toEqual(failed.sort());
		const counts = await purchaseOrderCounts();
		expect(counts.size).toBe(40); // the failed ones were created before the 500
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
	});
});

describe('a Base URL that redirects (an http:// address HelloTech sends on to https://)', () => {
	test.each([301, 302, 303])(
		'a create answered %i is not followed as a GET that lists orders: the item fails, naming the address to use, and nothing is created',
		async (status) => {
			const target = process.env.HELLOTECH_SANDBOX_URL;
			const redirecting = await redirector(target, status);
			try {
				const result = await runHelloTech(createFromRow(), {
					credentials: credentials({ baseUrl: redirecting.url }),
					items: [row(4)],
					continueOnFail: true,
				});
				const [item] = result.output;
				expect(item.pairedItem).toEqual({ item: 0 });
				expect(item.json.error).toBe(
					`HelloTech redirected POST /api/partners/orders to ${target}/api/partners/orders (HTTP ${status}), so it was not sent: set the HelloTech API credential's Base URL to ${target} [item 0]`,
				);
				expect(await log()).toEqual([]);
				expect((await sandbox.state()).orders).toEqual([]);
			} finally {
				await redirecting.close();
			}
		},
	);

	test('a read still follows the redirect', async () => {
		const [id] = (await sandbox.seedOrders({ count: 1 })).ids;
		const redirecting = await redirector(process.env.HELLOTECH_SANDBOX_URL, 301);
		try {
			const result = await runHelloTech({ resource: 'order', operation: 'get', orderId: String(id) }, { credentials: credentials({ baseUrl: redirecting.url }) });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json.id)).toEqual([id]);
		} finally {
			await redirecting.close();
		}
	});
});

describe('a write is retried when the server surely did not act', () => {
	test.each([
		['with Retry-After', { retryAfter: 1 }],
		['without Retry-After', {}],
	])('a create refused with 429 %s is sent again and created once', async (_, extra) => {
		await sandbox.faults({ rules: [{ kind: '429', method: 'POST', times: 1, ...extra }] });
		const { value: result } = await onTestClock(() => run(createFromRow(), { items: [row(1)], continueOnFail: true }));
		expect(result.output[0].json.error).toBeUndefined();
		expect(result.output[0].json.purchase_order_id).toBe('PO-1');
		expect((await log('POST')).map((entry) => entry.status)).toEqual([429, 200]);
		expect((await purchaseOrderCounts()).get('PO-1')).toBe(1);
	});

	test('a refused connection is retried, then a clear error that does not claim the order may exist', async () => {
		const port = await closedPort();
		const { value: result } = await onTestClock(() =>
			runHelloTech(createFromRow(), {
				credentials: credentials({ baseUrl: `http://127.0.0.1:${port}` }),
				items: [row(2)],
				continueOnFail: true,
			}),
		);
		const [item] = result.output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.error).toBe('Could not reach HelloTech: HelloTech refused the connection (gave up after 5 attempts) [item 0]');
		expect(item.json.description).toContain('ECONNREFUSED');
		expect(item.json.outcomeUnknown).toBeUndefined();
	});
});

describe('reads are retried on transient failures', () => {
	test.each([['5xx-before'], ['5xx-after'], ['reset'], ['malformed'], ['hang']])('Get after %s: retried, and the order comes back', async (kind) => {
		const [id] = (await sandbox.seedOrders({ count: 1 })).ids;
		await sandbox.faults({ rules: [{ kind, method: 'GET', times: 1 }] });
		const result = await run({ resource: 'order', operation: 'get', orderId: String(id), requestOptions: { timeout: 1500 } });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.id)).toEqual([id]);
		expect(await log('GET')).toHaveLength(2);
	});

	test('a GET that keeps failing gives up after 5 attempts with a clear error', async () => {
		const [id] = (await sandbox.seedOrders({ count: 1 })).ids;
		await sandbox.faults({ rules: [{ kind: '5xx-before', method: 'GET' }] });
		const { value: result } = await onTestClock(() => run({ resource: 'order', operation: 'get', orderId: String(id) }));
		expect(result.error.message).toBe(
			'HelloTech failed to process the request (HTTP 503): Service temporarily unavailable (gave up after 5 attempts) [item 0]',
		);
		expect(await log('GET')).toHaveLength(5);
	});

	test('Get Many across pages survives 429s, resets and a garbled page with no page lost or repeated', async () => {
		await sandbox.seedOrders({ count: 430 }); // five pages of 100
		const expected = (await sandbox.state()).orders.map((order) => order.id).sort((a, b) => b - a);
		const onList = { method: 'GET', pathPattern: `^${ORDERS}$`, times: 1 };
		// Rules count only the requests that reach them (a rule that fires stops the others), so
		// these strike, in turn: page 2, page 3, page 4, page 5 twice.
		await sandbox.faults({
			rules: [
				{ ...onList, kind: 'reset', after: 1 },
				{ ...onList, kind: 'malformed', after: 2 },
				{ ...onList, kind: '429', retryAfter: 0, after: 3 },
				{ ...onList, kind: '429', retryAfter: 0, after: 4 },
				{ ...onList, kind: 'reset', after: 4 },
			],
		});
		const { value: result } = await onTestClock(() => run({ resource: 'order', operation: 'getAll', returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.id)).toEqual(expected);

		const gets = await log('GET');
		// -1: the connection was reset; the 200 after page 3's first request is the garbled one. The
		// last request is the empty page after page 5 (30 orders, short, but no proof of the end).
		expect(gets.map((entry) => entry.status)).toEqual([200, -1, 200, 200, 200, 429, 200, 429, -1, 200, 200]);
		// Each retry asked for the same page again: every page asked for by the cursor it needed.
		const cursors = gets.map((entry) => entry.query.cursor ?? 'first');
		expect(cursors).toEqual([
			'first',
			String(expected[99]),
			String(expected[99]),
			String(expected[199]),
			String(expected[199]),
			String(expected[299]),
			String(expected[299]),
			String(expected[399]),
			String(expected[399]),
			String(expected[399]),
			String(expected[429]),
		]);
	});
});

describe('rate limits: Retry-After is honoured up to Max Rate Limit Wait, and every 429 message is exact', () => {
	/** Reads an order on the test's clock: its id, the run's result, and how far the clock moved meanwhile. */
	const getOrder = async (requestOptions) => {
		const [id] = (await sandbox.seedOrders({ count: 1 })).ids;
		const { value: result, clockMs } = await onTestClock(() =>
			run({ resource: 'order', operation: 'get', orderId: String(id), ...(requestOptions ? { requestOptions } : {}) }),
		);
		return { id, result, clockMs };
	};
	const on = (extra) => ({ kind: '429', method: 'GET', pathPattern: '^/api/partners/orders/\\d+$', ...extra });

	// A wait longer than a minute, as HelloTech may ask for.
	test('one 429 asking for 61 s is waited out under the default bound, and the read succeeds', async () => {
		await sandbox.faults({ rules: [on({ retryAfter: 61, times: 1 })] });
		const { id, result, clockMs } = await getOrder();
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.id)).toEqual([id]);
		expect((await log('GET')).map((entry) => entry.status)).toEqual([429, 200]);
		// The read was sent again only after the 61 s HelloTech asked for.
		expect(clockMs).toBeGreaterThanOrEqual(61_000);
	});

	test('a Retry-After longer than the default 5 minutes fails at once, saying what HelloTech asked for', async () => {
		await sandbox.faults({ rules: [on({ retryAfter: 400, times: 1 })] });
		const { result, clockMs } = await getOrder();
		expect(result.error.message).toBe(
			'HelloTech is rate limiting this API key and asked to wait 400 s, more than Max Rate Limit Wait allows (300 s per request) [item 0]',
		);
		expect(result.error.httpCode).toBe('429');
		expect(await log('GET')).toHaveLength(1);
		expect(clockMs).toBe(0);
	});

	test('Max Rate Limit Wait bounds the total: a second wait that would pass it fails, counting the wait made', async () => {
		await sandbox.faults({ rules: [on({ retryAfter: 2, times: 2 })] });
		const { result, clockMs } = await getOrder({ maxRateLimitWait: 3 });
		expect(result.error.message).toBe(
			'HelloTech is rate limiting this API key and asked to wait 2 s more after 1 wait (2 s), more than Max Rate Limit Wait allows (3 s per request) [item 0]',
		);
		expect((await log('GET')).map((entry) => entry.status)).toEqual([429, 429]);
		// The first wait was made; the second, which would pass the bound, was not.
		expect(clockMs).toBeGreaterThanOrEqual(2000);
		expect(clockMs).toBeLessThan(3000);
	});

	test('after 10 waits the request gives up, and says 10', async () => {
		await sandbox.faults({ rules: [on({ retryAfter: 0 })] });
		const { result, clockMs } = await getOrder();
		expect(result.error.message).toBe(
			'HelloTech is still rate limiting this API key after 10 waits (0.5 s); it asks to wait 0 s more [item 0]',
		);
		expect(await log('GET')).toHaveLength(11);
		expect(clockMs).toBeGreaterThanOrEqual(500); // ten waits of at least 50 ms
	});

	test('429s without Retry-After: the message does not name a wait HelloTech never asked for', async () => {
		await sandbox.faults({ rules: [on({})] });
		const { result } = await getOrder({ maxRateLimitWait: 2 });
		expect(result.error.message).toMatch(
			/^HelloTech is still rate limiting this API key after \d waits? \([\d.]+ s\) without saying how long to wait, and Max Rate Limit Wait allows 2 s per request \[item 0\]$/,
		);
		expect(result.error.message).not.toContain('asked');
	});

	test('Max Rate Limit Wait 0: a 429 fails at once', async () => {
		await sandbox.faults({ rules: [on({ retryAfter: 1, times: 1 })] });
		const { result, clockMs } = await getOrder({ maxRateLimitWait: 0 });
		expect(result.error.message).toBe(
			'HelloTech is rate limiting this API key and asked to wait 1 s, more than Max Rate Limit Wait allows (0 s per request) [item 0]',
		);
		expect(clockMs).toBe(0);
	});
});

describe('bounded failure', () => {
	test("a read's retries stop at twice the Timeout in total: a hung HelloTech costs two attempts, not five", async () => {
		const [id] = (await sandbox.seedOrders({ count: 1 })).ids;
		await sandbox.faults({ rules: [{ kind: 'hang', method: 'GET' }] });
		const result = await run({ resource: 'order', operation: 'get', orderId: String(id), requestOptions: { timeout: 1000 } });
		expect(result.error.message).toBe('Could not reach HelloTech: HelloTech did not answer within 1 s (gave up after 2 attempts in 2 s) [item 0]');
		expect(await log('GET')).toHaveLength(2);
	});

	test('after the first failure without Continue On Fail, the pages another item was reading are not asked for', async () => {
		await sandbox.seedOrders({ count: 300 });
		await sandbox.faults({ latencyMs: 30 });
		const result = await run(
			{ resource: 'order', operation: 'getAll', returnAll: true, filters: { clientId: '={{ $json.client }}' } },
			{ items: [{ client: '' }, { client: 'x1' }] },
		);
		expect(result.error.message).toBe('Client ID: must be a positive whole number, got "x1" [item 1]');
		// Item 0 had at most its first page in flight when item 1 failed; no page after it was asked for.
		expect((await log('GET')).length).toBeLessThanOrEqual(1);
	});

	test('after the first failure without Continue On Fail, a 429 of another item is not retried', async () => {
		const a = await sandbox.addClient({ email: 'a@example.com' });
		// a's read is refused with 429 (after 300 ms); b's read fails at once (no such client). On the
		// test clock a's Retry-After cannot end while b's read is on its way, so b's failure comes
		// first however busy the machine is: before a's 429, or while a waits it out.
		await sandbox.faults({ rules: [{ kind: '429', retryAfter: 1, ms: 300, method: 'GET', pathPattern: `/clients/${a.id}$`, times: 1 }] });
		const { value: result } = await onTestClock(() =>
			run(
				{ resource: 'client', operation: 'get', clientId: '={{ $json.id }}', requestOptions: { maxConcurrent: 2 } },
				{ items: [{ id: a.id }, { id: 9999 }] },
			),
		);
		expect(result.error.message).toBe('Client 9999 not found: HelloTech says "Record Not Found" [item 1]');
		expect((await log('GET')).filter((entry) => entry.path === `/api/partners/clients/${a.id}`)).toHaveLength(1);
	});
});
