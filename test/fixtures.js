'use strict';
/** Node parameters and input rows the tests, the bench and the demo share. */

/** Order → Create for a new client with fixed values; `overrides` replace any parameter. */
const newClientOrder = (overrides = {}) => ({
	resource: 'order',
	operation: 'create',
	clientType: 'new',
	firstName: 'Maya',
	lastName: 'Lopez',
	email: 'maya@example.com',
	address: '719 Flower St, Los Angeles, CA 90017',
	phone: '3105550123',
	skuIds: [10639],
	...overrides,
});

/**
 * Order → Create with every field an expression on the input row, as a spreadsheet-to-order
 * workflow has them. Rows carry first, last, email, address, phone, skus and po (see `row`).
 */
const orderFromRow = (overrides = {}) =>
	newClientOrder({
		firstName: '={{ $json.first }}',
		lastName: '={{ $json.last }}',
		email: '={{ $json.email }}',
		address: '={{ $json.address }}',
		phone: '={{ $json.phone }}',
		skuIds: '={{ $json.skus }}',
		purchaseOrderId: '={{ $json.po }}',
		...overrides,
	});

/** Spreadsheet row `i`: a distinct customer and purchase order ID. */
const row = (i, prefix = 'PO') => ({
	first: 'Maya',
	last: `Lopez ${i}`,
	email: `maya.${i}@example.com`,
	phone: '3105550123',
	address: '719 Flower St, Los Angeles, CA 90017',
	skus: 10639,
	po: `${prefix}-${i}`,
});

/** The Create order body `newClientOrder()` sends, and the row `sheetRow()` gives to Map Automatically. */
const newClientBody = (overrides = {}) => ({
	first_name: 'Maya',
	last_name: 'Lopez',
	email: 'maya@example.com',
	address: '719 Flower St, Los Angeles, CA 90017',
	phone: '3105550123',
	sku_id: [10639],
	...overrides,
});

/**
 * A spreadsheet row whose columns carry HelloTech's own names, for Order → Create version 2 with
 * Map Automatically: its order is `newClientBody({ purchase_order_id })`.
 */
const sheetRow = (overrides = {}) => ({
	first_name: 'Maya',
	last_name: 'Lopez',
	email: 'maya@example.com',
	address: '719 Flower St, Los Angeles, CA 90017',
	phone: '3105550123',
	sku_id: '10639',
	purchase_order_id: 'PO-1',
	...overrides,
});

/** Order → Create version 2 mapping each item's columns automatically; `overrides` replace any parameter. */
const autoMappedOrder = (overrides = {}) => ({
	resource: 'order',
	operation: 'create',
	columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
	...overrides,
});

module.exports = { newClientOrder, orderFromRow, row, newClientBody, sheetRow, autoMappedOrder };
