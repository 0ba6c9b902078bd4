'use strict';
/**
 * Order → Create as a new user adds it today: version 2, Map Automatically, every option at its
 * default (Max Concurrent Requests 20). The rows carry HelloTech's own field names, as a sheet
 * made for it does.
 */
const path = require('path');

const fixtures = require('../../test/fixtures');

const ROOT = path.resolve(__dirname, '..', '..');

/** The node's parameters, with the mapper's schema as the editor saves it (from the built node's own method). */
async function createOrderV2() {
	const { HelloTech } = require(path.join(ROOT, 'dist', 'nodes', 'HelloTech', 'HelloTech.node.js'));
	const helloTech = new HelloTech();
	const columns = helloTech.description.properties.find((property) => property.name === 'columns' && property.type === 'resourceMapper');
	const method = columns.typeOptions.resourceMapper.resourceMapperMethod;
	const { fields: schema } = await helloTech.methods.resourceMapping[method].call({});
	return {
		typeVersion: 2,
		parameters: { resource: 'order', operation: 'create', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema }, requestOptions: {} },
	};
}

/** Sheet row `i` with purchase order ID `<prefix>-<i>`. */
const orderRow = (i, prefix) =>
	fixtures.sheetRow({ last_name: `Lopez ${i}`, email: `maya.${i}@example.com`, sku_id: '10639', purchase_order_id: `${prefix}-${i}` });

module.exports = { createOrderV2, orderRow };
