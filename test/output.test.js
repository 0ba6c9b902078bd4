'use strict';
// Simplify (version 2 of the node and of the trigger) and, as an AI Agent tool, Output: through
// n8n's engine against the sandbox over HTTP.
const path = require('path');

const { sandbox, run, jsons, credentials } = require('./helpers');
const { nodeTypes, HELLOTECH_TYPE, HELLOTECH_TOOL_TYPE, TRIGGER_TYPE, NodeHelpers, pollTrigger, testTrigger, runTools } = require('./harness/engine');

const { SIMPLE_ORDER_FIELDS, simplifyOrder } = require(path.join(__dirname, '..', 'dist', 'nodes', 'HelloTech', 'helpers', 'output.js'));

const getMany = (overrides = {}) => ({ resource: 'order', operation: 'getAll', returnAll: true, ...overrides });
const getOrder = (id, overrides = {}) => ({ resource: 'order', operation: 'get', orderId: { __rl: true, mode: 'id', value: String(id) }, ...overrides });

/** What Simplify must give for a sandbox order (its stored fields), worked out here from the stored order. */
const expectedSimple = (order) => ({
	id: order.id,
	status: order.status_label,
	client_name: order.client_name,
	email: order.email,
	address: order.address,
	service_description: order.service_description,
	appointment_start: order.appointment_start_date_time,
	created_at: order.created_at.iso,
	purchase_order_id: order.purchase_order_id,
	tags: order.tags,
	order_summary_url: order.order_summary_url,
});

/** The sandbox's orders as the API shows them (without the control API's extra status_code), oldest first. */
const storedOrders = async () => (await sandbox.state()).orders.map(({ status_code, ...order }) => order);
/** The same, as Get Many lists them by default: newest first. */
const listedOrders = async () => (await storedOrders()).reverse();

let ids;
beforeEach(async () => {
	await sandbox.reset();
	({ ids } = await sandbox.seedOrders([
		{ statusCode: 2, tags: ['store-42'], purchase_order_id: 'PO-1', appointmentMs: Date.UTC(2031, 4, 6, 16) },
		{ statusCode: 13, tags: [], purchase_order_id: 'PO-2' },
		{ statusCode: 0, tags: ['vip', 'store-42'] },
	]));
});

describe('Simplify (version 2)', () => {
	test('Get Many returns the eleven documented fields per order by default', async () => {
		const result = await run(getMany(), { typeVersion: 2 });
		expect(result.error).toBeUndefined();
		const orders = await listedOrders();
		expect(jsons(result)).toEqual(orders.map(expectedSimple));
		for (const order of jsons(result)) expect(Object.keys(order)).toEqual([...SIMPLE_ORDER_FIELDS]);
		expect(jsons(result)[2]).toEqual(expect.objectContaining({ status: 'Assigned', appointment_start: '2031-05-06T16:00:00.000Z' }));
		expect(jsons(result)[1].status).toBe('Late Tech');
		// The raw orders have almost three times as many fields.
		expect(Object.keys(orders[0]).length).toBeGreaterThan(2.5 * SIMPLE_ORDER_FIELDS.length);
	});

	test('Get Many with Simplify off returns every field, as version 1 does', async () => {
		const v2 = await run(getMany({ simplify: false }), { typeVersion: 2 });
		const v1 = await run(getMany(), { typeVersion: 1 });
		expect(jsons(v2)).toEqual(await listedOrders());
		expect(jsons(v1)).toEqual(jsons(v2));
	});

	test('version 1 has no Simplify: its output stays raw whatever the parameters say', async () => {
		const result = await run(getMany({ simplify: true }), { typeVersion: 1 });
		expect(jsons(result)).toEqual(await listedOrders());
	});

	test('Get: simplified by default, raw with Simplify off', async () => {
		const [order] = await storedOrders();
		expect(jsons(await run(getOrder(ids[0]), { typeVersion: 2 }))).toEqual([expectedSimple(order)]);
		expect(jsons(await run(getOrder(ids[0], { simplify: false }), { typeVersion: 2 }))).toEqual([order]);
	});

	test('an order as the docs show it (camelCase keys, numeric status) is simplified too', () => {
		const order = { id: 432873, status: 2, clientName: 'Client Name', createdAt: { integer: 1728427930, iso: '2024-10-08T22:52:10Z' }, appointment_start: { integer: 1730649600 } };
		expect(simplifyOrder(order)).toEqual({
			id: 432873,
			status: 'Assigned',
			client_name: 'Client Name',
			email: null,
			address: null,
			service_description: null,
			appointment_start: '2024-11-03T16:00:00.000Z',
			created_at: '2024-10-08T22:52:10Z',
			purchase_order_id: null,
			tags: null,
			order_summary_url: null,
		});
	});
});

describe('Simplify given by an expression', () => {
	test('Get Many reads the text "false" as off and "true" as on; anything else names the field and the item', async () => {
		const off = await run(getMany({ simplify: '={{ "false" }}' }), { typeVersion: 2 });
		expect(off.error).toBeUndefined();
		expect(jsons(off)).toEqual(await listedOrders());
		const on = await run(getMany({ simplify: '={{ "TRUE" }}' }), { typeVersion: 2 });
		expect(jsons(on)).toEqual((await listedOrders()).map(expectedSimple));
		const bad = await run(getMany({ simplify: '={{ "maybe" }}' }), { typeVersion: 2 });
		expect(bad.error.message).toBe('Simplify: must be true or false, got "maybe" [item 0]');
	});

	test('the trigger reads the text "true" as on', async () => {
		const result = await testTrigger({ event: 'newOrder', simplify: '={{ "true" }}' }, { credentials: credentials(), nodeName: 'HelloTech Trigger', typeVersion: 2 });
		expect(result.error).toBeUndefined();
		const newest = (await storedOrders())[2];
		expect(result.output.map((item) => item.json)).toEqual([{ ...expectedSimple(newest), event: 'newOrder', status_code: 0 }]);
	});
});

describe('Output, as an AI Agent tool (version 2)', () => {
	const tool = (parameters) => [{ name: 'Orders', parameters: { resource: 'order', operation: 'getAll', returnAll: true, ...parameters } }];
	const answer = async (parameters) => {
		const { calls } = await runTools(tool(parameters), { credentials: credentials(), calls: [{ tool: 'Orders', args: {} }] });
		return calls[0];
	};

	test('Simplified is the default: the model reads eleven fields per order', async () => {
		const call = await answer({});
		expect(call.answer).toEqual((await listedOrders()).map(expectedSimple));
	});

	test('Raw gives every field', async () => {
		expect((await answer({ output: 'raw' })).answer).toEqual(await listedOrders());
	});

	test('Selected Fields gives the ID and the fields named, as HelloTech names them (either spelling)', async () => {
		const call = await answer({ output: 'fields', fields: 'status_label, orderSummaryUrl, tags, not_a_field' });
		expect(call.answer).toEqual(
			(await listedOrders()).map((order) => ({ id: order.id, status_label: order.status_label, orderSummaryUrl: order.order_summary_url, tags: order.tags })),
		);
	});

	test('Selected Fields without fields is an error that says what to do', async () => {
		expect((await answer({ output: 'fields', fields: ' ' })).error).toBe('Fields: name at least one order field, e.g. status [item 0]');
	});

	test('Get as a tool is simplified too', async () => {
		const { calls } = await runTools([{ name: 'Order', parameters: getOrder(ids[2]) }], { credentials: credentials(), calls: [{ tool: 'Order', args: {} }] });
		expect(calls[0].answer).toEqual([expectedSimple((await storedOrders())[2])]);
	});
});

describe('which of Simplify and Output the editor shows', () => {
	/** The parameters n8n keeps for a node of `type` and `version` (those displayed, with their defaults). */
	const shown = (type, version, parameters) => {
		const { description } = nodeTypes.getByNameAndVersion(type);
		const node = { name: 'n', type, typeVersion: version, position: [0, 0], parameters };
		return Object.keys(NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description));
	};

	test.each([
		[HELLOTECH_TYPE, 2, ['simplify'], ['output', 'fields']],
		[HELLOTECH_TOOL_TYPE, 2, ['output'], ['simplify', 'fields']],
		[HELLOTECH_TYPE, 1, [], ['simplify', 'output', 'fields']],
		[HELLOTECH_TOOL_TYPE, 1, [], ['simplify', 'output', 'fields']],
	])('%s version %d shows %j and not %j', (type, version, present, absent) => {
		for (const operation of ['get', 'getAll']) {
			const keys = shown(type, version, { resource: 'order', operation });
			for (const name of present) expect(keys).toContain(name);
			for (const name of absent) expect(keys).not.toContain(name);
		}
	});

	test('Fields shows only with Output: Selected Fields', () => {
		expect(shown(HELLOTECH_TOOL_TYPE, 2, { resource: 'order', operation: 'getAll', output: 'fields' })).toContain('fields');
	});
});

describe('HelloTech Trigger version 2: Simplify', () => {
	const NODE = 'HelloTech Trigger';
	const activateAndAdd = async (parameters, typeVersion) => {
		const first = await pollTrigger(parameters, { credentials: credentials(), nodeName: NODE, typeVersion });
		expect(first.error).toBeUndefined();
		const { ids: added } = await sandbox.seedOrders([{ createdAtMs: Date.now() + 1000, purchase_order_id: 'PO-NEW', tags: ['web'] }]);
		const second = await pollTrigger(parameters, { credentials: credentials(), nodeName: NODE, typeVersion, staticData: first.staticData });
		expect(second.error).toBeUndefined();
		const order = (await storedOrders()).find((candidate) => candidate.id === added[0]);
		return { order, items: second.items.map((item) => item.json) };
	};

	test('New Order emits the simplified order plus the event fields by default', async () => {
		const { order, items } = await activateAndAdd({ event: 'newOrder' }, 2);
		expect(items).toEqual([{ ...expectedSimple(order), event: 'newOrder', status_code: 0 }]);
	});

	test('with Simplify off, and in version 1, it emits the whole order as before', async () => {
		const v2 = await activateAndAdd({ event: 'newOrder', simplify: false }, 2);
		expect(v2.items).toEqual([{ ...v2.order, event: 'newOrder', status_code: 0 }]);
		await sandbox.reset();
		const v1 = await activateAndAdd({ event: 'newOrder', simplify: true }, 1);
		expect(v1.items).toEqual([{ ...v1.order, event: 'newOrder', status_code: 0 }]);
	});

	test('a test run (Fetch Test Event) shows the simplified order too', async () => {
		const result = await testTrigger({ event: 'statusChanged' }, { credentials: credentials(), nodeName: NODE, typeVersion: 2 });
		expect(result.error).toBeUndefined();
		const newest = (await storedOrders())[2];
		expect(result.output.map((item) => item.json)).toEqual([
			{ ...expectedSimple(newest), event: 'statusChanged', status_code: 0, previous_status: null, previous_status_code: null },
		]);
	});

	test('the trigger offers versions 1 and 2, and new triggers get version 2', () => {
		const { description } = nodeTypes.getByNameAndVersion(TRIGGER_TYPE);
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});
});
