'use strict';
/**
 * Node versions: new nodes get the latest version; a workflow saved with version 1 runs as it
 * always did. Each version-specific behaviour has its own test in the suite of its operation;
 * this file checks the version plumbing itself.
 */
const { nodeTypes, HELLOTECH_TYPE } = require('./harness/engine');
const { sandbox, run, jsons } = require('./helpers');
const { newClientBody, newClientOrder } = require('./fixtures');

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
	expect(create.body).toEqual(newClientBody({ purchase_order_id: 'PO-V1' }));
});

test('version 1 Time Windows cannot be one expression: n8n drops it when it loads the workflow, before the node runs; version 2 reads it', async () => {
	// n8n keeps only the entries of a fixed list: a string in its place becomes {} (NodeHelpers
	// getNodeParameters), so no version 1 node can read it or even see it. Version 2 takes the
	// windows of each row from the column mapper, where an expression keeps its value.
	const items = [{ windows: [{ start: '2025-06-10T09:00:00Z', end: '2025-06-10T10:00:00Z' }] }];
	const v1 = await run(newClientOrder({ timeWindows: '={{ $json.windows }}' }), { typeVersion: 1, items });
	expect(v1.error).toBeUndefined();
	const v2 = await run(
		{
			resource: 'order',
			operation: 'create',
			mapping: 'defineBelow',
			columns: {
				mappingMode: 'defineBelow',
				value: { first_name: 'Maya', last_name: 'Lopez', email: 'maya@example.com', address: 'x', phone: '3105550123', sku_id: '10639', time_windows: '={{ $json.windows }}' },
				matchingColumns: [],
				schema: [],
			},
		},
		{ typeVersion: 2, items },
	);
	expect(v2.error).toBeUndefined();
	const [fromV1, fromV2] = (await sandbox.state()).log.filter((entry) => entry.method === 'POST').map((entry) => entry.body.time_windows);
	expect(fromV1).toBeUndefined();
	expect(fromV2).toEqual([{ start_time: '2025-06-10T09:00:00.000Z', end_time: '2025-06-10T10:00:00.000Z' }]);
});
