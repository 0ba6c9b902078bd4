'use strict';
// Every field accepts only what it means, through n8n's engine: text fields refuse objects and
// lists (numbers and booleans become text), number and choice fields refuse anything else, list
// fields take lists or comma-separated text; each refusal names the field and the item, and
// nothing is sent. Nothing ever reaches HelloTech as "[object Object]" or a joined list.
const { sandbox, run, credentials, expectRefusedBeforeSending } = require('./helpers');
const { pollTrigger } = require('./harness/engine');
const { newClientOrder } = require('./fixtures');

const client = (operation, overrides = {}) => ({ resource: 'client', operation, ...overrides });
const getMany = (filters, overrides = {}) => ({ resource: 'order', operation: 'getAll', filters, ...overrides });

const OBJECT = '={{ { text: "ring twice" } }}';
const LIST = '={{ ["A", "B"] }}';

beforeEach(() => sandbox.reset());

describe('text fields refuse objects and lists', () => {
	/** [field label, parameters with the field set to `value`] */
	const textFields = [
		['First Name', (value) => newClientOrder({ firstName: value })],
		['Last Name', (value) => newClientOrder({ lastName: value })],
		['Email', (value) => newClientOrder({ email: value })],
		['Address', (value) => newClientOrder({ address: value })],
		['Phone', (value) => newClientOrder({ phone: value })],
		['Purchase Order ID', (value) => newClientOrder({ purchaseOrderId: value })],
		['Address Details', (value) => newClientOrder({ additionalFields: { addressDetails: value } })],
		['Business Name', (value) => newClientOrder({ additionalFields: { businessName: value } })],
		['Notes', (value) => newClientOrder({ additionalFields: { notes: value } })],
		['Email', (value) => client('create', { email: value })],
		['External ID', (value) => client('create', { email: 'a@example.com', additionalFields: { externalId: value } })],
		['First Name', (value) => client('create', { email: 'a@example.com', additionalFields: { firstName: value } })],
		['Last Name', (value) => client('update', { clientId: '7001', email: 'a@example.com', updateFields: { lastName: value } })],
		['Full Address', (value) => client('update', { clientId: '7001', email: 'a@example.com', updateFields: { fullAddress: value } })],
		['Phone', (value) => client('create', { email: 'a@example.com', additionalFields: { phone: value } })],
	];
	const cases = textFields.flatMap(([label, build]) => [
		[`${build('x').resource} ${build('x').operation}: ${label} from an object`, build(OBJECT), `${label}: must be text, got {"text":"ring twice"} [item 0]`],
		[`${build('x').resource} ${build('x').operation}: ${label} from a list`, build(LIST), `${label}: must be text, got ["A","B"] [item 0]`],
	]);

	test.each(cases)('%s', async (_name, parameters, message) => {
		await sandbox.addClient({ email: 'a@example.com' }); // 7001, for Update
		await expectRefusedBeforeSending(await run(parameters), message);
	});
});

describe('list fields take lists or comma-separated text of texts', () => {
	test.each([
		['Devices', newClientOrder({ additionalFields: { devices: '={{ ["TV", { model: "iPhone" }] }}' } }), 'Devices: each entry must be text, got {"model":"iPhone"} [item 0]'],
		['Devices', newClientOrder({ additionalFields: { devices: '={{ { model: "iPhone" } }}' } }), 'Devices: must be a list or comma-separated text, got {"model":"iPhone"} [item 0]'],
		['Tags (Count by Tag)', { resource: 'order', operation: 'countByTag', tags: '={{ [{ tag: "a" }] }}' }, 'Tags: each entry must be text, got {"tag":"a"} [item 0]'],
		['Tags (Get Many)', getMany({ tags: '={{ ["a", ["b"]] }}' }), 'Tags: each entry must be text, got ["b"] [item 0]'],
		['Statuses', getMany({ statuses: '={{ [{ code: 2 }] }}' }), 'Statuses: each entry must be text, got {"code":2} [item 0]'],
		['SKU Names or IDs', newClientOrder({ skuIds: '={{ [{ id: 10639 }] }}' }), 'SKU Names or IDs: {"id":10639} is not a positive whole number ID [item 0]'],
	])('%s', async (_name, parameters, message) => {
		await expectRefusedBeforeSending(await run(parameters), message);
	});
});

describe('numbers, IDs, choices and switches accept only what they mean', () => {
	test.each([
		['Order ID left empty by an expression', { resource: 'order', operation: 'get', orderId: '={{ $json.orderId }}' }, 'Order ID: is required [item 0]'],
		['Order ID from an object', { resource: 'order', operation: 'get', orderId: '={{ { id: 432001 } }}' }, 'Order ID: must be a positive whole number, got {"id":432001} [item 0]'],
		['Client ID from an object', client('get', { clientId: '={{ { id: 7001 } }}' }), 'Client ID: must be a positive whole number, got {"id":7001} [item 0]'],
		[
			'Client ID of an existing client from a list',
			newClientOrder({ clientType: 'existing', clientId: '={{ [7001] }}' }),
			'Client ID: must be a positive whole number, got [7001] [item 0]',
		],
		['the Client ID filter from an object', getMany({ clientId: '={{ { id: 7001 } }}' }), 'Client ID: must be a positive whole number, got {"id":7001} [item 0]'],
		['Order By from an object', getMany({ orderBy: '={{ { by: "created_at" } }}' }), 'Order By: must be "appointment" or "created_at", got {"by":"created_at"} [item 0]'],
		['an unknown Order By', getMany({ orderBy: '={{ "price" }}' }), 'Order By: must be "appointment" or "created_at", got "price" [item 0]'],
		['an unknown Sort', getMany({ sort: '={{ "up" }}' }), 'Sort: must be "ASC" or "DESC", got "up" [item 0]'],
		['a From from an object', getMany({ from: '={{ { day: 1 } }}' }), 'From: {"day":1} is not a date (use YYYY-MM-DD, MM-DD-YYYY or an ISO date-time) [item 0]'],
		['Return All from text', getMany({}, { returnAll: '={{ "yes" }}' }), 'Return All: must be true or false, got "yes" [item 0]'],
		['a Limit that is no number', getMany({}, { limit: '={{ "many" }}' }), 'Limit: must be a positive whole number, got "many" [item 0]'],
		['a ZIP Code from an object', { resource: 'sku', operation: 'checkZip', sku: { __rl: true, mode: 'id', value: '10639' }, zip: '={{ { zip: "90017" } }}' }, 'ZIP Code: must be text, got {"zip":"90017"} [item 0]'],
		['a Timeout that is no number', getMany({}, { requestOptions: { timeout: '={{ "soon" }}' } }), 'Timeout: must be a whole number of at least 1000, got "soon" [item 0]'],
		['Max Concurrent Requests from an object', getMany({}, { requestOptions: { maxConcurrent: '={{ { n: 5 } }}' } }), 'Max Concurrent Requests: must be a whole number from 1 to 50, got {"n":5} [item 0]'],
		['Max Rate Limit Wait below zero', getMany({}, { requestOptions: { maxRateLimitWait: -1 } }), 'Max Rate Limit Wait: must be a whole number of at least 0, got "-1" [item 0]'],
	])('%s', async (_name, parameters, message) => {
		await expectRefusedBeforeSending(await run(parameters), message);
	});

	test('Return All given as the text "false" by an expression reads a Limit, as meant', async () => {
		await sandbox.seedOrders({ count: 30 });
		const result = await run(getMany({}, { returnAll: '={{ "false" }}', limit: 5 }));
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(5);
	});
});

describe('numbers and booleans in text fields become text', () => {
	test('Order → Create', async () => {
		const result = await run(
			newClientOrder({
				firstName: '={{ 12 }}',
				purchaseOrderId: '={{ 1234 }}',
				additionalFields: { addressDetails: '={{ 4 }}', businessName: '={{ 42 }}', devices: '={{ [1, true, "TV"] }}', notes: '={{ true }}' },
			}),
		);
		expect(result.error).toBeUndefined();
		const [sent] = (await sandbox.state()).log.filter((entry) => entry.method === 'POST');
		expect(sent.body).toMatchObject({
			first_name: '12',
			purchase_order_id: '1234',
			address_details: '4',
			business_name: '42',
			devices: ['1', 'true', 'TV'],
			notes: 'true',
		});
		expect(JSON.stringify(sent.body)).not.toContain('[object Object]');
	});

	test('Client → Create', async () => {
		const result = await run(client('create', { email: 'a@example.com', additionalFields: { externalId: '={{ 99 }}', lastName: '={{ false }}' } }));
		expect(result.error).toBeUndefined();
		expect((await sandbox.state()).log[0].body).toEqual({ email: 'a@example.com', external_id: '99', last_name: 'false' });
	});
});

describe('HelloTech Trigger fields', () => {
	test('Tags from an object: the poll fails naming the field, and nothing is stored or sent', async () => {
		const result = await pollTrigger({ event: 'newOrder', tags: '={{ { tag: "vip" } }}' }, { credentials: credentials(), nodeName: 'HelloTech Trigger' });
		expect(result.error.message).toBe('Tags: must be a list or comma-separated text, got {"tag":"vip"}');
		expect(result.staticData['node:HelloTech Trigger']).toBeUndefined();
		expect((await sandbox.state()).log).toEqual([]);
	});

	test('Tags with an object among them', async () => {
		const result = await pollTrigger({ event: 'newOrder', tags: '={{ ["vip", { tag: "x" }] }}' }, { credentials: credentials(), nodeName: 'HelloTech Trigger' });
		expect(result.error.message).toBe('Tags: each entry must be text, got {"tag":"x"}');
		expect((await sandbox.state()).log).toEqual([]);
	});
});
