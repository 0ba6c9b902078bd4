'use strict';
// The HelloTech node as an AI Agent tool: the tools of examples/ai-agent.json as n8n-core builds
// them for an agent (their names, descriptions and argument schemas, what a model sees), and what
// their calls answer, through n8n's engine against the sandbox over HTTP.
const fs = require('fs');
const path = require('path');

const { sandbox, credentials } = require('./helpers');
const { runTools, nodeTypes, HELLOTECH_TOOL_TYPE, NodeHelpers } = require('./harness/engine');

const EXAMPLE = path.join(__dirname, '..', 'examples', 'ai-agent.json');
const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
const toolNodes = workflow.nodes.filter((node) => node.type === HELLOTECH_TOOL_TYPE);
const useTools = (calls) => runTools(toolNodes, { credentials: credentials(), calls });

/** How n8n's editor names a field's $fromAI key when the user clicks ✨: its label, with _ for what is not a letter, digit or -. */
const editorKey = (displayName) => displayName.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);

/** Every `$fromAI('key', …)` in a node's parameters: [parameter path, key]. */
function fromAiKeys(parameters, prefix = []) {
	return Object.entries(parameters).flatMap(([name, value]) => {
		if (value && typeof value === 'object') return fromAiKeys(value.__rl ? { [name]: value.value } : value, value.__rl ? prefix : [...prefix, name]);
		const match = typeof value === 'string' ? /\$fromAI\('([^']+)'/.exec(value) : null;
		return match ? [[[...prefix, name], match[1]]] : [];
	});
}

beforeEach(() => sandbox.reset());

describe('the example AI workflow (examples/ai-agent.json)', () => {
	test('connects four HelloTech tools, all version 2, all read-only, to the agent', () => {
		expect(toolNodes.map((node) => [node.name, node.parameters.resource, node.parameters.operation, node.typeVersion])).toEqual([
			['Get order', 'order', 'get', 2],
			['Find orders', 'order', 'getAll', 2],
			['List services', 'sku', 'getAll', 2],
			['Check service at ZIP', 'sku', 'checkZip', 2],
		]);
		for (const node of toolNodes) expect(workflow.connections[node.name].ai_tool[0][0].node).toBe('AI Agent');
	});

	test("each field the model fills has the key n8n's editor gives it, from the field's version 2 label", () => {
		const { description } = nodeTypes.getByNameAndVersion(HELLOTECH_TOOL_TYPE);
		const keys = [];
		for (const node of toolNodes) {
			const context = { name: node.name, type: HELLOTECH_TOOL_TYPE, typeVersion: 2, position: [0, 0], parameters: node.parameters };
			const values = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, context, description);
			for (const [[name, option], key] of fromAiKeys(node.parameters)) {
				const field = description.properties.find(
					(property) => property.name === name && NodeHelpers.displayParameter(values, property, context, description),
				);
				const label = option ? field.options.find((candidate) => candidate.name === option).displayName : field.displayName;
				expect([node.name, key]).toEqual([node.name, editorKey(label)]);
				keys.push(key);
			}
		}
		// No "…Names or IDs": every key asks for what the field takes.
		expect(keys).toEqual(['Order_ID', 'Limit', 'Statuses', 'From', 'SKU_ID', 'ZIP_Code']);
	});
});

describe('the tools as n8n-core builds them for an agent', () => {
	test('names, descriptions and argument schemas: every argument typed and described', async () => {
		const { tools: unordered } = await useTools([]);
		const tools = toolNodes.map((node) => unordered.find((tool) => tool.name === node.name.replace(/[^a-zA-Z0-9_-]+/g, '_')));
		const summary = tools.map((tool) => ({
			name: tool.name,
			description: tool.description,
			arguments: Object.fromEntries(Object.entries(tool.schema.properties).map(([key, schema]) => [key, schema.type])),
			required: tool.schema.required && [...tool.schema.required].sort(),
		}));
		expect(summary).toEqual([
			{ name: 'Get_order', description: expect.stringMatching(/^Get one HelloTech order by its ID/), arguments: { Order_ID: 'string' }, required: ['Order_ID'] },
			{
				name: 'Find_orders',
				description: expect.stringMatching(/^List recent HelloTech orders/),
				arguments: { Limit: 'number', Statuses: 'string', From: 'string' },
				required: ['From', 'Limit', 'Statuses'],
			},
			{ name: 'List_services', description: expect.stringMatching(/SKU ID/), arguments: {}, required: undefined },
			{
				name: 'Check_service_at_ZIP',
				description: expect.stringMatching(/by SKU ID\) at a US ZIP code/),
				arguments: { SKU_ID: 'string', ZIP_Code: 'string' },
				required: ['SKU_ID', 'ZIP_Code'],
			},
		]);
		for (const tool of tools) {
			for (const [key, schema] of Object.entries(tool.schema.properties)) {
				expect([tool.name, key, schema.description.length > 20]).toEqual([tool.name, key, true]);
			}
		}
		expect(tools[0].schema.properties.Order_ID.description).toMatch(/whole number/);
		expect(tools[3].schema.properties.ZIP_Code.description).toMatch(/5-digit/);
	});

	test('calls answer what the model needs: simplified orders, the catalogue, availability', async () => {
		const { ids } = await sandbox.seedOrders([{ statusCode: 2 }, { statusCode: 0 }, { statusCode: 2 }, { statusCode: 3 }]);
		const { calls } = await useTools([
			{ tool: 'Get_order', args: { Order_ID: String(ids[1]) } },
			{ tool: 'Find_orders', args: { Limit: 5, Statuses: 'ASSIGNED', From: '' } },
			{ tool: 'List_services', args: {} },
			{ tool: 'Check_service_at_ZIP', args: { SKU_ID: '10642', ZIP_Code: '90017' } },
		]);
		const [order, found, services, zip] = calls;
		expect(order.answer).toEqual([expect.objectContaining({ id: ids[1], status: 'Pending' })]);
		expect(Object.keys(order.answer[0])).toHaveLength(11);
		expect(found.answer.map((entry) => [entry.id, entry.status])).toEqual([
			[ids[2], 'Assigned'],
			[ids[0], 'Assigned'],
		]);
		expect(services.answer.map((sku) => sku.id)).toEqual([10639, 10640, 10641, 10642, 10643, 10644]);
		expect(zip.answer).toEqual([expect.objectContaining({ sku_id: 10642, zip: '90017', available: true })]);
		const listed = (await sandbox.state()).log.find((entry) => entry.path === '/api/partners/orders');
		expect(listed.query).toEqual(expect.objectContaining({ limit: '5', status: ['2'] }));
	});

	test('a call with a wrong argument tells the model which field was wrong, and reaches nothing', async () => {
		const { calls } = await useTools([
			{ tool: 'Check_service_at_ZIP', args: { SKU_ID: 'TV mounting', ZIP_Code: '90017' } },
			{ tool: 'Check_service_at_ZIP', args: { SKU_ID: '10642', ZIP_Code: '9001' } },
			{ tool: 'Get_order', args: { Order_ID: '123' } },
		]);
		// n8n-core adds the error's description to what the model reads, after "Details:".
		expect(calls.map((call) => call.error)).toEqual([
			'SKU ID: must be a positive whole number, got "TV mounting" [item 0]',
			'ZIP Code: must be a 5-digit US ZIP code, got "9001" [item 0]',
			'Order 123 not found: HelloTech says "Record Not Found" [item 0]\n\nDetails: GET /api/partners/orders/123 answered HTTP 404.',
		]);
		expect((await sandbox.state()).log.map((entry) => entry.path)).toEqual(['/api/partners/orders/123']);
	});
});
