'use strict';
/**
 * The crash scenario of `npm run test:n8n:queue` (issue #18): a worker killed with SIGKILL in the
 * middle of a 200-row sheet, then the same sheet run again, as a user does once n8n shows the
 * execution failed with no output. Order → Create (version 2, Skip Orders Already Booked on by
 * default) must book every purchase order exactly once over the two runs, and the second run's
 * items must say which rows the first had booked.
 *
 * The test script imports `crashWorkflow` with its other workflows (before the main starts, so it
 * is active) and calls `killMidRunThenRerun` once the cluster runs.
 */
const { sheetRow } = require('../../test/fixtures');

const CRASH_ID = 'HtQueueCrash0001';
const CRASH_PATH = 'hellotech-queue-crash';
const ROWS = 200;
/** The sandbox answers slowly enough that the run lasts some seconds: the kill lands in its middle. */
const LATENCY_MS = 150;
const MAX_CONCURRENT = 5;
/** Kill once this many of the rows are booked (and fewer than all). */
const KILL_AFTER = 50;

const row = (i) => sheetRow({ last_name: `Crash ${i}`, email: `crash.${i}@example.com`, purchase_order_id: `K-${i}` });
const purchaseOrderIds = Array.from({ length: ROWS }, (_, i) => `K-${i}`);

/** Webhook (answers at once: the main only queues) → one item per row → Order → Create v2, Map Automatically. */
function crashWorkflow(packageName, credentials) {
	const id = (n) => `c4a5c0de-0000-4000-8000-00000000000${n}`;
	return {
		id: CRASH_ID,
		name: 'HelloTech sheet run again after a crash (queue test)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: id(1),
				name: 'Sheet',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: id(9),
				parameters: { httpMethod: 'POST', path: CRASH_PATH, responseMode: 'onReceived', options: {} },
			},
			{ id: id(2), name: 'Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.rows', options: {} } },
			{
				id: id(3),
				name: 'Create order',
				type: `${packageName}.helloTech`,
				typeVersion: 2,
				position: [440, 0],
				// As the editor adds it: Map Automatically, Skip Orders Already Booked on by default.
				parameters: {
					resource: 'order',
					operation: 'create',
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
					requestOptions: { maxConcurrent: MAX_CONCURRENT },
				},
				credentials,
			},
		],
		connections: {
			Sheet: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Create order', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Fires the sheet, SIGKILLs the worker running it once some rows are booked, fires the same sheet
 * again, and checks: each purchase order booked exactly once; the re-run succeeded with one item
 * per row, the rows the first run booked as alreadyBooked with their orders.
 *
 * `cluster`: { mainProcess, workers, postgres, sandbox, readRunData } of the test script;
 * `report`: its { check, log, until, fatal }.
 */
async function killMidRunThenRerun(cluster, { check, log, until, fatal }) {
	const { mainProcess, workers, postgres, sandbox, readRunData } = cluster;
	await sandbox.control.faults({ rateLimit: null, latencyMs: LATENCY_MS });
	const fire = async () => {
		const response = await fetch(`${mainProcess.baseUrl}/webhook/${CRASH_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ rows: Array.from({ length: ROWS }, (_, i) => row(i)) }),
		});
		return response.status;
	};
	const executions = () => postgres.psql(`SELECT id, status FROM execution_entity WHERE "workflowId" = '${CRASH_ID}' ORDER BY id`);
	const booked = async () => (await sandbox.control.state()).orders.filter((order) => /^K-\d+$/.test(order.purchase_order_id ?? ''));

	check(`the main took the ${ROWS}-row sheet (HTTP ${await fire()})`, true);
	const [first] = await until('the sheet running on a worker', () => executions()[0], { timeoutMs: 60_000, everyMs: 300 });
	const runner = await until(
		`a worker starting execution ${first[0]}`,
		() => workers.find((worker) => new RegExp(`Worker started execution ${first[0]}\\b`).test(worker.output())),
		{ timeoutMs: 60_000, everyMs: 300 },
	);
	await until(`${KILL_AFTER} of its rows booked`, async () => (await booked()).length >= KILL_AFTER, { timeoutMs: 120_000, everyMs: 100 });
	runner.child.kill('SIGKILL');
	const atKill = (await booked()).length;
	log(`  worker ${runner.index} (pid ${runner.pid}) killed with SIGKILL with ${atKill} of ${ROWS} rows booked`);
	if (atKill >= ROWS) fatal('the run had booked every row before the kill: nothing left to prove');
	await until(`worker ${runner.index} gone`, () => runner.exited(), { timeoutMs: 10_000, everyMs: 100 });
	// Creates already on their way when the worker died may still land: wait until the count holds.
	let settled = -1;
	await until('the creates in flight at the kill to land', async () => {
		const count = (await booked()).length;
		const still = count === settled;
		settled = count;
		return still;
	}, { timeoutMs: 20_000, everyMs: 1000 });
	const beforeRerun = new Map((await booked()).map((order) => [order.purchase_order_id, order.id]));
	check(`the killed run left part of the sheet booked (${beforeRerun.size} of ${ROWS}), and its execution is not a success (${executions()[0][1]})`, beforeRerun.size > 0 && beforeRerun.size < ROWS && executions()[0][1] !== 'success');

	check(`the same sheet sent again (HTTP ${await fire()})`, true);
	const rerun = await until('the re-run finishing on the other worker', () => {
		const second = executions()[1];
		return second && !['new', 'running', 'waiting'].includes(second[1]) ? second : undefined;
	}, { timeoutMs: 180_000, everyMs: 1000, detail: () => JSON.stringify(executions()) });
	check(`the re-run succeeded (execution ${rerun[0]}: ${rerun[1]})`, rerun[1] === 'success');

	const orders = await booked();
	const counts = new Map();
	for (const order of orders) counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1);
	const missing = purchaseOrderIds.filter((po) => !counts.has(po));
	const twice = [...counts].filter(([, count]) => count > 1);
	check(
		`after the kill and the re-run, every purchase order of the sheet is booked exactly once (${counts.size} of ${ROWS}, ${orders.length} orders)`,
		missing.length === 0 && twice.length === 0 && orders.length === ROWS,
		`missing: ${missing.join(', ')}; more than once: ${twice.map(([po, count]) => `${po} ×${count}`).join(', ')}`,
	);

	const [[data]] = postgres.psql(`SELECT data FROM execution_data WHERE "executionId" = ${Number(rerun[0])}`);
	const items = readRunData(data)?.resultData?.runData?.['Create order']?.[0]?.data?.main?.[0] ?? [];
	const wrong = items.filter((item, index) => {
		const { json } = item;
		const paired = item.pairedItem?.item ?? item.pairedItem?.[0]?.item;
		const before = beforeRerun.get(json.purchase_order_id);
		return paired !== index || json.purchase_order_id !== `K-${index}` || json.alreadyBooked !== (before !== undefined) || (before !== undefined && json.id !== before);
	});
	check(
		`the re-run put out one item per row, paired: the ${beforeRerun.size} rows booked before as alreadyBooked with their orders, the other ${ROWS - beforeRerun.size} booked now`,
		items.length === ROWS && wrong.length === 0,
		`${items.length} items; wrong: ${JSON.stringify(wrong.slice(0, 3).map((item) => item.json))}`,
	);
}

module.exports = { crashWorkflow, killMidRunThenRerun, CRASH_ID };
