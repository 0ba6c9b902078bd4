'use strict';
/**
 * Order → Create in version 2 through n8n's engine against the sandbox: the column mapper (Map
 * Automatically with the API's names and sheet headings, Map Each Field Below with expressions),
 * SKU pickers, time windows per row, and every bad value refused before sending, its error naming
 * the field, the column it came from and the item.
 */
const { sandbox, run: runNode, jsons, expectRefusedBeforeSending } = require('./helpers');
const { loadOptions, nodeTypes, HELLOTECH_TYPE, NodeHelpers } = require('./harness/engine');
const { autoMappedOrder, newClientBody, sheetRow } = require('./fixtures');

const V2 = { typeVersion: 2 };
const run = (parameters, options = {}) => runNode(parameters, { ...V2, ...options });
const posts = async () => (await sandbox.state()).log.filter((entry) => entry.method === 'POST');
const creates = async () => (await posts()).filter((entry) => entry.path === '/api/partners/orders');
// Rows with a purchase order ID wait together for the check of what is already booked, then go
// out at once, each on its own connection: bodies are compared in purchase order ID order.
const byPurchaseOrder = (a, b) => String(a.purchase_order_id ?? '').localeCompare(String(b.purchase_order_id ?? ''), 'en', { numeric: true });
const bodies = async () => (await creates()).map((entry) => entry.body).sort(byPurchaseOrder);

/** Order → Create v2, Map Each Field Below, with `value` the mapped values by field id. */
const mappedBelow = (value, overrides = {}) => ({
	resource: 'order',
	operation: 'create',
	mapping: 'defineBelow',
	columns: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
	...overrides,
});

const NEW_CLIENT_BODY = newClientBody({ purchase_order_id: 'PO-1' });

beforeEach(() => sandbox.reset());

describe('Map Automatically', () => {
	test('columns named as the API names them become the order; each output is the created order, paired to its row', async () => {
		const rows = [
			sheetRow(),
			sheetRow({ first_name: 'Sam', email: 'sam@example.com', sku_id: '10641, 10643', purchase_order_id: 'PO-2', devices: 'iPhone 13; Pixel 8', notes: 'Call first', business_name: 'Sam LLC', address_details: 'Apt 4' }),
			sheetRow({ first_name: 'Ana', email: 'ana@example.com', sku_id: 10640, purchase_order_id: 'PO-3', phone: 3105550199, unrelated: 'ignored' }),
		];
		const result = await run(autoMappedOrder(), { items: rows });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(jsons(result).map((order) => order.purchase_order_id)).toEqual(['PO-1', 'PO-2', 'PO-3']);
		expect(await bodies()).toEqual([
			NEW_CLIENT_BODY,
			{
				...NEW_CLIENT_BODY,
				first_name: 'Sam',
				email: 'sam@example.com',
				sku_id: [10641, 10643],
				purchase_order_id: 'PO-2',
				address_details: 'Apt 4',
				business_name: 'Sam LLC',
				devices: ['iPhone 13', 'Pixel 8'],
				notes: 'Call first',
			},
			{ ...NEW_CLIENT_BODY, first_name: 'Ana', email: 'ana@example.com', sku_id: [10640], purchase_order_id: 'PO-3', phone: '3105550199' },
		]);
		expect((await sandbox.state()).orders).toHaveLength(3);
	});

	test('sheet headings are read too: case, spaces, - and _ do not matter', async () => {
		const row = {
			'First Name': 'Maya',
			'LAST-NAME': 'Lopez',
			'E-mail': 'maya@example.com',
			'Full Address': '719 Flower St, Los Angeles, CA 90017',
			'Address Line 2': 'Yellow house',
			'Phone Number': '(310) 555-0123',
			'SKU IDs': '10639, 10641',
			'Time Windows': '2026-12-01 09:00-10:00',
			PO: 'PO-77',
			Company: 'Lopez LLC',
			Device: 'Samsung TV',
			Comments: 'Ring twice',
			'Order Total': '199.00',
		};
		const result = await run(autoMappedOrder(), { items: [row] });
		expect(result.error).toBeUndefined();
		expect(await bodies()).toEqual([
			{
				first_name: 'Maya',
				last_name: 'Lopez',
				email: 'maya@example.com',
				address: '719 Flower St, Los Angeles, CA 90017',
				phone: '(310) 555-0123',
				sku_id: [10639, 10641],
				// The workflow's zone: America/Los_Angeles, PST in December.
				time_windows: [{ start_time: '2026-12-01T17:00:00.000Z', end_time: '2026-12-01T18:00:00.000Z' }],
				purchase_order_id: 'PO-77',
				address_details: 'Yellow house',
				business_name: 'Lopez LLC',
				devices: ['Samsung TV'],
				notes: 'Ring twice',
			},
		]);
	});

	test.each([
		['sku', 'SKU'],
		['skus', 'SKUs'],
		['sku id', 'SKU ID'],
		['purchase order', 'Purchase Order'],
		['po number', 'PO Number'],
		['surname', 'Surname'],
		['telephone', 'Telephone'],
	])('the alias %s is read', async (_name, heading) => {
		const row = sheetRow();
		const field = { SKU: 'sku_id', SKUs: 'sku_id', 'SKU ID': 'sku_id', 'Purchase Order': 'purchase_order_id', 'PO Number': 'purchase_order_id', Surname: 'last_name', Telephone: 'phone' }[heading];
		row[heading] = row[field];
		delete row[field];
		const result = await run(autoMappedOrder(), { items: [row] });
		expect(result.error).toBeUndefined();
		expect(await bodies()).toEqual([NEW_CLIENT_BODY]);
	});

	test('a row with a Client ID books for that existing client: the name and email columns are not sent', async () => {
		const client = await sandbox.addClient({ email: 'sam@example.com', first_name: 'Sam' });
		const result = await run(autoMappedOrder(), { items: [sheetRow({ 'Client ID': String(client.id) }), sheetRow({ client_id: '', purchase_order_id: 'PO-2' })] });
		expect(result.error).toBeUndefined();
		const [existing, fresh] = await bodies();
		expect(existing).toEqual({ client_id: client.id, address: NEW_CLIENT_BODY.address, phone: '3105550123', sku_id: [10639], purchase_order_id: 'PO-1' });
		// A blank Client ID is no Client ID: that row creates a new client.
		expect(fresh).toEqual({ ...NEW_CLIENT_BODY, purchase_order_id: 'PO-2' });
		expect(jsons(result)[0].client_id).toBe(client.id);
	});

	test('an address split into columns (Street Address, City, State, ZIP) is sent whole; parts the address already holds are not repeated', async () => {
		const street = (overrides) => {
			const row = sheetRow(overrides);
			delete row.address;
			return row;
		};
		const rows = [
			street({ 'Street Address': '719 Flower St', City: 'Los Angeles', State: 'CA', ZIP: '90017', purchase_order_id: 'PO-1' }),
			// A ZIP the sheet turned into a number gets its zero back; "CA" is not found in "Carlton".
			street({ 'Street Address': '12 Carlton Ave', City: 'Boston', State: 'MA', 'Zip Code': 2134, purchase_order_id: 'PO-2' }),
			// Already whole: the City and State columns add nothing.
			sheetRow({ City: 'Los Angeles', State: 'CA', purchase_order_id: 'PO-3' }),
			// Only the ZIP missing: it follows the state, as in any US address.
			sheetRow({ address: '32 Vassar St, Cambridge, MA', zip: '02139', purchase_order_id: 'PO-4' }),
			sheetRow({ address: '32 Vassar St, Cambridge, Massachusetts', State: 'Massachusetts', zip: '02139', purchase_order_id: 'PO-5' }),
		];
		const result = await run(autoMappedOrder(), { items: rows });
		expect(result.error).toBeUndefined();
		expect((await bodies()).map((body) => body.address)).toEqual([
			'719 Flower St, Los Angeles, CA 90017',
			'12 Carlton Ave, Boston, MA 02134',
			'719 Flower St, Los Angeles, CA 90017',
			'32 Vassar St, Cambridge, MA 02139',
			'32 Vassar St, Cambridge, Massachusetts 02139',
		]);
	});

	test('two columns for one field with the same value are fine; a blank one gives way to a filled one', async () => {
		const result = await run(autoMappedOrder(), { items: [sheetRow({ PO: 'PO-1' }), sheetRow({ purchase_order_id: '', 'PO #': 'PO-2' })] });
		expect(result.error).toBeUndefined();
		expect((await bodies()).map((body) => body.purchase_order_id)).toEqual(['PO-1', 'PO-2']);
	});
});

describe('Map Each Field Below', () => {
	test('fixed values and expressions per field; an expression may give a list', async () => {
		const items = [
			{ given: 'Maya', family: 'Lopez', mail: 'maya@example.com', skus: [10639, '10641'], slots: [{ start: '2026-12-01T09:00:00', end: '2026-12-01T10:00:00' }] },
			{ given: 'Sam', family: 'Ng', mail: 'sam@example.com', skus: '10640', slots: [] },
		];
		const result = await run(
			mappedBelow({
				first_name: '={{ $json.given }}',
				last_name: '={{ $json.family }}',
				email: '={{ $json.mail }}',
				address: '719 Flower St, Los Angeles, CA 90017',
				phone: '3105550123',
				sku_id: '={{ $json.skus }}',
				time_windows: '={{ $json.slots }}',
				purchase_order_id: '={{ "PO-" + $itemIndex }}',
				notes: '',
			}),
			{ items },
		);
		expect(result.error).toBeUndefined();
		expect(await bodies()).toEqual([
			{
				...NEW_CLIENT_BODY,
				sku_id: [10639, 10641],
				time_windows: [{ start_time: '2026-12-01T17:00:00.000Z', end_time: '2026-12-01T18:00:00.000Z' }],
				purchase_order_id: 'PO-0',
			},
			{ ...NEW_CLIENT_BODY, first_name: 'Sam', last_name: 'Ng', email: 'sam@example.com', sku_id: [10640], purchase_order_id: 'PO-1' },
		]);
	});

	test('the columns of the item are not read: only what is mapped', async () => {
		const result = await run(
			mappedBelow({ client_id: '={{ $json.id }}', address: '={{ $json.address }}', phone: '3105550123', sku_id: '10639' }),
			{ items: [{ id: 0, address: 'x', first_name: 'Not', notes: 'not mapped' }] },
		);
		// client_id 0 is given (not blank) and wrong: it is refused, the names in the item are not used instead.
		await expectRefusedBeforeSending(result, 'Client ID: must be a positive whole number, got "0" [item 0: client 0]');
	});
	test('a mapping that only reads a field of the item ({{ $json.name }}, read without the expression engine) gives what the engine gives', async () => {
		const items = [{ 'First Name': 'Maya', customer: { last: 'Lopez', mail: ['maya@example.com'] }, phone: 3105550123, skus: [10639, '10641'], windows: '2026-12-01 09:00-10:00', po: 'PO-1', notes: '' }];
		const mapping = (wrap) => ({
			first_name: wrap('$json["First Name"]'),
			last_name: wrap('$json.customer.last'),
			email: wrap("$json.customer['mail'][0]"),
			address: '719 Flower St, Los Angeles, CA 90017',
			phone: wrap('$json.phone'),
			sku_id: wrap('$json.skus'),
			time_windows: wrap('$json.windows'),
			purchase_order_id: wrap('$json.po'),
			notes: wrap('$json.notes'),
			business_name: wrap('$json.missing'),
			devices: wrap('$json.customer.missing'),
		});
		const direct = await run(mappedBelow(mapping((code) => `={{ ${code} }}`)), { items });
		// The same expressions in parentheses are no plain field reference: n8n's engine evaluates them.
		// (Without Skip Orders Already Booked: the second run books the same purchase order again.)
		const evaluated = await run(mappedBelow(mapping((code) => `={{ (${code}) }}`), { requestOptions: { skipBooked: false } }), { items });
		expect(direct.error).toBeUndefined();
		expect(evaluated.error).toBeUndefined();
		const [fromItem, fromEngine] = await bodies();
		expect(fromItem).toEqual({
			...NEW_CLIENT_BODY,
			sku_id: [10639, 10641],
			time_windows: [{ start_time: '2026-12-01T17:00:00.000Z', end_time: '2026-12-01T18:00:00.000Z' }],
		});
		expect(fromEngine).toEqual(fromItem);
	});
});

describe('a {{ $json.name }} read from the item gives exactly what n8n gives, also in its odd cases', () => {
	const NOTES = { first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com', address: 'x', phone: '3105550123', sku_id: '10639' };
	/** The node run twice: `code` as a plain reference, and in parentheses (always n8n's engine). */
	const both = async (code, items) => {
		const direct = await run(mappedBelow({ ...NOTES, notes: `={{ ${code} }}` }), { items, continueOnFail: true });
		const evaluated = await run(mappedBelow({ ...NOTES, notes: `={{ (${code}) }}` }), { items, continueOnFail: true });
		return [direct, evaluated].map((result) => jsons(result)[0].error ?? jsons(result)[0].notes);
	};

	test('an index written with a leading zero is the number JavaScript reads ([010] is 8)', async () => {
		const items = [{ notes: { '01': 'key 01', 1: 'key 1', '010': 'key 010', 8: 'key 8' } }];
		expect(await both('$json.notes[01]', items)).toEqual(['key 1', 'key 1']);
		expect(await both('$json.notes[010]', items)).toEqual(['key 8', 'key 8']);
	});

	test.each([['$json.constructor'], ['$json["prototype"]'], ['$json.row.__proto__']])(
		'%s, a name n8n refuses to read, is refused the same way',
		async (code) => {
			const items = [JSON.parse('{ "constructor": "a", "prototype": "b", "row": { "__proto__": "c" } }')];
			const [direct, evaluated] = await both(code, items);
			expect(evaluated).toMatch(/^Notes: .*(constructor|security concerns)/);
			expect(direct).toBe(evaluated);
		},
	);
});

describe('SKUs picked under SKUs', () => {
	const picked = (...values) => ({
		skus: { sku: values.map(([mode, value]) => ({ id: { __rl: true, mode, value } })) },
	});

	test('are added to the SKU IDs of the row, each once', async () => {
		const result = await run(autoMappedOrder(picked(['list', '10641'], ['id', ' 10639 '])), {
			items: [sheetRow({ sku_id: '10639' }), sheetRow({ sku_id: '', purchase_order_id: 'PO-2' })],
		});
		expect(result.error).toBeUndefined();
		expect((await bodies()).map((body) => body.sku_id)).toEqual([
			[10639, 10641],
			[10641, 10639],
		]);
	});

	test('a picker By ID may hold an expression', async () => {
		const result = await run(autoMappedOrder(picked(['id', '={{ $json.extra }}'])), { items: [sheetRow({ sku_id: '', extra: 10644 })] });
		expect(result.error).toBeUndefined();
		expect((await bodies())[0].sku_id).toEqual([10644]);
	});
});

describe('time windows per row', () => {
	const windowsSent = async () => (await bodies()).map((body) => body.time_windows);
	const hour = (day, fromUtc) => ({
		start_time: `2026-12-${day}T${String(fromUtc).padStart(2, '0')}:00:00.000Z`,
		end_time: `2026-12-${day}T${String(fromUtc + 1).padStart(2, '0')}:00:00.000Z`,
	});

	test('0, 1 or 3 windows per row, as text, a list of either shape, or JSON', async () => {
		const rows = [
			{ time_windows: '' },
			{ time_windows: null },
			{ time_windows: [] },
			{ time_windows: '2026-12-01 09:00-10:00' },
			{ time_windows: '2026-12-01 09:00-10:00; 2026-12-01 14:00-15:00\n12/02/2026 8:00 AM - 9:00 AM' },
			{
				time_windows: [
					{ start: '2026-12-01T09:00:00', end: '2026-12-01T10:00:00' },
					{ start_time: '2026-12-01T22:00:00Z', end_time: '2026-12-01T23:00:00.000Z' },
					{ 'Start Time': '2026-12-02T08:00:00-08:00', 'End Time': '2026-12-02T09:00:00-08:00' },
				],
			},
			{ time_windows: '[{"start_time":"2026-12-01T17:00:00Z","end_time":"2026-12-01T18:00:00Z"}]' },
			{ time_windows: { start: '2026-12-01 09:00', end: '2026-12-01 10:00' } },
			{ time_windows: '2026-12-01T17:00:00Z/2026-12-01T18:00:00Z, 2026-12-01 23:00-00:00' },
		].map((windows, i) => sheetRow({ ...windows, purchase_order_id: `PO-${i}` }));
		const result = await run(autoMappedOrder(), { items: rows });
		expect(result.error).toBeUndefined();
		expect(await windowsSent()).toEqual([
			undefined,
			undefined,
			undefined,
			[hour('01', 17)],
			[hour('01', 17), hour('01', 22), hour('02', 16)],
			[hour('01', 17), hour('01', 22), hour('02', 16)],
			[hour('01', 17)],
			[hour('01', 17)],
			// 23:00-00:00 ends on the next day.
			[hour('01', 17), { start_time: '2026-12-02T07:00:00.000Z', end_time: '2026-12-02T08:00:00.000Z' }],
		]);
	});

	test('an expression giving a list of windows is read, never dropped', async () => {
		const result = await run(
			mappedBelow({
				first_name: 'Maya',
				last_name: 'Lopez',
				email: 'maya@example.com',
				address: 'x',
				phone: '3105550123',
				sku_id: '10639',
				time_windows: '={{ $json.days.map(day => ({ start: day + "T09:00:00Z", end: day + "T10:00:00Z" })) }}',
			}),
			{ items: [{ days: ['2026-12-01', '2026-12-02', '2026-12-03'] }] },
		);
		expect(result.error).toBeUndefined();
		expect(await windowsSent()).toEqual([[hour('01', 9), hour('02', 9), hour('03', 9)]]);
	});
});

describe('bad values are refused before sending, naming the field, its column and the item', () => {
	const cases = [
		['no column for a required field', [sheetRow({ address: undefined })], 'Address: is required [item 0]'],
		['a blank required column', [sheetRow({ Address: '  ', address: undefined })], 'Address (column "Address"): is required [item 0]'],
		['an email that is not one', [sheetRow({ 'E-mail': 'maya@', email: undefined })], 'Email (column "E-mail"): "maya@" is not an email address [item 0]'],
		['a phone that is not one', [sheetRow({ phone: 'n/a' })], 'Phone (column "phone"): "n/a" is not a phone number [item 0]'],
		['a SKU that is no ID', [sheetRow({ 'SKU IDs': '10639, tv-mount', sku_id: undefined })], 'SKU IDs (column "SKU IDs"): "tv-mount" is not a positive whole number ID [item 0]'],
		['no SKU at all', [sheetRow({ sku_id: ' , ' })], 'SKU IDs: at least one SKU is required: give SKU IDs in the item or pick them under SKUs [item 0]'],
		['a Client ID that is no ID', [sheetRow({ client_id: 'abc' })], 'Client ID (column "client_id"): must be a positive whole number, got "abc" [item 0]'],
		[
			'neither a client nor a new client',
			[{ address: 'x', phone: '3105550123', sku_id: '10639' }],
			'Client: give a Client ID (to book for an existing client) or First Name, Last Name and Email (to create a new client) [item 0]',
		],
		['a new client without a last name', [sheetRow({ last_name: undefined })], 'Last Name: is required for a new client (or give a Client ID) [item 0]'],
		['a new client with a blank email', [sheetRow({ email: '' })], 'Email (column "email"): is required for a new client (or give a Client ID) [item 0]'],
		['a first name that is a list', [sheetRow({ first_name: ['Maya'] })], 'First Name (column "first_name"): must be text, got ["Maya"] [item 0]'],
		[
			'a time window that is not one',
			[sheetRow({ time_windows: '2026-12-01 09:00-10:00; tomorrow morning' })],
			'Time Windows (column "time_windows"): window 2: "tomorrow morning" is not a time window (write it as 2026-12-01 09:00-10:00, or as two date-times joined by "/") [item 0]',
		],
		[
			'a time window of 90 minutes',
			[sheetRow({ 'Time Window': '2026-12-01 09:00-10:30' })],
			'Time Windows (column "Time Window"): window 1: the end must be exactly one hour after the start (2026-12-01T17:00:00.000Z), got 2026-12-01T18:30:00.000Z [item 0]',
		],
		['time windows of broken JSON', [sheetRow({ time_windows: '[{"start": "2026-12-01T09:00:00Z"' })], 'Time Windows (column "time_windows"): "[{"start": "2026-12-01T09:00:00Z"" is not valid JSON [item 0]'],
		[
			'a time window without an end',
			[sheetRow({ time_windows: [{ start_time: '2026-12-01T09:00:00Z' }] })],
			'Time Windows (column "time_windows"): window 1: has no end (give start and end, or start_time and end_time), got {"start_time":"2026-12-01T09:00:00Z"} [item 0]',
		],
		[
			'a time window with an impossible date',
			[sheetRow({ time_windows: [{ start: '2026-02-30T09:00:00Z', end: '2026-02-30T10:00:00Z' }] })],
			'Time Windows (column "time_windows"): window 1: start: "2026-02-30T09:00:00Z" is not a real date-time [item 0]',
		],
		['time windows that are a number', [sheetRow({ time_windows: 3 })], 'Time Windows (column "time_windows"): must be a list of time windows or text, got "3" [item 0]'],
		['two columns that disagree', [sheetRow({ sku: '10641' })], 'SKU IDs: the item\'s columns "sku_id" and "sku" both give it, with different values [item 0]'],
	];

	// Version 2 names the row by what the user knows it by: its purchase order ID and customer.
	const named = (message, name = 'purchase order PO-1, Maya Lopez') => message.replace(/ \[item 0\]$/, ` [item 0: ${name}]`);
	const NAMED_OTHERWISE = {
		'neither a client nor a new client': (message) => message,
		// Columns the mapper refuses name the row by its item number alone.
		'two columns that disagree': (message) => message,
		'a new client without a last name': (message) => named(message, 'purchase order PO-1, Maya'),
		'a first name that is a list': (message) => named(message, 'purchase order PO-1, Lopez'),
	};

	test.each(cases)('%s', async (name, items, message) => {
		await expectRefusedBeforeSending(await run(autoMappedOrder(), { items }), (NAMED_OTHERWISE[name] ?? named)(message));
	});

	test('a missing column: the description lists the names read and the columns the item has', async () => {
		const result = await run(autoMappedOrder(), { items: [sheetRow({ phone: undefined, Tel: '3105550123' })] });
		expect(result.error.message).toBe('Phone: is required [item 0: purchase order PO-1, Maya Lopez]');
		expect(result.error.description).toContain('No column of the item gives it');
		expect(result.error.description).toContain('"phone", "Phone Number", "Telephone", "Mobile", "Mobile Phone", "Cell Phone"');
		expect(result.error.description).toContain("The item's columns: first_name, last_name, email, address, sku_id, purchase_order_id, Tel.");
	});

	test('a picked SKU that is no ID names its picker', async () => {
		// A typed ID that is no number never gets here (n8n refuses it by the picker's own rule); an expression does.
		const picked = [{ id: { __rl: true, mode: 'id', value: '10639' } }, { id: { __rl: true, mode: 'id', value: '={{ $json.service }}' } }];
		const result = await run(autoMappedOrder({ skus: { sku: picked } }), { items: [sheetRow({ service: 'tv' })] });
		await expectRefusedBeforeSending(result, 'SKUs → SKU 2: must be a positive whole number, got "tv" [item 0: purchase order PO-1, Maya Lopez]');
	});

	test('Map Each Field Below: the field as the mapper names it', async () => {
		const result = await run(mappedBelow({ first_name: 'Maya', last_name: 'Lopez', email: '={{ $json.mail }}', address: 'x', phone: '3105550123', sku_id: '10639' }), {
			items: [{ mail: 'maya@example' }],
		});
		await expectRefusedBeforeSending(result, 'Email: "maya@example" is not an email address [item 0: Maya Lopez]');
	});

	test('Map Each Field Below: a required field left out', async () => {
		const result = await run(mappedBelow({ first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com', address: 'x', sku_id: '10639' }));
		await expectRefusedBeforeSending(result, 'Phone: is required [item 0: Maya Lopez]');
	});

	test('Map Each Field Below: an expression that fails names its field', async () => {
		const result = await run(
			mappedBelow({ first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com', address: '={{ $("Customers").item.json.address }}', phone: '3105550123', sku_id: '10639' }),
			{ items: [{ name: 'no such node' }] },
		);
		await expectRefusedBeforeSending(result, "Address: Referenced node doesn't exist [item 0: Maya Lopez]");
	});

	test('the error names the failing row, and with Continue On Fail every row is accounted for', async () => {
		const rows = [sheetRow(), sheetRow({ purchase_order_id: 'PO-2', email: 'broken' }), sheetRow({ purchase_order_id: 'PO-3', sku_id: '99999' }), sheetRow({ purchase_order_id: 'PO-4' })];
		const failing = await run(autoMappedOrder(), { items: [rows[0], rows[1]] });
		expect(failing.error.message).toBe('Email (column "email"): "broken" is not an email address [item 1: purchase order PO-2, Maya Lopez]');
		expect(failing.error.context.itemIndex).toBe(1);
		// Every row was read before any was booked: the good row 0 was not booked either.
		expect(await creates()).toEqual([]);

		await sandbox.reset();
		const result = await run(autoMappedOrder(), { items: rows, continueOnFail: true });
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		const [first, second, third, fourth] = jsons(result);
		expect(first.purchase_order_id).toBe('PO-1');
		expect(second).toEqual({ error: 'Email (column "email"): "broken" is not an email address [item 1: purchase order PO-2, Maya Lopez]' });
		expect(third.error).toContain('Sku 99999 does not exist');
		expect(fourth.purchase_order_id).toBe('PO-4');
	});
});

describe('the column mapper in the editor', () => {
	test('its fields are the Create order body, listed without a request and without a credential', async () => {
		const { fields } = await loadOptions('getOrderColumns', { typeVersion: 2, credentials: undefined });
		expect(fields.map((field) => field.id).sort()).toEqual(
			['address', 'address_details', 'business_name', 'client_id', 'devices', 'email', 'first_name', 'last_name', 'notes', 'phone', 'purchase_order_id', 'sku_id', 'time_windows'].sort(),
		);
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['address', 'phone']);
		expect((await sandbox.state()).log).toEqual([]);
	});

	test('version 2 shows the mapper and the SKU pickers, version 1 its own fields', () => {
		const { description } = nodeTypes.getByNameAndVersion(HELLOTECH_TYPE);
		const shown = (typeVersion, mapping = 'defineBelow') => {
			const node = { typeVersion, parameters: { resource: 'order', operation: 'create', clientType: 'new', mapping } };
			return description.properties
				.filter((property) => NodeHelpers.displayParameter(node.parameters, property, node, description))
				.map((property) => property.name);
		};
		expect(shown(2)).toEqual(expect.arrayContaining(['mapping', 'columns', 'formatsNotice', 'skus', 'shopSkus']));
		// Map Automatically: this node's notice, and no column mapper (whose own notice would say "use an Edit Fields node").
		expect(shown(2, 'auto')).toEqual(expect.arrayContaining(['mapping', 'autoMapNotice', 'skus', 'shopSkus']));
		expect(shown(2, 'auto').filter((name) => ['columns', 'formatsNotice'].includes(name))).toEqual([]);
		expect(shown(2)).not.toEqual(expect.arrayContaining(['firstName']));
		expect(shown(2).filter((name) => ['clientType', 'firstName', 'skuIds', 'timeWindows', 'additionalFields'].includes(name))).toEqual([]);
		expect(shown(1)).toEqual(expect.arrayContaining(['clientType', 'firstName', 'lastName', 'email', 'address', 'phone', 'skuIds', 'purchaseOrderId', 'timeWindows', 'additionalFields']));
		expect(shown(1).filter((name) => ['columns', 'skus'].includes(name))).toEqual([]);
	});

	test('a new version 2 node maps automatically', async () => {
		const result = await run({ resource: 'order', operation: 'create' }, { items: [sheetRow()] });
		expect(result.error).toBeUndefined();
		expect(await bodies()).toEqual([NEW_CLIENT_BODY]);
	});
});

describe('Order → Validate and Options → Check Availability First, on version 2', () => {
	const rows = () => [
		sheetRow({ purchase_order_id: 'OK' }),
		sheetRow({ purchase_order_id: 'NOT-OFFERED', address: '350 5th Ave, New York, NY 10118', sku_id: '10642' }),
		sheetRow({ purchase_order_id: 'ZIP-COLUMN', address: '32 Vassar St, Cambridge, MA', 'ZIP Code': '02139', sku_id: '10641' }),
		sheetRow({ purchase_order_id: 'NO-ZIP', address: '1600 Amphitheatre Pkwy, Mountain View, CA' }),
		sheetRow({ purchase_order_id: 'BAD-EMAIL', 'E-mail': 'maya@example', email: undefined }),
	];

	test('Validate checks each mapped row (a ZIP column too), names version 2 fields and each row, and creates nothing', async () => {
		const result = await run(autoMappedOrder({ operation: 'validate' }), { items: rows() });
		expect(result.error).toBeUndefined();
		// Each answer names its row as the user knows it, also where the order could not be read.
		expect(jsons(result).map(({ item, purchase_order_id, customer }) => [item, purchase_order_id, customer])).toEqual(
			['OK', 'NOT-OFFERED', 'ZIP-COLUMN', 'NO-ZIP', 'BAD-EMAIL'].map((po, item) => [item, po, 'Maya Lopez']),
		);
		expect(jsons(result).map(({ valid, problems, zip }) => ({ valid, problems, zip }))).toEqual([
			{ valid: true, problems: [], zip: '90017' },
			{
				valid: false,
				problems: [{ field: 'SKU IDs', message: 'SKU 10642 (Smart Thermostat Installation) is not offered at ZIP 10118 (Sandbox Metro 101)' }],
				zip: '10118',
			},
			{ valid: true, problems: [], zip: '02139' },
			{
				valid: false,
				problems: [
					{
						field: 'ZIP Code',
						message: 'none found: Address does not end with a 5-digit ZIP code (as in "…, CA 90017"); give it in a ZIP column or in Options → ZIP Code',
					},
				],
				zip: null,
			},
			{ valid: false, problems: [{ field: 'Email (column "E-mail")', message: '"maya@example" is not an email address' }], zip: null },
		]);
		expect(await creates()).toEqual([]);
	});

	test('Check Availability First creates only the rows whose SKUs are offered at their ZIP', async () => {
		const result = await run(autoMappedOrder({ requestOptions: { checkAvailability: true } }), { items: rows(), continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(jsons(result).map((json) => json.error ?? json.purchase_order_id)).toEqual([
			'OK',
			'SKU IDs: SKU 10642 is not offered at ZIP 10118 (Sandbox Metro 101) [item 1: purchase order NOT-OFFERED, Maya Lopez]',
			'ZIP-COLUMN',
			'ZIP Code: none found: Address does not end with a 5-digit ZIP code (as in "…, CA 90017"); give it in a ZIP column or in Options → ZIP Code [item 3: purchase order NO-ZIP, Maya Lopez]',
			'Email (column "E-mail"): "maya@example" is not an email address [item 4: purchase order BAD-EMAIL, Maya Lopez]',
		]);
		expect((await creates()).map((entry) => entry.body.purchase_order_id).sort()).toEqual(['OK', 'ZIP-COLUMN']);
	});

	test('version 2 offers no Validate Only option (added from the list it came switched off, and the run booked); version 1 keeps it', () => {
		const { description } = nodeTypes.getByNameAndVersion(HELLOTECH_TYPE);
		const options = description.properties.find((property) => property.name === 'requestOptions').options;
		const offered = (typeVersion) => {
			const node = { typeVersion, parameters: { resource: 'order', operation: 'create' } };
			return options.filter((option) => NodeHelpers.displayParameter(node.parameters, option, node, description, node.parameters)).map((option) => option.name);
		};
		expect(offered(1)).toContain('validateOnly');
		expect(offered(2)).not.toContain('validateOnly');
		expect(offered(2)).toEqual(expect.arrayContaining(['checkAvailability', 'skipBooked', 'lookBackDays', 'combineRows', 'zip']));
		const operations = description.properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('order'));
		expect(operations.options.find((option) => option.value === 'validate')).toEqual(expect.objectContaining({ name: 'Validate', action: 'Validate an order' }));
	});
});
