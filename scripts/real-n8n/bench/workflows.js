'use strict';
/**
 * The workflows `npm run bench:n8n` runs in the real n8n, one per measured side, each started by
 * its own production webhook (the workflow is active, as a user's would be):
 *
 *   Webhook (POST { rows }) → Split Out rows → the measured node(s)
 *   Webhook (POST)          → the measured node(s)                  (listing, S3)
 *
 * The measured nodes are configured as a user would configure them in the editor: the HelloTech
 * node with Map Automatically or with one expression per field; n8n's HTTP Request node (4.5, the
 * version the editor adds) posting a JSON body built from the row with expressions, with a Header
 * Auth credential, batching where the API has a rate limit, Retry On Fail, and its own pagination
 * followed by a Split Out for one item per order.
 */
const crypto = require('crypto');

const fixtures = require('../../../test/fixtures');

/**
 * Spreadsheet row `i`, its column headings the API's names (as the issue's sheet has them), a
 * distinct customer and purchase order ID each. The SKU is a number, as a Google Sheet gives it.
 */
const sheetRow = (i, prefix) =>
	fixtures.sheetRow({ last_name: `Lopez ${i}`, email: `maya.${i}@example.com`, sku_id: 10639, purchase_order_id: `${prefix}-${i}` });

const ORDER_FIELDS = ['first_name', 'last_name', 'email', 'address', 'phone', 'sku_id', 'purchase_order_id'];

const node = (name, type, typeVersion, parameters, x, extra = {}) => ({
	id: crypto.randomUUID(),
	name,
	type,
	typeVersion,
	position: [x, 300],
	parameters,
	...extra,
});

/**
 * A workflow: webhook, (split rows), then `measured` (nodes in a chain). Returns it with the
 * names of the nodes whose time is measured and of the node whose output is the result.
 */
function workflow({ name, path, rows, measured }) {
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, 0, {
			webhookId: crypto.randomUUID(),
		}),
	];
	if (rows) nodes.push(node('Rows', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.rows', options: {} }, 220));
	measured.forEach((entry, index) => nodes.push({ ...entry, position: [440 + 220 * index, 300] }));
	const connections = {};
	nodes.slice(0, -1).forEach((from, index) => {
		connections[from.name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	});
	return {
		workflow: { name, nodes, connections, settings: { executionOrder: 'v1' }, active: false },
		measuredNodes: measured.map((entry) => entry.name),
		outputNode: measured[measured.length - 1].name,
	};
}

// ---- the HelloTech node --------------------------------------------------------------------------

/**
 * Order → Create, version 2, Map Automatically: each row's columns taken by name. `schema` is the
 * node's own field list (its resourceMapperMethod), which the editor saves with the mapping.
 */
const helloTechAutoMapped = (schema, requestOptions = {}) => ({
	typeVersion: 2,
	parameters: {
		resource: 'order',
		operation: 'create',
		columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema },
		requestOptions,
	},
});

/** Order → Create, version 2, Map Each Field Below: every field an expression on the row. */
const helloTechMappedByExpression = (schema) => ({
	typeVersion: 2,
	parameters: {
		resource: 'order',
		operation: 'create',
		mapping: 'defineBelow',
		columns: {
			mappingMode: 'defineBelow',
			value: Object.fromEntries(ORDER_FIELDS.map((field) => [field, `={{ $json.${field} }}`])),
			matchingColumns: [],
			schema,
		},
		requestOptions: {},
	},
});

/**
 * The same with expressions that do something, as a careful user cleans a sheet's values: n8n's
 * expression engine evaluates each of them (a bare `{{ $json.field }}` the node may read itself).
 */
const CLEANING = {
	first_name: '={{ $json.first_name.trim() }}',
	last_name: '={{ $json.last_name.trim() }}',
	email: '={{ $json.email.trim().toLowerCase() }}',
	address: '={{ $json.address.trim() }}',
	phone: "={{ String($json.phone).replace(/\\D/g, '') }}",
	sku_id: '={{ Number($json.sku_id) }}',
	purchase_order_id: '={{ $json.purchase_order_id.trim() }}',
};
const helloTechMappedByCleaningExpressions = (schema) => ({
	typeVersion: 2,
	parameters: {
		resource: 'order',
		operation: 'create',
		mapping: 'defineBelow',
		columns: { mappingMode: 'defineBelow', value: { ...CLEANING }, matchingColumns: [], schema },
		requestOptions: {},
	},
});

/** Order → Create, version 1: one expression per field (before the column mapper existed). */
const helloTechV1Expressions = () => ({
	typeVersion: 1,
	parameters: {
		resource: 'order',
		operation: 'create',
		clientType: 'new',
		firstName: '={{ $json.first_name }}',
		lastName: '={{ $json.last_name }}',
		email: '={{ $json.email }}',
		address: '={{ $json.address }}',
		phone: '={{ $json.phone }}',
		skuIds: '={{ $json.sku_id }}',
		purchaseOrderId: '={{ $json.purchase_order_id }}',
		requestOptions: {},
	},
});

const helloTechGetAll = (typeVersion) => ({
	typeVersion,
	parameters: { resource: 'order', operation: 'getAll', returnAll: true, filters: {}, requestOptions: {} },
});

function helloTechNode(name, { typeVersion, parameters }, context, settings = {}) {
	return node(name, `${context.packageName}.helloTech`, typeVersion, parameters, 0, {
		credentials: { helloTechApi: context.credentials.helloTech },
		...settings,
	});
}

// ---- n8n's HTTP Request node -----------------------------------------------------------------------

const HTTP_VERSION = 4.5;

/** POST the order, its JSON body "Using Fields Below": one name and one expression per field. */
const httpBodyFields = () => ({
	specifyBody: 'keypair',
	bodyParameters: {
		parameters: ORDER_FIELDS.map((field) => ({ name: field, value: field === 'sku_id' ? `={{ [$json.${field}] }}` : `={{ $json.${field} }}` })),
	},
});

/** The same body "Using JSON": the editor's JSON template with the row's fields dragged in. */
const httpBodyJson = () => ({
	specifyBody: 'json',
	jsonBody: `={\n${ORDER_FIELDS.map((field) => (field === 'sku_id' ? `  "${field}": [{{ $json.${field} }}]` : `  "${field}": "{{ $json.${field} }}"`)).join(',\n')}\n}`,
});

function httpCreate(name, context, { body, batching, settings = {} }) {
	return node(
		name,
		'n8n-nodes-base.httpRequest',
		HTTP_VERSION,
		{
			method: 'POST',
			url: `${context.sandboxUrl}/api/partners/orders`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'json',
			...body,
			options: batching ? { batching: { batch: { batchSize: batching.size, batchInterval: batching.intervalMs } } } : {},
		},
		0,
		{ credentials: { httpHeaderAuth: context.credentials.header }, ...settings },
	);
}

/**
 * GET the orders with the HTTP Request node's own pagination (Update a Parameter in Each
 * Request: the cursor is the last order's id; complete when a page holds fewer than 100), then
 * Split Out for one item per order, as the HelloTech node puts them out.
 */
function httpListAll(context) {
	return [
		node(
			'HTTP Request',
			'n8n-nodes-base.httpRequest',
			HTTP_VERSION,
			{
				method: 'GET',
				url: `${context.sandboxUrl}/api/partners/orders`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: '100' }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: { parameters: [{ type: 'qs', name: 'cursor', value: '={{ $response.body.orders[$response.body.orders.length - 1].id }}' }] },
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.orders.length < 100 }}',
						},
					},
				},
			},
			0,
			{ credentials: { httpHeaderAuth: context.credentials.header } },
		),
		node('Split Out orders', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'orders', options: {} }, 0),
	];
}

const CONTINUE = { onError: 'continueRegularOutput' };
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 };

module.exports = {
	sheetRow,
	workflow,
	helloTechAutoMapped,
	helloTechMappedByExpression,
	helloTechMappedByCleaningExpressions,
	helloTechV1Expressions,
	helloTechGetAll,
	helloTechNode,
	httpBodyFields,
	httpBodyJson,
	httpCreate,
	httpListAll,
	CONTINUE,
	RETRY,
	HTTP_VERSION,
};
