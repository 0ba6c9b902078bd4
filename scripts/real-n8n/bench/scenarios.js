'use strict';
/**
 * The scenarios of `npm run bench:n8n` (issue #9): what the sandbox does in each, the sides
 * measured side by side, and the targets. A side is a workflow in the real n8n (`workflow`) or
 * the plain loop (`loop`).
 */
const wf = require('./workflows');

const LATENCY_MS = 20;
const LIMIT_PER_S = 100;
const LOOP_CONCURRENCY = 5;
/** The HTTP Request node's batching for a 100 requests/s API, as its Options → Batching reads: 100 items, then 1 s. */
const HTTP_BATCH = { size: 100, intervalMs: 1000 };
/** S1 also runs Map Automatically with another Max Concurrent Requests beside the default: 20 when the default is lower, else 10 (what the default buys). */
const otherConcurrency = (byDefault) => (byDefault < 20 ? 20 : 10);

/**
 * @param size { creates, listed }
 * @param node what the built package offers: { mapper (v2 Create has the column mapper), schema (its
 *   fields, as the editor saves them with a mapping), maxConcurrent }
 */
function scenarios(size, node) {
	const N = size.creates;
	const rateLimit = { limit: LIMIT_PER_S, windowMs: 1000 };
	const bound = (N / LIMIT_PER_S) * 1000;
	// Before the column mapper (branch issue-9) is merged, the node side maps every field with an
	// expression in version 1; the auto-mapped side is left out.
	const autoMapped = () => wf.helloTechAutoMapped(node.schema);
	const mappedByExpression = () => wf.helloTechMappedByExpression(node.schema);
	const createNode = node.mapper ? autoMapped : wf.helloTechV1Expressions;
	const createNodeLabel = node.mapper ? 'HelloTech v2, Map Automatically' : 'HelloTech v1, a field per expression';
	const nodeFloor = (N * LATENCY_MS) / node.maxConcurrent;
	const other = otherConcurrency(node.maxConcurrent);
	const loopFloor = (N * LATENCY_MS) / LOOP_CONCURRENCY;

	const nodeSide = (key, label, make, settings = wf.CONTINUE, extra = {}) => ({
		key,
		label,
		kind: 'n8n',
		floorMs: extra.floorMs,
		build: (context, path) =>
			wf.workflow({ name: `bench ${key}`, path, rows: true, measured: [wf.helloTechNode('Create order', make(), context, settings)] }),
		...extra,
	});
	const httpSide = (key, label, short, options, extra = {}) => ({
		key,
		label,
		short,
		kind: 'n8n',
		build: (context, path) => wf.workflow({ name: `bench ${key}`, path, rows: true, measured: [wf.httpCreate('HTTP Request', context, options)] }),
		...extra,
	});
	const loopSide = (floorMs) => ({ key: 'loop', label: `plain loop, ${LOOP_CONCURRENCY} in flight`, kind: 'loop', floorMs, job: { kind: 'creates', concurrency: LOOP_CONCURRENCY } });

	const list = [
		{
			key: 'S1',
			title: `${N} creates, ${LATENCY_MS} ms latency, no rate limit`,
			creates: N,
			sandbox: { latencyMs: LATENCY_MS },
			floorNote: `floor: ${N} × ${LATENCY_MS} ms / requests in flight (HelloTech: its Max Concurrent Requests, ${node.maxConcurrent} by default; loop: ${LOOP_CONCURRENCY}); the HTTP Request node sends each request as soon as it is built, with no bound`,
			reference: ['http-fields', 'http-json'],
			sides: [
				...(node.mapper ? [nodeSide('node-auto', 'HelloTech v2, Map Automatically', autoMapped, wf.CONTINUE, { floorMs: nodeFloor })] : []),
				...(node.mapper
					? [
							nodeSide(
								`node-auto-${other}`,
								`HelloTech v2, Map Automatically, Max Concurrent Requests ${other}`,
								() => wf.helloTechAutoMapped(node.schema, { maxConcurrent: other }),
								wf.CONTINUE,
								{ floorMs: (N * LATENCY_MS) / other },
							),
						]
					: []),
				node.mapper
					? nodeSide('node-expr', 'HelloTech v2, Map Each Field Below, {{ $json.field }} each', mappedByExpression, wf.CONTINUE, { floorMs: nodeFloor })
					: nodeSide('node-expr', 'HelloTech v1, a field per expression', wf.helloTechV1Expressions, wf.CONTINUE, { floorMs: nodeFloor }),
				...(node.mapper
					? [
							nodeSide(
								'node-expr-work',
								'HelloTech v2, Map Each Field Below, {{ $json.field.trim() }} and such',
								() => wf.helloTechMappedByCleaningExpressions(node.schema),
								wf.CONTINUE,
								{ floorMs: nodeFloor },
							),
						]
					: []),
				httpSide('http-fields', 'HTTP Request 4.5, body Using Fields Below', 'fields', { body: wf.httpBodyFields(), settings: wf.CONTINUE }),
				httpSide('http-json', 'HTTP Request 4.5, body Using JSON', 'JSON', { body: wf.httpBodyJson(), settings: wf.CONTINUE }),
				loopSide(loopFloor),
			],
			targets: [
				node.mapper ? { side: 'node-auto', vsReference: 0.8, label: 'auto-mapped ≤ 0.80× the HTTP Request node' } : undefined,
				{ side: 'node-expr', vsReference: 1.0, label: 'every field an expression ≤ 1.00× the HTTP Request node' },
				{ side: node.mapper ? 'node-auto' : 'node-expr', maxInFlight: node.maxConcurrent, label: `in flight never above the option (${node.maxConcurrent})` },
				node.mapper
					? { side: `node-auto-${other}`, maxInFlight: other, label: `in flight never above the option (${other})` }
					: undefined,
			].filter(Boolean),
		},
		{
			key: 'S2',
			title: `${N} creates, ${LIMIT_PER_S} requests/s limit (1 s fixed windows, 429 with Retry-After), ${LATENCY_MS} ms latency`,
			creates: N,
			sandbox: { latencyMs: LATENCY_MS, rateLimit },
			floorNote: `bound: ${N} / ${LIMIT_PER_S} per s = ${(bound / 1000).toFixed(1)} s`,
			reference: ['http-batched'],
			sides: [
				nodeSide('node', createNodeLabel, createNode, wf.CONTINUE, { floorMs: bound }),
				httpSide('http-default', 'HTTP Request 4.5, as added (no batching)', 'as added', { body: wf.httpBodyFields(), settings: wf.CONTINUE }, { floorMs: bound }),
				httpSide('http-batched', `HTTP Request 4.5, Batching ${HTTP_BATCH.size} items / ${HTTP_BATCH.intervalMs} ms`, 'batched', { body: wf.httpBodyFields(), batching: HTTP_BATCH, settings: wf.CONTINUE }, { floorMs: bound }),
				loopSide(bound),
			],
			targets: [{ side: 'node', vsFloor: 1.1, noFailures: true, label: '≤ 1.10× the bound with 0 failed items' }],
		},
		{
			key: 'S2c',
			title: `${N} creates at ${LIMIT_PER_S} requests/s, every 20th create stored but answered 500, ${LATENCY_MS} ms latency`,
			creates: N,
			sandbox: { latencyMs: LATENCY_MS, rateLimit, rules: [{ kind: '5xx-after', method: 'POST', pathPattern: '^/api/partners/orders$', every: 20 }] },
			floorNote: `bound: ${(bound / 1000).toFixed(1)} s; a 500 after the order is stored: "failed" items are orders that exist but were not confirmed`,
			reference: ['http-retry'],
			sides: [
				nodeSide('node', `${createNodeLabel}, On Error → Continue`, createNode, wf.CONTINUE, { floorMs: bound }),
				httpSide(
					'http-retry',
					`HTTP Request 4.5, Batching ${HTTP_BATCH.size} / ${HTTP_BATCH.intervalMs} ms, Retry On Fail (3 tries, 1 s)`,
					'retry',
					{ body: wf.httpBodyFields(), batching: HTTP_BATCH, settings: wf.RETRY },
					{ floorMs: bound },
				),
				loopSide(bound),
			],
			targets: [{ side: 'node', noDuplicates: true, accounted: true, label: '0 duplicate orders, every item accounted for' }],
		},
		{
			key: 'S3',
			title: `Return All over ${size.listed} orders (pages of 100, no latency)`,
			listed: size.listed,
			sandbox: { latencyMs: 0, seed: size.listed },
			floorNote: 'one item per order on every side',
			reference: ['http-paginate'],
			sides: [
				{
					key: 'node',
					label: `HelloTech v${node.mapper ? 2 : 1}, Order → Get Many, Return All`,
					kind: 'n8n',
					build: (context, path) =>
						wf.workflow({ name: 'bench list node', path, measured: [wf.helloTechNode('Get orders', wf.helloTechGetAll(node.mapper ? 2 : 1), context)] }),
				},
				{
					key: 'http-paginate',
					label: 'HTTP Request 4.5 with Pagination + Split Out',
					short: 'paging',
					kind: 'n8n',
					build: (context, path) => wf.workflow({ name: 'bench list http', path, measured: wf.httpListAll(context) }),
				},
				{ key: 'loop', label: 'plain loop, page after page', kind: 'loop', job: { kind: 'list', pageSize: 100 } },
			],
			targets: [{ side: 'node', vsReference: 1.0, allListed: true, label: '≤ 1.00× the HTTP Request node, one item per order' }],
		},
		...(node.mapper ? [skipCost(size, node)] : []),
	];
	return list;
}

/** How long ago S4's sheet was booked the first time, and its history's span. */
const HOUR_MS = 3_600_000;
const YEAR_MS = 365 * 24 * HOUR_MS;

/**
 * S4 (issue #18): what Skip Orders Already Booked costs. A sheet of N rows run again: half of them
 * (every other row) were booked by a run an hour ago, among `size.listed` orders over the last
 * year (a partner's history, about 55 a day at 20,000). Beside it, the plain create of the N/2
 * new rows (the skip off), and the same sheet with Look Back 365 days (the whole history read).
 */
function skipCost(size, node) {
	const N = size.creates;
	const side = (key, label, requestOptions, extra = {}) => ({
		key,
		label,
		kind: 'n8n',
		build: (context, path) =>
			wf.workflow({
				name: `bench ${key}`,
				path,
				rows: true,
				measured: [wf.helloTechNode('Create order', wf.helloTechAutoMapped(node.schema, requestOptions), context, wf.CONTINUE)],
			}),
		...extra,
	});
	return {
		key: 'S4',
		title: `${N} rows, ${N / 2} of them booked an hour ago among ${size.listed} orders of the last year; Skip Orders Already Booked (default: on, Look Back 30 days), ${LATENCY_MS} ms latency`,
		creates: N,
		existing: size.listed,
		sandbox: { latencyMs: LATENCY_MS },
		/** The history, then the first booking of every other row of this run's sheet, an hour ago. */
		async seed(control, { rows, existing }) {
			const history = existing - rows.length / 2;
			if (history > 0) await control.seedOrders({ count: history, spacingMs: Math.floor(YEAR_MS / history) });
			const bookedAt = Date.now() - HOUR_MS;
			await control.seedOrders(
				rows
					.filter((_, i) => i % 2 === 0)
					.map((row, i) => ({
						createdAtMs: bookedAt + i * 1000,
						purchase_order_id: row.purchase_order_id,
						client_name: `${row.first_name} ${row.last_name}`,
						email: row.email,
						phone: row.phone,
						address: row.address,
						sku_id: [Number(row.sku_id)],
					})),
			);
		},
		floorNote: `the plain side creates the ${N / 2} rows not booked before, with the skip off; "× plain" is each side's time over it, round by round`,
		reference: ['node-plain'],
		versus: { short: 'plain', name: `the plain create of the ${N / 2} new rows` },
		sides: [
			side('node-skip', `HelloTech v2, the ${N} rows, Skip Orders Already Booked (default)`, {}),
			side('node-plain', `HelloTech v2, the ${N / 2} new rows only, Skip Orders Already Booked off`, { skipBooked: false }, { short: 'plain', rows: (rows) => rows.filter((_, i) => i % 2 === 1) }),
			side('node-skip-365', `HelloTech v2, the ${N} rows, Look Back 365 days (the whole history read)`, { lookBackDays: 365 }),
		],
		targets: [{ side: 'node-skip', vsReference: 1.5, noDuplicates: true, accounted: true, label: `≤ 1.50× the plain create of the ${N / 2} new rows, 0 duplicates, every row accounted for` }],
	};
}

module.exports = { scenarios, LATENCY_MS, LIMIT_PER_S, LOOP_CONCURRENCY, HTTP_BATCH };
