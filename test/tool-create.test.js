'use strict';
// Order → Create as an AI Agent tool (the HelloTech Tool twin n8n makes): one described argument
// per order field, as ✨ would give it, the created order answered Simplified, and a call that
// leaves out a field it needs answered with the field's name. Through n8n-core's own tool
// building (createNodeAsTool) and the engine, against the sandbox.
const { sandbox, credentials } = require('./helpers');
const { runTools } = require('./harness/engine');

const createTool = (parameters = {}) => ({ name: 'Book a technician', parameters: { resource: 'order', operation: 'create', ...parameters } });
const useCreate = (calls, parameters) => runTools([createTool(parameters)], { credentials: credentials(), calls });
const creates = async () => (await sandbox.state()).log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders');

const CALL = {
	First_Name: 'Maya',
	Last_Name: 'Lopez',
	Email: 'maya@example.com',
	Address: '719 Flower St, Los Angeles, CA 90017',
	Phone: '(310) 555-0123',
	SKU_IDs: '10639, 10641',
	Time_Windows: '2026-12-01 09:00-10:00; 2026-12-02 14:00-15:00',
	Purchase_Order_ID: '#1001',
};

beforeEach(() => sandbox.reset());

describe('Order → Create as an AI Agent tool', () => {
	test('offers one described argument per order field, the formats of SKU IDs and Time Windows included', async () => {
		const { tools } = await useCreate([]);
		const [tool] = tools;
		expect(tool.name).toBe('Book_a_technician');
		expect(Object.keys(tool.schema.properties).sort()).toEqual(
			['Address', 'Address_Details', 'Business_Name', 'Client_ID', 'Devices', 'Email', 'First_Name', 'Last_Name', 'Notes', 'Phone', 'Purchase_Order_ID', 'SKU_IDs', 'Time_Windows'].sort(),
		);
		// Every argument may be left out: the node itself answers naming what is missing (below).
		expect(tool.schema.required).toBeUndefined();
		for (const key of ['Address', 'Phone', 'SKU_IDs']) expect(tool.schema.properties[key].description).toMatch(/^Required\. /);
		for (const [key, schema] of Object.entries(tool.schema.properties)) {
			expect([key, schema.type, schema.description.length > 20]).toEqual([key, 'string', true]);
		}
		expect(tool.schema.properties.SKU_IDs.description).toMatch(/whole numbers, comma-separated, e\.g\. 10639, 10641/);
		expect(tool.schema.properties.Time_Windows.description).toMatch(/YYYY-MM-DD HH:MM-HH:MM.*e\.g\. 2026-12-01 09:00-10:00/);
	});

	test('a call books the order and answers the simplified order, nothing secret in it', async () => {
		const { calls } = await useCreate([{ tool: 'Book_a_technician', args: CALL }]);
		const [call] = calls;
		expect(call.error).toBeUndefined();
		const [body] = (await creates()).map((entry) => entry.body);
		expect(body).toEqual({
			first_name: 'Maya',
			last_name: 'Lopez',
			email: 'maya@example.com',
			address: '719 Flower St, Los Angeles, CA 90017',
			phone: '(310) 555-0123',
			sku_id: [10639, 10641],
			// The workflow's zone: America/Los_Angeles, PST in December.
			time_windows: [
				{ start_time: '2026-12-01T17:00:00.000Z', end_time: '2026-12-01T18:00:00.000Z' },
				{ start_time: '2026-12-02T22:00:00.000Z', end_time: '2026-12-02T23:00:00.000Z' },
			],
			purchase_order_id: '#1001',
		});
		expect(call.answer).toHaveLength(1);
		// The simplified fields, and whether the purchase order was booked before (Skip Orders Already Booked).
		expect(Object.keys(call.answer[0]).sort()).toEqual(
			['id', 'status', 'client_name', 'email', 'address', 'service_description', 'appointment_start', 'created_at', 'purchase_order_id', 'tags', 'order_summary_url', 'alreadyBooked'].sort(),
		);
		expect(call.answer[0].alreadyBooked).toBe(false);
		expect(JSON.stringify(call.answer)).not.toMatch(/token|secret|ephemeral/);
	});

	test('Output → Selected Fields picks the fields from a list of the order fields', async () => {
		const { calls } = await useCreate([{ tool: 'Book_a_technician', args: CALL }], { output: 'fields', fields: ['status', 'order_summary_url'] });
		expect(Object.keys(calls[0].answer[0])).toEqual(['id', 'status', 'order_summary_url', 'alreadyBooked']);
	});

	test('a call that leaves out a field the order needs is answered with its name; nothing is booked', async () => {
		const { Phone: _phone, ...withoutPhone } = CALL;
		const { First_Name: _first, ...withoutFirstName } = CALL;
		const { calls } = await useCreate([
			{ tool: 'Book_a_technician', args: withoutPhone },
			{ tool: 'Book_a_technician', args: withoutFirstName },
			{ tool: 'Book_a_technician', args: { ...CALL, SKU_IDs: 'TV mounting' } },
		]);
		expect(calls[0].error).toBe('Phone: is required [item 0]');
		expect(calls[1].error).toBe('First Name: is required for a new client (or give a Client ID) [item 0]');
		expect(calls[2].error).toBe('SKU IDs: "TV mounting" is not a positive whole number ID [item 0]');
		expect(await creates()).toEqual([]);
	});
});
