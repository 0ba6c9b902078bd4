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

const { parseCsv, toCsv } = require('./csv');
const { orderReport } = require('./order-report');
const { nodeNamed, setField, outputOf } = require('./workflow-edit');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

const digits = (text) => String(text ?? '').replace(/\D/g, '');
const splitList = (text) =>
	String(text ?? '')
		.split(/[,;]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
// Map Automatically joins a ZIP column the address lacks after it ("…, Cambridge, MA" → "…, MA 02139").
const withZip = (row) => (row.zip && !row.address.includes(row.zip) ? `${row.address} ${row.zip}` : row.address);
const sameList = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const show = (value) => JSON.stringify(value);

// ------------------------------------------------------------------------------------------------

/** The rows of examples/orders.csv that must fail, and how the results CSV must say so (the field and its column). */
const BAD_ROWS = {
	'PO-1003': {
		why: 'an email without a domain ending',
		error: /^Email \(column "Email"\): "maria\.lopez@example" is not an email address \[item 2: purchase order PO-1003, Maria Lopez\]$/,
	},
	// n8n's Extract from File leaves an empty cell out of the item: no Phone column at all in this row.
	'PO-1005': { why: 'no phone', error: /^Phone( \(column "Phone"\))?: is required \[item 4: purchase order PO-1005, Katherine Johnson\]$/ },
	'PO-1006': {
		why: 'a SKU name where an ID belongs',
		error: /^SKU IDs \(column "SKU IDs"\): "TV mount" is not a positive whole number ID \[item 5: purchase order PO-1006, Linus Torvalds\]$/,
	},
	'PO-1008': { why: "HelloTech's 422 for SKU 99999", error: /Sku 99999 does not exist \[item 7: purchase order PO-1008, Dennis Ritchie\]$/ },
	'PO-1011': { why: 'a time window of 90 minutes', error: /^Time Windows \(column "Time Windows"\): window 1: the end must be exactly one hour after the start/ },
};

/** The bad row the second run of the sheet has fixed (the issue's "re-run after fixing its bad rows"). */
const FIXED_ROW = { po: 'PO-1003', email: 'maria.lopez@example.com' };

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

/**
 * examples/spreadsheet-to-orders.json, run twice: on the sample (bad rows included), then, after
 * fixing one bad row, on the whole sheet again, as the issue's user does. The second run books only
 * the fixed row: every other good row gets the order the first run booked (Skip Orders Already
 * Booked, on by default in version 2), and HelloTech holds each purchase order once.
 */
const spreadsheetToOrders = (again) => ({
	file: 'spreadsheet-to-orders.json',
	id: again ? 'HtExampleSheet02' : 'HtExampleSheet01',
	label: again ? 'run again after fixing a bad row' : 'the sample',
	helloTechNodes: ['Create order'],

	prepare(workflow, { filesDir }) {
		const sample = parseCsv(fs.readFileSync(path.join(EXAMPLES, 'orders.csv'), 'utf8'));
		this.rows = again ? sample.map((row) => (row[COLUMN.po] === FIXED_ROW.po ? { ...row, [COLUMN.email]: FIXED_ROW.email } : row)) : sample;
		const input = path.join(filesDir, again ? 'orders-fixed.csv' : 'orders.csv');
		if (again) fs.writeFileSync(input, toCsv(this.rows, Object.values(COLUMN)));
		else fs.copyFileSync(path.join(EXAMPLES, 'orders.csv'), input);
		this.resultsFile = path.join(filesDir, `orders-results-${this.id}.csv`);
		fs.rmSync(this.resultsFile, { force: true });
		setField(workflow, 'Settings', 'input_file', input);
		setField(workflow, 'Settings', 'results_file', this.resultsFile);
	},

	async seed(sandbox) {
		// The second run finds what the first one booked.
		if (!again) await sandbox.reset();
		const { orders, log } = await sandbox.state();
		this.before = new Map(orders.map((order) => [order.purchase_order_id, order.id]));
		this.logFrom = log.length;
	},

	async verify({ execution, sandbox, check }) {
		const { rows } = this;
		const state = await sandbox.state();
		const bad = (row) => BAD_ROWS[row[COLUMN.po]] && !(again && row[COLUMN.po] === FIXED_ROW.po);
		const good = rows.filter((row) => !bad(row));
		check('the sample CSV has good rows and every kind of bad row', good.length >= 4 && Object.keys(BAD_ROWS).every((po) => rows.some((row) => row[COLUMN.po] === po)));
		check(
			'the good rows hold 0, 1 and several time windows',
			[0, 1, 3].every((count) => good.some((row) => splitList(row[COLUMN.windows]).length === count)),
		);
		if (again) check(`the first run booked the good rows, ${FIXED_ROW.po} not yet`, this.before.size >= 4 && !this.before.has(FIXED_ROW.po), show([...this.before.keys()]));

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
			if (bad(row)) {
				const { why, error } = BAD_ROWS[po];
				check(
					`${po} (${why}): reported as failed, with its error naming the row`,
					result.result === 'failed' && result.order_id === '' && error.test(result.error),
					`results row: ${show(result)}`,
				);
				check(`${po}: no order created`, orders.length === 0, `found orders ${show(orders.map((order) => order.id))}`);
				return;
			}
			check(`${po}: exactly one order in HelloTech`, orders.length === 1, `found ${orders.length}`);
			const [order] = orders;
			if (!order) return;
			const bookedBefore = this.before.has(po);
			check(
				bookedBefore
					? `${po}: booked by the first run, so not booked again: the results CSV says "already booked" with that order's ID (${order.id})`
					: `${po}: the results CSV carries its new order's ID (${order.id})`,
				result.result === (bookedBefore ? 'already booked' : 'created') && result.order_id === String(order.id) && result.error === '' && (!bookedBefore || this.before.get(po) === order.id),
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
		const requests = state.log.slice(this.logFrom);
		const creates = requests.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
		const expectedCreates = again ? 2 : good.length + 1; // again: the fixed row, and the unknown SKU HelloTech refuses again
		check(
			again
				? `n8n sent a create only for the rows not booked yet (${expectedCreates}: the fixed row and the unknown SKU)`
				: `n8n sent one create per row that passed the node's checks (${expectedCreates}: the good rows and the unknown SKU)`,
			creates.length === expectedCreates,
			`got ${creates.length}: ${show(creates.map((entry) => entry.body?.purchase_order_id))}`,
		);
		const reads = requests.filter((entry) => entry.method === 'GET' && entry.path === '/api/partners/orders');
		check('the orders HelloTech already has were read once: a page, and the empty one that proves the end when there were any', reads.length === (again ? 2 : 1), `${reads.length} reads`);
	},
});

// ------------------------------------------------------------------------------------------------

/**
 * The rows of examples/orders-to-check.csv that Order → Validate must report, with the field and the
 * problem (the sandbox's default SKU coverage: 10642 only at ZIPs 9xxxx; 99999 is no SKU).
 */
const PROBLEM_ROWS = {
	'PO-2003': { why: 'an email without a domain ending', field: 'Email (column "email")', problem: /^"maria\.lopez@example" is not an email address$/ },
	'PO-2004': { why: 'SKU 10642 not offered at 10118', field: 'SKU IDs', problem: /^SKU 10642 \(Smart Thermostat Installation\) is not offered at ZIP 10118\b/ },
	'PO-2006': { why: 'no ZIP in the address or the zip column', field: 'ZIP Code', problem: /^none found: Address does not end with a 5-digit ZIP code/ },
	'PO-2007': { why: 'SKU 99999 not in the catalogue', field: 'SKU IDs', problem: /^SKU 99999 is not in HelloTech's catalogue$/ },
};

const CHECK_COLUMNS = ['purchase_order_id', 'first_name', 'last_name', 'email', 'phone', 'address', 'zip', 'sku_ids', 'devices', 'notes'];
const BOOK_BRANCH = ['Book orders', 'One result per row', 'Results to CSV', 'Write results CSV'];
const PROBLEMS_BRANCH = ['One item per problem', 'One line per problem', 'Problems to CSV', 'Write problems CSV'];

const readCsvFile = (file) => (fs.existsSync(file) ? parseCsv(fs.readFileSync(file, 'utf8')) : undefined);

/**
 * examples/validate-then-book.json, run three times: on the sample (rows with problems: a problems
 * CSV, nothing booked), on the sample's clean rows only (everything booked, no problems CSV), and on
 * the clean rows again (nothing booked again: every row gets the order booked before).
 */
const validateThenBook = (clean, again = false) => ({
	file: 'validate-then-book.json',
	id: again ? 'HtExampleCheck03' : clean ? 'HtExampleCheck02' : 'HtExampleCheck01',
	label: again ? 'the clean sheet run again' : clean ? 'a clean sheet' : 'a sheet with problems',
	helloTechNodes: ['Validate orders', 'Book orders'],
	notRun: clean ? PROBLEMS_BRANCH : BOOK_BRANCH,

	prepare(workflow, { filesDir }) {
		const rows = parseCsv(fs.readFileSync(path.join(EXAMPLES, 'orders-to-check.csv'), 'utf8'));
		this.rows = clean ? rows.filter((row) => !PROBLEM_ROWS[row.purchase_order_id]) : rows;
		const input = path.join(filesDir, clean ? 'orders-clean.csv' : 'orders-to-check.csv');
		fs.writeFileSync(input, clean ? toCsv(this.rows, CHECK_COLUMNS) : fs.readFileSync(path.join(EXAMPLES, 'orders-to-check.csv')));
		this.problemsFile = path.join(filesDir, `problems-${this.id}.csv`);
		this.resultsFile = path.join(filesDir, `results-${this.id}.csv`);
		for (const file of [this.problemsFile, this.resultsFile]) fs.rmSync(file, { force: true });
		setField(workflow, 'Settings', 'input_file', input);
		setField(workflow, 'Settings', 'problems_file', this.problemsFile);
		setField(workflow, 'Settings', 'results_file', this.resultsFile);
	},

	async seed(sandbox) {
		if (!again) await sandbox.reset();
		const { orders, log } = await sandbox.state();
		this.before = new Map(orders.map((order) => [order.purchase_order_id, order.id]));
		this.logFrom = log.length;
	},

	async verify({ execution, sandbox, check }) {
		const { rows } = this;
		const state = await sandbox.state();
		const requests = state.log.slice(this.logFrom);
		const creates = requests.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
		const validated = outputOf(execution, 'Validate orders');
		check(
			`Validate orders put out one item per row (${rows.length}), each paired to its row`,
			validated.length === rows.length && validated.every((item, index) => item.pairedItem?.item === index || item.pairedItem?.[0]?.item === index),
			`got ${validated.length} items`,
		);
		const invalid = validated.filter((item) => !item.json.valid).length;
		const expectedInvalid = rows.filter((row) => PROBLEM_ROWS[row.purchase_order_id]).length;
		check(`${expectedInvalid} rows are reported invalid`, invalid === expectedInvalid, `got ${invalid}`);
		check(
			'each answer of Validate names its row: item number, purchase order ID and customer',
			validated.every((item, index) => item.json.item === index && item.json.purchase_order_id === rows[index].purchase_order_id && item.json.customer === `${rows[index].first_name} ${rows[index].last_name}`),
			show(validated.map((item) => [item.json.item, item.json.purchase_order_id, item.json.customer])),
		);
		const checkZips = requests.filter((entry) => /\/check_zip$/.test(entry.path)).length;
		check('Validate orders asked Check ZIP and read the catalogue', checkZips > 0 && requests.some((entry) => entry.path === '/api/partners/skus'), `${checkZips} Check ZIP requests`);

		const problems = readCsvFile(this.problemsFile);
		const results = readCsvFile(this.resultsFile);
		if (!clean) {
			check('nothing was booked: no create reached HelloTech, it holds no order', creates.length === 0 && state.orders.length === 0, `${creates.length} creates, ${state.orders.length} orders`);
			check('no results CSV was written', results === undefined, this.resultsFile);
			if (!check('the workflow wrote the problems CSV', problems !== undefined, this.problemsFile)) return;
			const expected = rows.filter((row) => PROBLEM_ROWS[row.purchase_order_id]);
			check(
				`the problems CSV has one line per problem (${expected.length}), in row order, and nothing about the good rows`,
				show(problems.map((line) => line.purchase_order_id)) === show(expected.map((row) => row.purchase_order_id)),
				`got ${show(problems.map((line) => line.purchase_order_id))}`,
			);
			check('the problems CSV has the columns purchase_order_id, customer, field, problem', problems.length > 0 && show(Object.keys(problems[0])) === show(['purchase_order_id', 'customer', 'field', 'problem']), show(Object.keys(problems[0] ?? {})));
			for (const row of expected) {
				const want = PROBLEM_ROWS[row.purchase_order_id];
				const line = problems.find((entry) => entry.purchase_order_id === row.purchase_order_id) ?? {};
				check(
					`${row.purchase_order_id} (${want.why}): field "${want.field}", problem ${want.problem}`,
					line.customer === `${row.first_name} ${row.last_name}` && line.field === want.field && want.problem.test(line.problem),
					`line: ${show(line)}`,
				);
			}
			return;
		}

		check('the sheet is clean: every row valid', invalid === 0 && rows.length >= 3, `${invalid} invalid of ${rows.length}`);
		check('no problems CSV was written', problems === undefined, this.problemsFile);
		if (again) check(`no create: every row was booked by the run before (${this.before.size} orders)`, creates.length === 0 && this.before.size === rows.length, `got ${creates.length}`);
		else check(`one create per row (${rows.length})`, creates.length === rows.length, `got ${creates.length}`);
		if (!check('the workflow wrote the results CSV', results !== undefined, this.resultsFile)) return;
		for (const [index, row] of rows.entries()) {
			const po = row.purchase_order_id;
			const orders = state.orders.filter((order) => order.purchase_order_id === po);
			const result = results[index] ?? {};
			const said = again ? 'already booked' : 'created';
			check(
				`${po}: exactly one order in HelloTech, its ID in the results CSV ("${said}")`,
				orders.length === 1 && result.purchase_order_id === po && result.result === said && result.order_id === String(orders[0].id) && (!again || this.before.get(po) === orders[0].id),
				`orders ${orders.length}; results row ${show(result)}`,
			);
			const [order] = orders;
			if (!order) continue;
			const expected = { email: row.email, phone: digits(row.phone), address: withZip(row), skus: splitList(row.sku_ids).map(Number), devices: splitList(row.devices), notes: row.notes || null };
			const actual = { email: order.email, phone: order.phone?.value, address: order.address, skus: order.skus.map((sku) => sku.id), devices: order.devices, notes: order.notes };
			const same = Object.keys(expected).every((key) => (Array.isArray(expected[key]) ? sameList(expected[key], actual[key]) : expected[key] === actual[key]));
			check(`${po}: the order holds the row's email, phone, address, SKUs, devices and notes`, same, `expected ${show(expected)}\n      got      ${show(actual)}`);
		}
	},
});

// ------------------------------------------------------------------------------------------------

const FIXTURES = path.join(__dirname, 'fixtures');
const fixture = (file) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
/** n8n's pinned data: the items a node puts out instead of running (no outside account needed). */
const pin = (rows) => rows.map((json) => ({ json }));

/**
 * The rows of fixtures/google-sheets-rows.json that must not be booked, and the status the
 * workflow writes back for them (items count among the rows not booked yet: row 4 is booked).
 */
const SHEET_REFUSED = {
	5: { why: 'an email without a domain ending', status: /^Not booked: Email \(column "Email"\): "sam\.okafor@example" is not an email address \[item 2: purchase order PO-3104, Sam Okafor\]$/, sent: false },
	6: { why: "HelloTech's 422 for SKU 99999", status: /^Not booked: .*Sku 99999 does not exist/, sent: true },
	7: { why: 'an empty Phone cell', status: /^Not booked: Phone( \(column "Phone"\))?: is required \[item 4: purchase order PO-3106, Omar Haddad\]$/, sent: false },
};

/**
 * examples/google-sheet-to-orders.json: the Google Sheets nodes get pinned data (rows as n8n's
 * Google Sheets node emits them; the write-back node's answer), so no Google account is needed.
 * What the workflow would write back is the input of "Write back to the sheet".
 */
const googleSheetToOrders = {
	file: 'google-sheet-to-orders.json',
	id: 'HtExampleGSheet1',
	helloTechNodes: ['Create order'],

	prepare(workflow) {
		this.rows = fixture('google-sheets-rows.json').rows;
		workflow.pinData = {
			'Get orders to book': pin(this.rows),
			// Google Sheets' Update Row puts out the rows it wrote; pinned, it sends nothing.
			'Write back to the sheet': pin([{ pinned: 'no Google account in this test' }]),
		};
	},

	async seed(sandbox) {
		await sandbox.reset();
	},

	async verify({ execution, sandbox, check }) {
		const state = await sandbox.state();
		const open = this.rows.filter((row) => !row['HelloTech Status']);
		const good = open.filter((row) => !SHEET_REFUSED[row.row_number]);
		check('the sheet has booked, good and refused rows', this.rows.length > open.length && good.length >= 2 && Object.keys(SHEET_REFUSED).every((n) => open.some((row) => row.row_number === Number(n))));

		const passed = outputOf(execution, 'Not booked yet').map((item) => item.json.row_number);
		check(`only the rows with no HelloTech Status go on (${open.map((row) => row.row_number).join(', ')})`, show(passed) === show(open.map((row) => row.row_number)), `got ${show(passed)}`);

		const creates = state.log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
		const sent = open.filter((row) => !SHEET_REFUSED[row.row_number] || SHEET_REFUSED[row.row_number].sent);
		check(`one create per row that passed the node's checks (${sent.length}), none for a booked row`, creates.length === sent.length, `got ${creates.length}`);
		check(
			`HelloTech holds one order per good row (${good.map((row) => row['Purchase Order ID']).join(', ')}), nothing else`,
			state.orders.length === good.length && good.every((row) => state.orders.filter((order) => order.purchase_order_id === row['Purchase Order ID']).length === 1),
			show(state.orders.map((order) => order.purchase_order_id)),
		);
		for (const row of good) {
			const order = state.orders.find((candidate) => candidate.purchase_order_id === row['Purchase Order ID']);
			if (!order) continue;
			const expected = {
				client_name: `${row['First Name']} ${row['Last Name']}`,
				email: row.Email,
				phone: digits(row.Phone),
				address: row.Address,
				skus: splitList(row['SKU IDs']).map(Number),
				time_windows: row['Time Windows'] ? sampleWindows(row['Time Windows']) : [],
			};
			const actual = { client_name: order.client_name, email: order.email, phone: order.phone?.value, address: order.address, skus: order.skus.map((sku) => sku.id), time_windows: order.availability ?? [] };
			check(`${row['Purchase Order ID']}: the order holds the row's name, email, phone, address, SKUs and time windows (cells read as Google gives them: numbers for digits)`, show(expected) === show(actual), `expected ${show(expected)}\n      got      ${show(actual)}`);
		}

		const written = outputOf(execution, 'Order ID and status for the row').map((item) => item.json);
		check(
			`one line to write back per row not booked yet (${open.length}), with only row_number, HelloTech Order ID and HelloTech Status`,
			written.length === open.length && written.every((line) => show(Object.keys(line)) === show(['row_number', 'HelloTech Order ID', 'HelloTech Status'])),
			show(written),
		);
		open.forEach((row, index) => {
			const line = written[index] ?? {};
			const refused = SHEET_REFUSED[row.row_number];
			const order = state.orders.find((candidate) => candidate.purchase_order_id === row['Purchase Order ID']);
			if (refused) {
				check(`row ${row.row_number} (${refused.why}): written back as not booked, with why, and no order ID`, line.row_number === row.row_number && line['HelloTech Order ID'] === '' && refused.status.test(line['HelloTech Status']), show(line));
			} else {
				check(`row ${row.row_number}: written back with its order ID and status`, line.row_number === row.row_number && line['HelloTech Order ID'] === String(order?.id) && line['HelloTech Status'] === order?.status_label, show(line));
			}
		});
	},
};

/**
 * examples/woocommerce-order-to-order.json: the shop trigger's orders pinned (a Manual Trigger
 * in its place, as for every trigger here), as n8n's WooCommerce Trigger emits them.
 */
const wooCommerceOrder = {
	file: 'woocommerce-order-to-order.json',
	id: 'HtExampleWooCom1',
	helloTechNodes: ['Book the installation'],
	trigger: 'New WooCommerce order',

	prepare(workflow) {
		delete nodeNamed(workflow, this.trigger).webhookId;
		this.orders = fixture('woocommerce-orders.json').orders;
		workflow.pinData = { [this.trigger]: pin(this.orders) };
	},

	async seed(sandbox) {
		await sandbox.reset();
	},

	async verify({ sandbox, check }) {
		const state = await sandbox.state();
		const installs = this.orders.filter((order) => order.line_items.some((item) => item.sku.startsWith('HT-')));
		check('the sample has a shop order with installations beside a product, and one without', installs.length === 1 && this.orders.length === 2 && installs[0].line_items.some((item) => !item.sku.startsWith('HT-')));
		const creates = state.log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');
		check('one create, for the order with installations', creates.length === 1 && state.orders.length === 1, `${creates.length} creates, ${state.orders.length} orders`);
		const [shop] = installs;
		const [order] = state.orders;
		if (!order) return;
		const place = shop.shipping.address_1 ? shop.shipping : shop.billing;
		const expected = {
			purchase_order_id: `WC-${shop.number}`,
			client_name: `${place.first_name} ${place.last_name}`,
			email: shop.billing.email,
			phone: digits(place.phone || shop.billing.phone),
			address: `${place.address_1}, ${place.city}, ${place.state} ${place.postcode}`,
			address_details: place.address_2,
			skus: shop.line_items.filter((item) => item.sku.startsWith('HT-')).map((item) => Number(item.sku.slice(3))),
			notes: shop.customer_note,
		};
		const actual = {
			purchase_order_id: order.purchase_order_id,
			client_name: order.client_name,
			email: order.email,
			phone: order.phone?.value,
			address: order.address,
			address_details: order.address_details,
			skus: order.skus.map((sku) => sku.id),
			notes: order.notes,
		};
		check("the HelloTech order holds the shop order's number, customer, service address, installation SKUs (not the TV) and note", show(expected) === show(actual), `expected ${show(expected)}\n      got      ${show(actual)}`);
	},
};

// ------------------------------------------------------------------------------------------------

const TOOLS = ['Get order', 'Find orders', 'List services', 'Check service at ZIP'];
const toolName = (nodeName) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

/**
 * The AI Agent example with a stand-in model (scripts/real-n8n/mock-openai.js) behind n8n's own
 * OpenAI Chat Model node: n8n offers it the HelloTech tools; on its first turn it calls all four,
 * on its second it answers with what the tools returned. The checks read what n8n sent the
 * "model": the tools' names, descriptions and argument schemas, and the tools' answers.
 */
const aiAgent = {
	file: 'ai-agent.json',
	id: 'HtExampleAgent01',
	helloTechNodes: [],
	toolNodes: TOOLS,
	trigger: 'When chat message received',
	usesOpenAi: true,

	prepare(workflow, { openAi }) {
		delete nodeNamed(workflow, this.trigger).webhookId;
		// A chat message, as a Manual Trigger run can give it: the agent's prompt, defined.
		Object.assign(nodeNamed(workflow, 'AI Agent').parameters, { promptType: 'define', text: 'Where is my order, and can you install a smart thermostat in 94103?' });
		const model = nodeNamed(workflow, 'OpenAI Chat Model');
		model.parameters.responsesApiEnabled = false; // the stand-in speaks Chat Completions
		model.credentials = { openAiApi: { id: openAi.credentialId, name: 'OpenAI stand-in' } };
		// The example's Find orders asks for Simplified; Selected Fields here shows that the tool
		// reads its Output option in a real n8n (a node not taken for a tool would simplify too).
		Object.assign(nodeNamed(workflow, 'Find orders').parameters, { output: 'fields', fields: ['status_label', 'order_summary_url'] });
		openAi.reply = (body) => this.reply(body);
		this.openAi = openAi;
	},

	async seed(sandbox) {
		await sandbox.reset();
		this.orderIds = (await sandbox.seedOrders([{ statusCode: 2, purchase_order_id: 'AI-1' }, { statusCode: 0, purchase_order_id: 'AI-2' }, { statusCode: 2, purchase_order_id: 'AI-3' }])).ids;
		this.openAi.requests.length = 0;
	},

	/** The stand-in model: first every tool, then an answer made of what they returned. */
	reply(body) {
		const results = body.messages.filter((message) => message.role === 'tool');
		if (results.length > 0) return { content: `From the tools: ${results.map((message) => message.content).join(' | ')}` };
		const call = (name, args) => ({ id: `call_${toolName(name)}`, type: 'function', function: { name: toolName(name), arguments: JSON.stringify(args) } });
		return {
			tool_calls: [
				call('Get order', { Order_ID: String(this.orderIds[0]) }),
				call('Find orders', { Limit: 5, Statuses: 'ASSIGNED', From: '' }),
				call('List services', {}),
				call('Check service at ZIP', { SKU_ID: '10642', ZIP_Code: '94103' }),
			],
		};
	},

	async verify({ execution, sandbox, check }) {
		const { requests } = this.openAi;
		check('n8n asked the model twice: the question, then the tool answers', requests.length === 2, `${requests.length} requests`);
		const offered = Object.fromEntries((requests[0]?.tools ?? []).map((tool) => [tool.function.name, tool.function]));
		const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, this.file), 'utf8'));
		check(
			`n8n offered the model the four HelloTech tools by name (${TOOLS.map(toolName).join(', ')})`,
			sameList(Object.keys(offered), TOOLS.map(toolName)),
			`offered: ${show(Object.keys(offered))}`,
		);
		for (const name of TOOLS) {
			const tool = offered[toolName(name)];
			if (!tool) continue;
			const node = nodeNamed(example, name);
			const properties = Object.entries(tool.parameters?.properties ?? {});
			check(
				`${toolName(name)}: the example's description, and every argument typed and described (${properties.map(([key, schema]) => `${key}: ${schema.type}`).join(', ') || 'none'})`,
				tool.description === node.parameters.toolDescription && properties.every(([, schema]) => schema.type && schema.description?.length > 20),
				show(tool),
			);
		}
		const orderArgs = offered.Find_orders?.parameters?.properties ?? {};
		check('Find_orders takes Limit as a number, Statuses and From as text', orderArgs.Limit?.type === 'number' && orderArgs.Statuses?.type === 'string' && orderArgs.From?.type === 'string', show(orderArgs));

		const answers = Object.fromEntries((requests[1]?.messages ?? []).filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, JSON.parse(message.content)]));
		const state = await sandbox.state();
		const [first, , third] = this.orderIds.map((id) => state.orders.find((order) => order.id === id));
		const got = answers.call_Get_order?.[0] ?? {};
		check(
			`Get_order answered the order, simplified: 11 fields, status "${first?.status_label}"`,
			got.id === first?.id && got.status === first?.status_label && Object.keys(got).length === 11 && got.created_at === first?.created_at.iso,
			show(answers.call_Get_order),
		);
		const found = answers.call_Find_orders ?? [];
		check(
			'Find_orders answered the assigned orders with only the fields its Output selects',
			show(found) === show([third, first].map((order) => ({ id: order.id, status_label: order.status_label, order_summary_url: order.order_summary_url }))),
			show(found),
		);
		check('List_services answered the catalogue', sameList((answers.call_List_services ?? []).map((sku) => sku.id), state.skus.map((sku) => sku.id)), show(answers.call_List_services));
		check(
			'Check_service_at_ZIP answered that SKU 10642 is available at 94103',
			answers.call_Check_service_at_ZIP?.[0]?.available === true && answers.call_Check_service_at_ZIP[0].sku_id === 10642,
			show(answers.call_Check_service_at_ZIP),
		);
		// Each list read (assigned orders, catalogue) ends with the request that proves its end: a
		// short page is not proof, so the list may take one request more.
		const calls = [...new Set(state.log.map((entry) => `${entry.method} ${entry.path}`))];
		check(
			'the tools reached HelloTech: the order, the list of assigned orders, the catalogue, the ZIP check',
			sameList(calls, [`GET /api/partners/orders/${first?.id}`, 'GET /api/partners/orders', 'GET /api/partners/skus', 'POST /api/partners/skus/10642/check_zip']) &&
				state.log.find((entry) => entry.path === '/api/partners/orders')?.query?.limit === '5',
			show(state.log.map((entry) => [entry.method, entry.path, entry.query])),
		);
		const reply = outputOf(execution, 'AI Agent')[0]?.json?.output ?? '';
		check("the agent's reply is the model's answer built from the tools' answers", reply.startsWith('From the tools: ') && reply.includes(`"id":${first?.id}`), reply.slice(0, 300));
	},
};

module.exports = {
	EXAMPLES,
	examples: [
		spreadsheetToOrders(false),
		spreadsheetToOrders(true),
		orderReport('day'),
		orderReport('week'),
		orderReport('quiet'),
		validateThenBook(false),
		validateThenBook(true),
		validateThenBook(true, true),
		aiAgent,
		googleSheetToOrders,
		wooCommerceOrder,
	],
	nodeNamed,
	fixture,
};
