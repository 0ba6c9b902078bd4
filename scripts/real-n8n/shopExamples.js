'use strict';
/**
 * Two runs of `npm run test:n8n` for Map Automatically and the AI tool (issue 19), beside the
 * examples of examples.js and run the same way:
 * - a Shopify orders export row into Order → Create as the editor adds it (every setting at its
 *   default: Map Automatically), booked with the whole shipping address, the name split, the
 *   order number as Purchase Order ID;
 * - the AI Agent example with one HelloTech Tool, Order → Create as the editor adds it, which the
 *   stand-in model calls with a shop order's details: n8n offers one described argument per order
 *   field, and the tool books the order and answers it simplified.
 * Expectations come from the row and the sandbox's state, never from the workflow's output.
 */
const { nodeNamed } = require('./examples');

const show = (value) => JSON.stringify(value);
/** JSON with each object's keys sorted: two bodies compare by content, not by key order. */
const canonical = (value) =>
	JSON.stringify(value, (_key, inner) =>
		inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
	);
const outputOf = (execution, nodeName) => execution.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
const createBodies = (state) => state.log.filter((entry) => entry.method === 'POST' && entry.path === '/api/partners/orders').map((entry) => entry.body);

/** A row of Shopify's orders export whose line item carries HelloTech's SKU ID as its SKU. */
const SHOPIFY_ROW = {
	Name: '#1001',
	Email: 'maya.lopez@example.com',
	'Financial Status': 'paid',
	'Created at': '2026-11-20 10:02:09 -0800',
	'Lineitem quantity': '1',
	'Lineitem name': 'TV Wall Mounting',
	'Lineitem sku': '10639',
	'Billing Name': 'Maya Lopez',
	'Billing Address1': '1 Main St',
	'Billing City': 'Pasadena',
	'Billing Zip': "'91101",
	'Billing Province': 'CA',
	'Billing Country': 'US',
	'Shipping Name': 'Maya Lopez',
	'Shipping Street': '719 Flower St Apt 4',
	'Shipping Address1': '719 Flower St',
	'Shipping Address2': 'Apt 4',
	'Shipping City': 'Los Angeles',
	'Shipping Zip': "'90017",
	'Shipping Province': 'CA',
	'Shipping Country': 'US',
	'Shipping Phone': '+1 310-555-0123',
	Notes: 'Gate code 1234',
	Id: '5612345678901',
};

const shopRowWithDefaults = {
	label: 'a Shopify export row, Order → Create at its defaults',
	id: 'HtShopRowDefault',
	helloTechNodes: ['Create order'],
	build() {
		return {
			name: 'Shopify export row → HelloTech order (defaults)',
			nodes: [
				{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'a2',
					name: 'Shopify export row',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: { mode: 'raw', jsonOutput: JSON.stringify(SHOPIFY_ROW), options: {} },
				},
				{
					id: 'a3',
					name: 'Create order',
					type: 'n8n-nodes-hellotech.helloTech',
					typeVersion: 2,
					position: [440, 0],
					parameters: { resource: 'order', operation: 'create' },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Shopify export row', type: 'main', index: 0 }]] },
				'Shopify export row': { main: [[{ node: 'Create order', type: 'main', index: 0 }]] },
			},
			settings: {},
		};
	},
	prepare() {},
	async seed(sandbox) {
		await sandbox.reset();
	},
	async verify({ execution, sandbox, check }) {
		const bodies = createBodies(await sandbox.state());
		const expected = {
			first_name: 'Maya',
			last_name: 'Lopez',
			email: 'maya.lopez@example.com',
			address: '719 Flower St, Los Angeles, CA 90017',
			address_details: 'Apt 4',
			phone: '+1 310-555-0123',
			sku_id: [10639],
			purchase_order_id: '#1001',
			notes: 'Gate code 1234',
		};
		check(
			'the row was booked once, with the whole shipping address (not the billing one), the name split and the order number as PO',
			canonical(bodies) === canonical([expected]),
			show(bodies),
		);
		const [created] = outputOf(execution, 'Create order');
		check('Create order put out the created order, paired to the row', created?.json?.purchase_order_id === '#1001' && created?.pairedItem?.item === 0, show(created));
		const hints = execution.data.resultData.runData['Create order']?.[0]?.hints ?? [];
		check(
			'the billing address, not read beside the shipping one, is named under the output',
			hints.some((hint) => /Map Automatically did not read "Billing Address1", "Billing City", "Billing Zip"/.test(hint.message)),
			show(hints),
		);
	},
};

const TOOL = 'Book a technician';
const TOOL_NAME = 'Book_a_technician';

/** The stand-in model's call: a shop order's details, as a model reads them from the conversation. */
const CALL = {
	First_Name: 'Sam',
	Last_Name: 'Ng',
	Email: 'sam.ng@example.com',
	Address: '32 Vassar St, Cambridge, MA 02139',
	Address_Details: 'Unit 2',
	Phone: '(617) 555-0142',
	SKU_IDs: '10641',
	Time_Windows: '2026-12-03 09:00-10:00',
	Purchase_Order_ID: '#2045',
};

const aiAgentBooksShopOrder = {
	file: 'ai-agent.json',
	label: 'booking a shop order through Order → Create as a tool, at its defaults',
	id: 'HtAgentBooks0001',
	helloTechNodes: [],
	toolNodes: [],
	trigger: 'When chat message received',
	usesOpenAi: true,

	prepare(workflow, { openAi, helloTechCredential }) {
		delete nodeNamed(workflow, this.trigger).webhookId;
		Object.assign(nodeNamed(workflow, 'AI Agent').parameters, {
			promptType: 'define',
			text: 'Please book the Wi-Fi setup for Shopify order #2045: Sam Ng, sam.ng@example.com, 32 Vassar St Unit 2, Cambridge MA 02139, (617) 555-0142, Dec 3 9-10am.',
		});
		const model = nodeNamed(workflow, 'OpenAI Chat Model');
		model.parameters.responsesApiEnabled = false;
		model.credentials = { openAiApi: { id: openAi.credentialId, name: 'OpenAI stand-in' } };
		// Only the booking tool: the example's four read-only tools are checked by the run before.
		const readOnly = workflow.nodes.filter((node) => node.type.endsWith('.helloTechTool')).map((node) => node.name);
		workflow.nodes = workflow.nodes.filter((node) => !readOnly.includes(node.name));
		for (const name of readOnly) delete workflow.connections[name];
		workflow.nodes.push({
			id: 'book-tool',
			name: TOOL,
			type: 'n8n-nodes-hellotech.helloTechTool',
			typeVersion: 2,
			position: [600, 300],
			parameters: { resource: 'order', operation: 'create' },
			credentials: helloTechCredential,
		});
		workflow.connections[TOOL] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
		openAi.reply = (body) => this.reply(body);
		this.openAi = openAi;
	},

	async seed(sandbox) {
		await sandbox.reset();
		this.openAi.requests.length = 0;
	},

	reply(body) {
		const results = body.messages.filter((message) => message.role === 'tool');
		if (results.length > 0) return { content: `Booked: ${results.map((message) => message.content).join(' | ')}` };
		return { tool_calls: [{ id: `call_${TOOL_NAME}`, type: 'function', function: { name: TOOL_NAME, arguments: JSON.stringify(CALL) } }] };
	},

	async verify({ sandbox, check }) {
		const { requests } = this.openAi;
		const tool = (requests[0]?.tools ?? []).find((entry) => entry.function.name === TOOL_NAME)?.function;
		const properties = tool?.parameters?.properties ?? {};
		check(
			`n8n offered ${TOOL_NAME} one described argument per order field (${Object.keys(properties).length})`,
			Object.keys(properties).length === 13 && Object.values(properties).every((schema) => schema.type === 'string' && schema.description?.length > 20),
			show(tool),
		);
		check(
			'the SKU IDs and Time Windows arguments say their formats',
			/10639, 10641/.test(properties.SKU_IDs?.description ?? '') && /YYYY-MM-DD HH:MM-HH:MM/.test(properties.Time_Windows?.description ?? ''),
			show([properties.SKU_IDs, properties.Time_Windows]),
		);
		const bodies = createBodies(await sandbox.state());
		check(
			'the tool booked the order the model gave, its window in UTC',
			canonical(bodies) ===
				canonical([
					{
						first_name: 'Sam',
						last_name: 'Ng',
						email: 'sam.ng@example.com',
						address: '32 Vassar St, Cambridge, MA 02139',
						phone: '(617) 555-0142',
						sku_id: [10641],
						time_windows: [{ start_time: '2026-12-03T09:00:00.000Z', end_time: '2026-12-03T10:00:00.000Z' }],
						purchase_order_id: '#2045',
						address_details: 'Unit 2',
					},
				]),
			show(bodies),
		);
		const answer = (requests[1]?.messages ?? []).find((message) => message.role === 'tool')?.content ?? '';
		let order;
		try {
			order = JSON.parse(answer)[0];
		} catch {
			order = undefined;
		}
		check(
			// The simplified order's 11 fields, and whether its purchase order was booked before (issue #18).
			'the model read the created order simplified: 11 fields and alreadyBooked: false, no token',
			order && Object.keys(order).length === 12 && order.alreadyBooked === false && order.purchase_order_id === '#2045' && !/token/.test(answer),
			answer.slice(0, 400),
		);
	},
};

module.exports = { shopExamples: [shopRowWithDefaults, aiAgentBooksShopOrder] };
