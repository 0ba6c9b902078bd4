import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { orderStatusCode, readField } from '../api';
import type { ItemInput } from './input';
import { statusLabel } from './orderFilters';
import { boolean, stringList } from './values';
import { allOf, asTool, fromV2, notAsTool } from './versions';

/**
 * What an order looks like with Simplify on (or Output: Simplified as an AI tool): eleven fields
 * instead of the ~35 HelloTech returns. The README lists them. The order's link
 * (`order_summary_url`) is among them: it is what a person acting on the order opens.
 */
export const SIMPLE_ORDER_FIELDS = [
	'id',
	'status',
	'client_name',
	'email',
	'address',
	'service_description',
	'appointment_start',
	'created_at',
	'purchase_order_id',
	'tags',
	'order_summary_url',
] as const;

/** A HelloTech timestamp (`{ integer, iso, isoShort }`, seconds, milliseconds or text) as ISO 8601 text; null when there is none. */
function isoTime(value: unknown): string | null {
	if (value && typeof value === 'object') {
		const time = value as IDataObject;
		if (typeof time.iso === 'string') return time.iso;
		return isoTime(time.integer ?? time.isoShort);
	}
	if (typeof value === 'number' && Number.isFinite(value)) {
		return new Date(value > 1e11 ? value : value * 1000).toISOString();
	}
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const orNull = (value: unknown) => (value === undefined ? null : value);

/** The simplified order (SIMPLE_ORDER_FIELDS); a field HelloTech did not send is null. */
export function simplifyOrder(order: IDataObject): IDataObject {
	const code = orderStatusCode(order);
	return {
		id: orNull(readField(order, 'id')),
		status: code !== undefined ? statusLabel(code) : orNull(readField(order, 'status')),
		client_name: orNull(readField(order, 'client_name')),
		email: orNull(readField(order, 'email')),
		address: orNull(readField(order, 'address')),
		service_description: orNull(readField(order, 'service_description')),
		appointment_start: isoTime(readField(order, 'appointment_start_date_time') ?? readField(order, 'appointment_start')),
		created_at: isoTime(readField(order, 'created_at')),
		purchase_order_id: orNull(readField(order, 'purchase_order_id')),
		tags: orNull(readField(order, 'tags')),
		order_summary_url: orNull(readField(order, 'order_summary_url')),
	};
}

/**
 * Whether the node runs as an AI Agent tool: its type is the "…Tool" twin n8n makes of a node that
 * is `usableAsTool`, the same test as n8n's `@tool` display condition.
 */
export function isToolNode(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/**
 * Version 2's output fields of an operation that returns orders: Simplify in a workflow; as an AI
 * Agent tool, Output (Simplified, Raw or Selected Fields), so the model gets what it needs without
 * 35 fields per order filling its context.
 */
export function orderOutputFields(): INodeProperties[] {
	return [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of the response instead of the raw data',
			hint: 'On: eleven fields per order (ID, status, customer name and email, address, services, appointment, created at, purchase order ID, tags, link)',
			displayOptions: allOf(fromV2, notAsTool),
		},
		...toolOrderOutputFields(),
	];
}

/**
 * The fields of the order HelloTech returns (the Get order page's order object), for Output →
 * Selected Fields. `token` is left out: it is no field for a model to read.
 */
export const ORDER_RESPONSE_FIELDS = [
	'status',
	'status_label',
	'client_id',
	'client_name',
	'email',
	'phone',
	'address',
	'address_details',
	'business_name',
	'service_description',
	'skus',
	'devices',
	'notes',
	'purchase_order_id',
	'tags',
	'events',
	'created_at',
	'updated_at',
	'appointment_start',
	'appointment_start_date_time',
	'availability',
	'consolidated_availability',
	'client_availability_ranges',
	'client_street',
	'client_city',
	'client_state',
	'client_zip',
	'shipping_type',
	'order_summary_url',
	'finish_order_url',
];

/** As an AI Agent tool only: Output (Simplified, Raw or Selected Fields) and its Fields. */
export function toolOrderOutputFields(): INodeProperties[] {
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'simple',
			options: [
				{
					name: 'Simplified',
					value: 'simple',
					description: 'Eleven fields per order: ID, status, customer name and email, address, services, appointment, created at, purchase order ID, tags, link',
				},
				{ name: 'Raw', value: 'raw', description: 'Every field HelloTech returns, about 35 per order' },
				{ name: 'Selected Fields', value: 'fields', description: 'Only the fields chosen in Fields' },
			],
			displayOptions: allOf(fromV2, asTool),
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'multiOptions',
			options: ORDER_RESPONSE_FIELDS.map((field) => ({ name: field, value: field })),
			default: [],
			required: true,
			description: "The order fields to return, as HelloTech names them. The order's ID is always included.",
			displayOptions: allOf(fromV2, asTool, { show: { output: ['fields'] } }),
		},
	];
}

/** Order → Create as an AI Agent tool: the created order as Output asks; elsewhere as HelloTech returns it. */
export function createdOrderShape(input: ItemInput): (order: IDataObject) => IDataObject {
	if (input.version < 2 || !input.asTool) return (order) => order;
	const shape = orderShape(input);
	return (order) => shape([order])[0];
}

/**
 * Orders as the user asked for them: version 1 always raw; version 2 simplified when Simplify is
 * on, or as an AI tool as its Output says. The parameters are read and checked now (when the item
 * is prepared); the shape applies to the orders once they are in.
 */
export function orderShape(input: ItemInput): (orders: IDataObject[]) => IDataObject[] {
	if (input.version < 2) return (orders) => orders;
	const output = isToolNode(input.fn.getNode())
		? input.param<string>('output', 'simple')
		: input.check('Simplify', () => boolean(input.param('simplify', true)))
			? 'simple'
			: 'raw';
	if (output === 'raw') return (orders) => orders;
	if (output === 'simple') return (orders) => orders.map(simplifyOrder);
	if (output !== 'fields') input.fail('Output', `"${String(output)}" is not Simplified, Raw or Selected Fields`);
	const fields = input.check('Fields', () => stringList(input.param('fields', '')));
	if (fields.length === 0) input.fail('Fields', 'name at least one order field, e.g. status');
	const wanted = ['id', ...fields.filter((field) => field !== 'id')];
	return (orders) =>
		orders.map((order) => {
			const picked: IDataObject = {};
			for (const field of wanted) {
				// As asked, else in the other spelling (status_label / statusLabel).
				const value = order[field] ?? readField(order, field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
				if (value !== undefined) picked[field] = value;
			}
			return picked;
		});
}
