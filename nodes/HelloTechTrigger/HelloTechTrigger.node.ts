import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { ORDER_QUERY } from '../HelloTech/api';
import { orderFilterFields, orderFilterQuery, statusOptions } from '../HelloTech/helpers/orderFilters';
import { FieldChecker } from '../HelloTech/helpers/input';
import { boolean, stringList, wholeNumber } from '../HelloTech/helpers/values';
import { cleanError } from '../HelloTech/transport/errors';
import { HelloTechClient } from '../HelloTech/transport/request';
import { fromV2 } from '../HelloTech/helpers/versions';
import { DOCUMENTATION_URL, TRIGGER_DESCRIPTION } from '../HelloTech/helpers/docs';
import { PollBudget } from './budget';
import { newOrderItem, statusChangedItem } from './events';
import { readNewOrders, startReader } from './newOrders';
import { byCreation, orderPages, orderStatusCode } from './orders';
import { loadState, saveState, WATCH_LIMIT } from './state';
import { startWatching, watchStatuses } from './statusChanges';

type Event = 'newOrder' | 'statusChanged';

interface Settings {
	event: Event;
	/** The list filters every request of this trigger carries (the tags). */
	filters: IDataObject;
	tags: string[];
	/** Order Status Changed: only changes into these status codes; empty for all. */
	into: number[];
	maxWatched: number;
	/** Version 2's Simplify: emit the simplified order. */
	simplify: boolean;
}

function readSettings(fn: IPollFunctions): Settings {
	const checker = new FieldChecker(fn.getNode(), fn.getTimezone());
	const fail = (label: string, problem: string): never => checker.fail(label, problem);
	const event = fn.getNodeParameter('event') as Event;
	if (event !== 'newOrder' && event !== 'statusChanged') fail('Event', `"${String(event)}" is not an event of this trigger`);
	const statusChanged = event === 'statusChanged';
	const query = orderFilterQuery({ tags: fn.getNodeParameter('tags', '') }, checker);
	const tags = (query[ORDER_QUERY.tags] as string[] | undefined) ?? [];
	const statuses = statusChanged ? checker.check('Into Statuses', () => stringList(fn.getNodeParameter('statuses', []))) : [];
	const into = statuses.map((status) => {
		const code = orderStatusCode({ status });
		return code !== undefined && code <= 15
			? code
			: fail('Into Statuses', `"${status}" is not an order status (a code 0 to 15 or a name such as ASSIGNED)`);
	});

	const options = statusChanged ? (fn.getNodeParameter('options', {}) as IDataObject) : {};
	const maxWatched = checker.check('Max Watched Orders', () =>
		wholeNumber(options.maxWatched ?? WATCH_LIMIT.default, WATCH_LIMIT.min, WATCH_LIMIT.max),
	);
	const simplify = fn.getNode().typeVersion >= 2 && checker.check('Simplify', () => boolean(fn.getNodeParameter('simplify', true)));
	return { event, filters: tags.length ? { [ORDER_QUERY.tags]: tags } : {}, tags, into, maxWatched, simplify };
}

/** A manual test run: the most recent matching order, as the event would carry it. State is left alone. */
async function sample(fn: IPollFunctions, api: HelloTechClient, settings: Settings): Promise<INodeExecutionData[][]> {
	const query = byCreation(settings.filters, 'DESC');
	if (settings.into.length) query[ORDER_QUERY.statuses] = settings.into.map(String);
	for await (const [order] of orderPages(api, query, 1)) {
		return [
			[
				settings.event === 'newOrder'
					? newOrderItem(order, settings.simplify)
					: statusChangedItem({ order, previous: undefined }, settings.simplify),
			],
		];
	}
	throw new NodeOperationError(fn.getNode(), 'No HelloTech order matches this trigger yet', {
		description:
			'A test run shows the most recent order that matches the Tags (and, for Order Status Changed, the statuses chosen). Create one, for example with the HelloTech node, or widen the filters.',
	});
}

export class HelloTechTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HelloTech Trigger',
		name: 'helloTechTrigger',
		icon: { light: 'file:hellotechTrigger.svg', dark: 'file:hellotechTrigger.dark.svg' },
		group: ['trigger'],
		// Version 2 (what new triggers get) adds Simplify, on by default; version 1 emits as before.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["event"] === "statusChanged" ? "Order Status Changed" : "New Order" }}',
		description: TRIGGER_DESCRIPTION,
		documentationUrl: DOCUMENTATION_URL,
		defaults: { name: 'HelloTech Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'helloTechApi', required: true }],
		properties: [
			{
				displayName:
					'Each poll emits what happened since the previous one. The first poll after activation only records where things stand; a test run shows the most recent matching order.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'New Order', value: 'newOrder', description: 'An order is created' },
					{
						name: 'Order Status Changed',
						value: 'statusChanged',
						description: "An order's status changes, for example to Assigned, Completed or Cancelled",
					},
				],
				default: 'newOrder',
			},
			{
				displayName: 'Into Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				description: 'Only changes into one of these statuses. Leave empty for every change.',
				displayOptions: { show: { event: ['statusChanged'] } },
			},
			...orderFilterFields(['tags']),
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
				hint: 'On: eleven fields per order (ID, status, customer name and email, address, services, appointment, created at, purchase order ID, tags, link) plus the event fields',
				displayOptions: fromV2,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { event: ['statusChanged'] } },
				options: [
					{
						displayName: 'Max Watched Orders',
						name: 'maxWatched',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 1000,
						description:
							'How many open orders (the most recently created) the trigger watches for status changes. Each poll reads them all, 100 per request; changes of older open orders are not seen.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const budget = PollBudget.of(this);
		const settings = readSettings(this);
		const api = await HelloTechClient.connect(this);
		try {
			return await pollOnce(this, api, settings, budget);
		} catch (error) {
			// Every property of the error n8n reports and keeps, cleaned of what the redactor learned.
			throw error instanceof Error ? cleanError(error, api.redactor) : error;
		}
	}
}

/** One poll of an active trigger (or a manual test run): the events since the last poll. */
async function pollOnce(
	fn: IPollFunctions,
	api: HelloTechClient,
	settings: Settings,
	budget: PollBudget,
): Promise<INodeExecutionData[][] | null> {
	if (fn.getMode() === 'manual') return await sample(fn, api, settings);

	// Everything is worked out on copies and stored only once the whole poll succeeded: a poll
	// that fails halfway leaves the state as the last good poll left it, and the next one
	// reads the same orders again.
	const key = JSON.stringify({ event: settings.event, tags: [...settings.tags].sort() });
	const data = fn.getWorkflowStaticData('node');
	const state = loadState(data, key);
	if (!state) {
		const reader = await startReader(api, settings.filters);
		const watched =
			settings.event === 'statusChanged' ? await startWatching(api, settings.filters, settings.maxWatched) : new Map();
		saveState(data, { key, reader, watched });
		return null;
	}

	let items: INodeExecutionData[];
	if (settings.event === 'newOrder') {
		const { fresh, reader } = await readNewOrders(api, fn.getNode(), settings.filters, state.reader, budget);
		saveState(data, { ...state, reader });
		items = fresh.map((order) => newOrderItem(order, settings.simplify));
	} else {
		const result = await watchStatuses(api, fn.getNode(), settings.filters, settings.tags, state, settings.maxWatched, budget);
		saveState(data, { key, reader: result.reader, watched: result.watched });
		const into = new Set(settings.into);
		items = result.changes
			.filter(({ order }) => into.size === 0 || into.has(orderStatusCode(order) as number))
			.map((change) => statusChangedItem(change, settings.simplify));
	}
	return items.length ? [items] : null;
}
