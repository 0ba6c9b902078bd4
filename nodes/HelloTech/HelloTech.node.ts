import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeExecutionHint,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { clientOperationField, clientOperations } from './actions/client';
import { orderOperationField, orderOperations } from './actions/order';
import { combineRowsOption, lookBackOption, skipBookedOption } from './actions/order/booking';
import { checkAvailabilityOption, validateOnlyOption, zipCodeOption } from './helpers/bookingChecks';
import { skuOperationField, skuOperations } from './actions/sku';
import { DOCUMENTATION_URL, NODE_DESCRIPTION } from './helpers/docs';
import { FieldChecker } from './helpers/input';
import type { Operation } from './helpers/runner';
import { runItems } from './helpers/runner';
import { wholeNumber } from './helpers/values';
import { getOrderColumns } from './methods/orderColumns';
import { searchOrders } from './methods/orders';
import { getSkus, searchSkus } from './methods/skus';
import { HelloTechClient, RETRY } from './transport/request';

const RESOURCES: Record<string, { operationField: INodeProperties; operations: Record<string, Operation> }> = {
	order: { operationField: orderOperationField, operations: orderOperations },
	client: { operationField: clientOperationField, operations: clientOperations },
	sku: { operationField: skuOperationField, operations: skuOperations },
};

/**
 * Max Concurrent Requests when the option is not set. Version 2 sends 20 at once: measured in a
 * real n8n, 5 left a spreadsheet run behind n8n's own HTTP Request node, and 10 only level with it
 * on a busy machine (see the README, Performance). Version 1 keeps the 5 its workflows were saved with; the option's default (what
 * the editor fills in when the option is added) is version 2's.
 */
export const DEFAULT_MAX_CONCURRENT = { v1: 5, v2: 20 };
const maxConcurrentDefault = (version: number) => (version >= 2 ? DEFAULT_MAX_CONCURRENT.v2 : DEFAULT_MAX_CONCURRENT.v1);

/** Max Rate Limit Wait's default, in seconds. */
const DEFAULT_MAX_RATE_LIMIT_WAIT = RETRY.defaultRateLimitWaitMs / 1000;

/** The operations that change data at HelloTech: n8n's Retry On Fail would send them again. */
const WRITES: Record<string, string[]> = {
	order: ['create'],
	client: ['create', 'update', 'createSetupIntent', 'createEphemeralKey'],
};

/** Shown under the output when Retry On Fail is on for a write: a re-run sends the items that had succeeded again. */
export const RETRY_ON_FAIL_HINT: NodeExecutionHint = {
	type: 'warning',
	location: 'outputPane',
	message:
		"Retry On Fail is on (Settings): if this node fails, n8n runs it again for every item, so items HelloTech had already accepted are sent again (a Create makes a second order or client). The node already retries on its own where that cannot duplicate anything. Turn Retry On Fail off, and use On Error → Continue to keep each item's result.",
};

/** Each operation's fields, shown only for that resource and operation. */
function operationFields(): INodeProperties[] {
	return Object.entries(RESOURCES).flatMap(([resource, { operationField, operations }]) => [
		operationField,
		...Object.entries(operations).flatMap(([operation, { description }]) =>
			updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, description),
		),
	]);
}

export class HelloTech implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HelloTech',
		name: 'helloTech',
		icon: { light: 'file:hellotech.svg', dark: 'file:hellotech.dark.svg' },
		group: ['transform'],
		// Version 2 is what new nodes get. Version 1 stays exactly as it was, so workflows saved with
		// it read their parameters as before: a field that differs between versions is shown with
		// `displayOptions: { show: { '@version': [...] } }` (see helpers/versions.ts).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: NODE_DESCRIPTION,
		documentationUrl: DOCUMENTATION_URL,
		defaults: { name: 'HelloTech' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'helloTechApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Client', value: 'client' },
					{ name: 'Order', value: 'order' },
					{ name: 'SKU', value: 'sku' },
				],
				default: 'order',
			},
			...operationFields(),
			{
				displayName: 'Options',
				name: 'requestOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					checkAvailabilityOption,
					combineRowsOption,
					lookBackOption,
					{
						displayName: 'Max Concurrent Requests',
						name: 'maxConcurrent',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 50 },
						default: 20,
						description:
							'How many requests to HelloTech may be in flight at once, across all items. When HelloTech answers 429 (too many requests), the node waits as it asks and continues at a slower pace. Without this option: 20 (5 in nodes made before version 2).',
					},
					{
						displayName: 'Max Rate Limit Wait',
						name: 'maxRateLimitWait',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_MAX_RATE_LIMIT_WAIT,
						description:
							'The longest time, in seconds, one request may wait in total when HelloTech answers 429 (too many requests). The node waits as long as HelloTech asks (Retry-After); a request that would have to wait longer, or is refused more than 10 times, fails with a rate-limit error.',
					},
					skipBookedOption,
					{
						displayName: 'Timeout',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1000 },
						default: 30000,
						description:
							'How long to wait for HelloTech to answer one request, in milliseconds. A read that times out is tried again, within twice this time in all; a create that times out is not sent again: it may have been created.',
					},
					validateOnlyOption,
					zipCodeOption,
				],
			},
		],
	};

	methods = {
		loadOptions: { getSkus },
		listSearch: { searchOrders, searchSkus },
		resourceMapping: { getOrderColumns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = RESOURCES[resource]?.operations[operationName];
		if (!operation) {
			throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
		}
		if (this.getNode().retryOnFail && WRITES[resource]?.includes(operationName)) this.addExecutionHints(RETRY_ON_FAIL_HINT);
		// The Options are read once, for item 0: they set up the one client every item shares.
		const options = (this.getNodeParameter('requestOptions', 0, {}) ?? {}) as IDataObject;
		const checker = new FieldChecker(this.getNode(), this.getTimezone(), 0);
		const option = (name: string, label: string, fallback: number, min: number, max?: number) =>
			options[name] === undefined ? fallback : checker.check(label, () => wholeNumber(options[name], min, max));
		const maxConcurrent = option('maxConcurrent', 'Max Concurrent Requests', maxConcurrentDefault(this.getNode().typeVersion), 1, 50);
		const api = await HelloTechClient.connect(this, {
			maxConcurrent,
			timeoutMs: option('timeout', 'Timeout', 30000, 1000),
			maxRateLimitWaitMs: option('maxRateLimitWait', 'Max Rate Limit Wait', DEFAULT_MAX_RATE_LIMIT_WAIT, 0) * 1000,
		});
		return [await runItems(this, operation, api, maxConcurrent)];
	}
}
