'use strict';
/**
 * Map Automatically's reading rules one by one (the corpus shows them on real exports): Shop SKUs,
 * line items, names, address groups, hints. The rules through the pure pipeline; Shop SKUs and the
 * hint through the engine against the sandbox.
 */
const path = require('path');

const { sandbox, run, jsons } = require('./helpers');
const { sheetRow } = require('./fixtures');

const mapper = require(path.join(__dirname, '..', 'dist', 'nodes', 'HelloTech', 'actions', 'order', 'orderMapper.js'));

const context = (shopSkus = {}) => ({
	timezone: 'America/Los_Angeles',
	shopSkus: new Map(Object.entries(shopSkus).map(([key, id]) => [mapper.shopSkuKey(key), id])),
	pickedSkus: () => [],
});
const read = (json, shopSkus) => mapper.orderFromItem(json, context(shopSkus));
const refusal = (json, shopSkus) => {
	try {
		read(json, shopSkus);
	} catch (error) {
		return error.message;
	}
	return 'not refused';
};
const PERSON = { email: 'maya@example.com', phone: '3105550123', sku_id: '10639' };
const ADDRESS = { address: '719 Flower St, Los Angeles, CA 90017' };

describe('names', () => {
	test.each([
		['Maya Lopez', ['Maya', 'Lopez']],
		['Lopez, Maya', ['Maya', 'Lopez']],
		['Maya J. Lopez', ['Maya J.', 'Lopez']],
		['  Maya   Lopez ', ['Maya', 'Lopez']],
	])('a full name %j is split into first and last', (name, [first, last]) => {
		const { body } = read({ 'Full Name': name, ...PERSON, ...ADDRESS });
		expect([body.first_name, body.last_name]).toEqual([first, last]);
	});

	test.each([
		['Maya', 'First Name and Last Name (column "Customer"): "Maya" is one name: a new client needs a first and a last name'],
		['Maria de la Cruz', 'First Name and Last Name (column "Customer"): "Maria de la Cruz" can be split into first and last name more than one way'],
	])('%j is refused, naming the column', (name, message) => {
		expect(refusal({ Customer: name, ...PERSON, ...ADDRESS })).toBe(message);
	});

	test('First and Last Name columns win over a full name; a Client ID needs no name at all', () => {
		expect(read({ 'First Name': 'Maya', 'Last Name': 'Lopez', Customer: 'M. Lopez', ...PERSON, ...ADDRESS }).body.first_name).toBe('Maya');
		expect(read({ client_id: '42', Customer: 'Maria de la Cruz', ...PERSON, ...ADDRESS }).body).toEqual({ client_id: 42, ...ADDRESS, phone: '3105550123', sku_id: [10639] });
	});
});

describe('one address group, used whole', () => {
	const person = { first_name: 'Maya', last_name: 'Lopez', ...PERSON };

	test('a shipping address whose street is empty gives way to the billing one, whole', () => {
		const { body, unread } = read({
			...person,
			'Shipping Address1': '',
			'Shipping City': 'Pasadena',
			'Billing Address1': '719 Flower St',
			'Billing City': 'Los Angeles',
			'Billing State': 'CA',
			'Billing Zip': '90017',
		});
		expect(body.address).toBe('719 Flower St, Los Angeles, CA 90017');
		expect(unread).toEqual(['Shipping City']);
	});

	test('two streets in one group are refused, naming both', () => {
		expect(refusal({ ...person, 'Shipping Address1': '1 Main St', 'Ship Address1': '2 Main St' })).toBe(
			'Address: the item\'s columns "Shipping Address1" and "Ship Address1" both give it, with different values',
		);
	});

	test('a service address (no prefix) comes before the shipping one', () => {
		const { body, unread } = read({ ...person, Address: '719 Flower St', City: 'Los Angeles', State: 'CA', ZIP: '90017', 'Shipping Address1': '1 Main St' });
		expect(body.address).toBe('719 Flower St, Los Angeles, CA 90017');
		expect(unread).toEqual(['Shipping Address1']);
	});
});

describe('line items and Shop SKUs', () => {
	const woo = (items) => ({
		number: '901',
		billing: { first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com', phone: '3105550123', address_1: '719 Flower St', city: 'Los Angeles', state: 'CA', postcode: '90017' },
		line_items: items,
	});

	test("every line item of an n8n WooCommerce item is booked: each SKU translated, a product without SKU by its name", () => {
		const { body } = read(woo([{ sku: 'HT-TVM-55', name: 'TV', quantity: 1 }, { sku: '', name: 'Wi-Fi Setup', quantity: 1 }, { sku: '10642', quantity: 1 }]), {
			'ht-tvm-55': 10639,
			'Wi-Fi Setup': 10641,
		});
		expect(body.sku_id).toEqual([10639, 10641, 10642]);
		expect(body.purchase_order_id).toBe('901');
	});

	test('a quantity other than 1 is named, each SKU being booked once', () => {
		const { body, unread } = read(woo([{ sku: '10639', quantity: 2 }]));
		expect(body.sku_id).toEqual([10639]);
		expect(unread).toEqual(['line_items[0].quantity']);
	});

	test('a product without SKU nor Shop SKU is refused by name', () => {
		expect(refusal(woo([{ sku: '', name: 'Projector mounting', quantity: 1 }]))).toBe(
			'SKU IDs (column "line_items[0].name"): the product "Projector mounting" has no SKU and is not one of the Shop SKUs',
		);
	});

	test('a SKU IDs column takes Shop SKUs too; the shop SKU columns beside it are named, not mixed in', () => {
		const { body, unread } = read({ first_name: 'Maya', last_name: 'Lopez', ...ADDRESS, ...PERSON, sku_id: 'HT-TVM-55, 10641', 'Lineitem sku': 'HT-OTHER' }, { 'HT-TVM-55': 10639 });
		expect(body.sku_id).toEqual([10639, 10641]);
		expect(unread).toEqual(['Lineitem sku']);
	});
});

describe('through the engine', () => {
	beforeEach(() => sandbox.reset());
	const shopSkus = (...entries) => ({ shopSkus: { sku: entries.map(([shopSku, id]) => ({ shopSku, id: { __rl: true, mode: 'id', value: id } })) } });

	test('Shop SKUs apply under Map Each Field Below too, and may be expressions', async () => {
		const result = await run(
			{
				resource: 'order',
				operation: 'create',
				mapping: 'defineBelow',
				columns: { mappingMode: 'defineBelow', value: { first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com', address: 'x', phone: '3105550123', sku_id: '={{ $json.sku }}' }, matchingColumns: [], schema: [] },
				...shopSkus(['={{ $json.shopSku }}', '10641']),
			},
			{ typeVersion: 2, items: [{ sku: 'ht-wifi', shopSku: 'HT-WIFI' }] },
		);
		expect(result.error).toBeUndefined();
		expect((await sandbox.state()).log.find((entry) => entry.method === 'POST').body.sku_id).toEqual([10641]);
	});

	test.each([
		[[['HT-TVM-55', '10639'], [' ht-tvm-55 ', '10641']], 'Shop SKUs → Shop SKU 2: "ht-tvm-55" is listed twice, with different HelloTech SKUs [item 0: purchase order PO-1, Maya Lopez]'],
		[[['', '10639']], 'Shop SKUs → Shop SKU 1: give the shop SKU or product name [item 0: purchase order PO-1, Maya Lopez]'],
		[[['HT-TVM-55', '={{ "TV" }}']], 'Shop SKUs → Shop SKU 1 → HelloTech SKU: must be a positive whole number, got "TV" [item 0: purchase order PO-1, Maya Lopez]'],
	])('a Shop SKUs table that is wrong is refused before sending (%#)', async (entries, message) => {
		const result = await run({ resource: 'order', operation: 'create', ...shopSkus(...entries) }, { typeVersion: 2, items: [sheetRow()] });
		expect(result.error.message).toBe(message);
		expect((await sandbox.state()).log).toEqual([]);
	});

	test('order-looking columns not read are named once per run under the output, whatever the number of rows', async () => {
		const rows = [0, 1, 2].map((i) => sheetRow({ purchase_order_id: `PO-${i}`, 'Start Time': '9:00', 'End Time': '10:00' }));
		const result = await run({ resource: 'order', operation: 'create' }, { typeVersion: 2, items: rows });
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toHaveLength(3);
		expect(result.hints).toEqual([
			{
				type: 'warning',
				location: 'outputPane',
				message: expect.stringMatching(/^Map Automatically did not read "Start Time", "End Time" \(first in item 0\)/),
			},
		]);
	});
});
