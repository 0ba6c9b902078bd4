'use strict';
/**
 * Node versions: new nodes get the latest version; a workflow saved with version 1 runs as it
 * always did. Each version-specific behaviour has its own test in the suite of its operation;
 * this file checks the version plumbing itself.
 */
const { nodeTypes, HELLOTECH_TYPE } = require('./harness/engine');
const { sandbox, run, jsons } = require('./helpers');
const { newClientOrder } = require('./fixtures');

beforeEach(() => sandbox.reset());

test('the node offers versions 1 and 2, and new nodes get version 2', () => {
	const { description } = nodeTypes.getByNameAndVersion(HELLOTECH_TYPE);
	expect(description.version).toEqual([1, 2]);
	expect(description.defaultVersion).toBe(2);
});

test('a version 1 workflow creates an order exactly as before', async () => {
	const result = await run(newClientOrder({ purchaseOrderId: 'PO-V1' }), { typeVersion: 1 });
	expect(result.error).toBeUndefined();
	expect(jsons(result)).toHaveLength(1);
	const [create] = (await sandbox.state()).log.filter((entry) => entry.method === 'POST');
	expect(create.body).toEqual({
		first_name: 'Maya',
		last_name: 'Lopez',
		email: 'maya@example.com',
		address: '719 Flower St, Los Angeles, CA 90017',
		phone: '3105550123',
		sku_id: [10639],
		purchase_order_id: 'PO-V1',
	});
});
