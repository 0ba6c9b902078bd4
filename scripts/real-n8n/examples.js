'use strict';
/**
 * The example workflows in examples/, as `npm run test:n8n` runs them in a real n8n: how each
 * is prepared for a headless run (a Manual Trigger for its schedule, file paths in a temporary
 * folder, the test credential), what the sandbox holds first, and what must be true afterwards.
 * Expectations come from the sample CSV and the sandbox's own state, never from the workflow's
 * output.
 */
const fs = require('fs');
const path = require('path');

const { parseCsv } = require('./csv');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const DAY_MS = 86_400_000;

const nodeNamed = (workflow, name) => {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`${workflow.name}: no node named "${name}" (the test reads it; was it renamed?)`);
	return node;
};

/** Sets the value of a field of an Edit Fields (Set) node. */
const setField = (workflow, nodeName, field, value) => {
	const assignment = nodeNamed(workflow, nodeName).parameters.assignments.assignments.find((entry) => entry.name === field);
	if (!assignment) throw new Error(`${workflow.name}: node "${nodeName}" has no field "${field}"`);
	assignment.value = value;
};

const fieldOf = (workflow, nodeName, field) =>
	nodeNamed(workflow, nodeName).parameters.assignments.assignments.find((entry) => entry.name === field)?.value;

/** The items a node put out in its first run (main output 0). */
const outputOf = (execution, nodeName) => execution.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];

const digits = (text) => String(text ?? '').replace(/\D/g, '');
const splitList = (text) =>
	String(text ?? '')
		.split(/[,;]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
const sameList = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const show = (value) => JSON.stringify(value);

// ------------------------------------------------------------------------------------------------

/** The rows of examples/orders.csv that must fail, and how the results CSV must say so (the field and its column). */
const BAD_ROWS = {
	'PO-1003': { why: 'an email without a domain ending', error: /^Email \(column "Email"\): "maria\.lopez@example" is not an email address \[item 2\]$/ },
	// n8n's Extract from File leaves an empty cell out of the item: no Phone column at all in this row.
	'PO-1005': { why: 'no phone', error: /^Phone( \(column "Phone"\))?: is required \[item 4\]$/ },
	'PO-1006': { why: 'a SKU name where an ID belongs', error: /^SKU IDs \(column "SKU IDs"\): "TV mount" is not a positive whole number ID \[item 5\]$/ },
	'PO-1008': { why: "HelloTech's 422 for SKU 99999", error: /Sku 99999 does not exist/ },
	'PO-1011': { why: 'a time window of 90 minutes', error: /^Time Windows \(column "Time Windows"\): window 1: the end must be exactly one hour after the start/ },
};

/** The sample's columns, as a spreadsheet heads them (Create order maps them automatically). */
const COLUMN = {
	po: 'Purchase Order ID',
	first: 'First Name',
	last: 'Last Name',
	email: 'Email',
	phone: 'Phone',
	address: 'Address',
	skus: 'SKU IDs',
	windows: 'Time Windows',
	devices: 'Devices',
	notes: 'Notes',
};

/**
 * The windows a row of the sample holds, in UTC (test:n8n runs n8n in UTC): the two ways the
 * sample writes them, `2026-12-01 09:00-10:00` and `12/05/2026 1:00 PM - 2:00 PM`.
 */
function sampleWindows(text) {
	const hour = (h, meridiem) => (meridiem ? (Number(h) % 12) + (meridiem === 'PM' ? 12 : 0) : Number(h));
	return splitList(text).map((window) => {
		let match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(window);
		let day;
		let from;
		let to;
		if (match) {
			day = `${match[1]}-${match[2]}-${match[3]}`;
			from = hour(match[4]);
			to = hour(match[6]);
		} else if ((match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{1,2}):00 (AM|PM) - (\d{1,2}):00 (AM|PM)$/.exec(window))) {
			day = `${match[3]}-${match[1]}-${match[2]}`;
			from = hour(match[4], match[5]);
			to = hour(match[6], match[7]);
		} else {
			throw new Error(`examples/orders.csv: a time window this test cannot read: ${window}`);
		}
		const at = (h) => `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;
		return { start_time: at(from), end_time: at(to) };
	});
}

const spreadsheetToOrders = {
	file: 'spreadsheet-to-orders.json',
	id: 'HtExampleSheet01',
	helloTechNodes: ['Create order'],

	prepare(workflow, { filesDir }) {
		fs.copyFileSync(path.join(EXAMPLES, 'orders.csv'), path.join(filesDir, 'orders.csv'));
		this.resultsFile = path.join(filesDir, 'orders-results.csv');
		fs.rmSync(this.resultsFile, { force: true });
		setField(workflow, 'Settings', 'input_file', path.join(filesDir, 'orders.csv'));
		setField(workflow, 'Settings', 'results_file', this.resultsFile);
	},

	async seed(sandbox) {
		await sandbox.reset();
	},

	async verify({ execution, sandbox, check }) {
		const rows = parseCsv(fs.readFileSync(path.join(EXAMPLES, 'orders.csv'), 'utf8'));
		const state = await sandbox.state();
		const good = rows.filter((row) => !BAD_ROWS[row[COLUMN.po]]);
		check('the sample CSV has good rows and every kind of bad row', good.length >= 4 && Object.keys(BAD_ROWS).every((po) => rows.some((row) => row[COLUMN.po] === po)));
		check(
			'the good rows hold 0, 1 and several time windows',
			[0, 1, 3].every((count) => good.some((row) => splitList(row[COLUMN.windows]).length === count)),
		);

		const created = outputOf(execution, 'Create order');
		check(
			`Create order put out one item per row (${rows.length}), each paired to its row`,
			created.length === rows.length && created.every((item, index) => item.pairedItem?.item === index || item.pairedItem?.[0]?.item === index),
			`got ${created.length} items, pairing ${show(created.map((item) => item.pairedItem))}`,
		);

		const results = fs.existsSync(this.resultsFile) ? parseCsv(fs.readFileSync(this.resultsFile, 'utf8')) : undefined;
		check('the workflow wrote the results CSV', results !== undefined, this.resultsFile);
		if (!results) return;
		check(`the results CSV has one row per input row (${rows.length}), in order`, results.length === rows.length && results.every((result, index) => result.purchase_order_id === rows[index][COLUMN.po]), `got ${show(results.map((result) => result.purchase_order_id))}`);

		rows.forEach((row, index) => {
			const po = row[COLUMN.po];
			const result = results[index] ?? {};
			const orders = state.orders.filter((order) => order.purchase_order_id === po);
			const bad = BAD_ROWS[po];
			if (bad) {
				check(
					`${po} (${bad.why}): reported as failed, with its error`,
					result.result === 'failed' && result.order_id === '' && bad.error.test(result.error),
					`results row: ${show(result)}`,
				);
				check(`${po}: no order created`, orders.length === 0, `found orders ${show(orders.map((order) => order.id))}`);
				return;
			}
			check(`${po}: exactly one order in HelloTech`, orders.length === 1, `found ${orders.length}`);
			const [order] = orders;
			if (!order) return;
			check(
				`${po}: the results CSV carries its order ID (${order.id})`,
				result.result === 'created' && result.order_id === String(order.id) && result.error === '',
				`results row: ${show(result)}`,
			);
			const expected = {
				client_name: `${row[COLUMN.first]} ${row[COLUMN.last]}`,
				email: row[COLUMN.email],
				phone: digits(row[COLUMN.phone]),
				address: row[COLUMN.address],
				skus: splitList(row[COLUMN.skus]).map(Number),
				time_windows: sampleWindows(row[COLUMN.windows]),
				devices: splitList(row[COLUMN.devices]),
				notes: row[COLUMN.notes] || null,
			};
			const actual = {
				client_name: order.client_name,
				email: order.email,
				phone: order.phone?.value,
				address: order.address,
				skus: order.skus.map((sku) => sku.id),
				time_windows: order.availability, // where the sandbox keeps the order's time windows
				devices: order.devices,
				notes: order.notes,
			};
			const same = Object.keys(expected).every((key) =>
				key === 'time_windows' ? show(expected[key]) === show(actual[key]) : Array.isArray(expected[key]) ? sameList(expected[key], actual[key]) : expected[key] === actual[key],
			);
			check(`${po}: the order holds the row's client, phone, address, SKUs, time windows, devices and notes`, same, `expected ${show(expected)}\n      got      ${show(actual)}`);
		});

		const counts = [...new Map(state.orders.map((order) => [order.purchase_order_id, 0]))].map(([po]) => [po, state.orders.filter((order) => order.purchase_order_id === po).length]);
		check(
			`HelloTech holds exactly the ${good.length} good rows' orders: no duplicate, nothing for a bad row`,
			state.orders.length === good.length && counts.every(([, count]) => count === 1),
			`orders by purchase order ID: ${show(Object.fromEntries(counts))}`,
		);
		const creates = state.log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
		check(
			`n8n sent one create per row that passed the node's checks (${good.length + 1}: the good rows and the unknown SKU)`,
			creates.length === good.length + 1,
			`got ${creates.length}`,
		);
	},
};

// ------------------------------------------------------------------------------------------------

const TAG_PATTERNS = [['partner-api'], ['partner-api', 'store-42'], ['store-42'], ['spring-promo'], [], ['partner-api', 'spring-promo', 'vip']];
const STATUS_PATTERN = [0, 2, 3, 4, 1, 2, 0];

const scheduledOrderReport = {
	file: 'scheduled-order-report.json',
	id: 'HtExampleReport1',
	helloTechNodes: ['Count by tag', 'Get orders of the day'],
	trigger: 'Every morning at 7',

	prepare() {},

	/**
	 * Orders over three days (UTC: the test runs n8n with GENERIC_TIMEZONE=UTC); yesterday's need
	 * three pages, since the sandbox pages by 10 here and names its next cursor.
	 */
	async seed(sandbox) {
		await sandbox.reset({ maxPageSize: 10, paginationStyle: 'next_cursor' });
		const now = Date.now();
		const today = Math.floor(now / DAY_MS) * DAY_MS;
		const orders = [];
		for (let i = 0; i < 4; i++) orders.push({ createdAtMs: today - 2 * DAY_MS + 3_600_000 * (8 + i), tags: ['partner-api', 'store-42'], statusCode: 3, purchase_order_id: `RPT-OLD-${i}` });
		for (let i = 0; i < 23; i++) {
			orders.push({
				createdAtMs: today - DAY_MS + 1_800_000 + i * 3_300_000,
				tags: TAG_PATTERNS[i % TAG_PATTERNS.length],
				statusCode: STATUS_PATTERN[i % STATUS_PATTERN.length],
				purchase_order_id: `RPT-Y-${i}`,
			});
		}
		for (let i = 0; i < 3; i++) orders.push({ createdAtMs: now - (i + 1) * 1000, tags: ['partner-api'], statusCode: 0, purchase_order_id: `RPT-NEW-${i}` });
		await sandbox.seedOrders(orders);
		this.ranAround = [now];
	},

	async verify({ execution, sandbox, check, workflow }) {
		this.ranAround.push(Date.now());
		const state = await sandbox.state();
		const summaries = outputOf(execution, 'Write summary');
		check('Write summary put out one item', summaries.length === 1, `got ${summaries.length}`);
		const summary = summaries[0]?.json ?? {};

		const yesterday = new Set(this.ranAround.map((ms) => utcDay(ms - DAY_MS)));
		check(`the report is about yesterday (${[...yesterday].join(' or ')})`, yesterday.has(summary.day), `day: ${show(summary.day)}`);

		const ofDay = state.orders.filter((order) => order.created_at.iso.slice(0, 10) === summary.day);
		const tags = splitList(fieldOf(workflow, 'Report settings', 'tags'));
		const byTag = Object.fromEntries(tags.map((tag) => [tag, ofDay.filter((order) => order.tags.includes(tag)).length]));
		const byStatus = {};
		for (const order of ofDay) byStatus[order.status_label] = (byStatus[order.status_label] ?? 0) + 1;
		check(
			'the sandbox holds a day worth reporting (several pages, tags and statuses that differ)',
			ofDay.length > 20 && new Set(Object.values(byTag)).size > 1 && Object.keys(byStatus).length > 2 && state.orders.length > ofDay.length,
			`${ofDay.length} orders that day, by tag ${show(byTag)}, by status ${show(byStatus)}`,
		);

		const listed = outputOf(execution, 'Get orders of the day').map((item) => item.json.id);
		check(
			`Get Many returned all ${ofDay.length} orders of the day across pages, each once`,
			sameList(listed, ofDay.map((order) => order.id)),
			`got ${listed.length} (${new Set(listed).size} different)`,
		);
		check(`total orders: ${ofDay.length}`, summary.total_orders === ofDay.length, `summary says ${show(summary.total_orders)}`);
		check(`orders by tag: ${show(byTag)}`, show(summary.orders_by_tag) === show(byTag), `summary says ${show(summary.orders_by_tag)}`);
		check(
			`orders by status: ${show(byStatus)}`,
			sameList(Object.entries(summary.orders_by_status ?? {}).map(String), Object.entries(byStatus).map(String)),
			`summary says ${show(summary.orders_by_status)}`,
		);
		check(`the subject reads "HelloTech orders on ${summary.day}: ${ofDay.length}"`, summary.subject === `HelloTech orders on ${summary.day}: ${ofDay.length}`, `subject: ${show(summary.subject)}`);
		const lines = [...Object.entries(byTag), ...Object.entries(byStatus)].map(([name, count]) => `- ${name}: ${count}`);
		check('the text lists every tag and status count', typeof summary.text === 'string' && lines.every((line) => summary.text.split('\n').includes(line)), `text:\n${summary.text}`);

		// n8n passes items through a disabled node unchanged: no email goes out.
		const send = nodeNamed(workflow, 'Send report by email');
		const passed = outputOf(execution, send.name);
		check(
			'the delivery node is the last node, disabled: the summary only passes through it',
			send.disabled === true && !workflow.connections[send.name] && (passed.length === 0 || show(passed.map((item) => item.json)) === show(summaries.map((item) => item.json))),
			`disabled: ${send.disabled}; it put out ${show(passed.map((item) => item.json)).slice(0, 300)}`,
		);
		this.reportText = summary.text;
	},
};

module.exports = { EXAMPLES, examples: [spreadsheetToOrders, scheduledOrderReport], nodeNamed };
