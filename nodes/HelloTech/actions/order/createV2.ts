import type { IDataObject, IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CheckedFields, OrderDraft } from '../../helpers/bookingChecks';
import type { ItemInput } from '../../helpers/input';
import { EVALUATE } from '../../helpers/itemReference';
import { toolOrderOutputFields } from '../../helpers/output';
import { pickedValue, skuPicker } from '../../helpers/skuFields';
import { isBlank, positiveInteger } from '../../helpers/values';
import { allOf, asTool, fromV2, notAsTool } from '../../helpers/versions';
import type { OrderField } from './columns';
import { ORDER_FIELDS, orderColumnsSchema } from './columns';
import type { MappedOrder, ShopSkus } from './orderMapper';
import { FieldRefusal, orderFromItem, orderFromReading, readingFromValues, shopSkuKey } from './orderMapper';
import { toolColumns } from './toolColumns';

/**
 * Order → Create from version 2 on. Mapping: Map Automatically reads each item's fields by name
 * (the pipeline of orderMapper.ts: the item → where each field comes from → checked values → the
 * body); Map Each Field Below takes a value per field from the column mapper (`columns`). SKU
 * pickers add services to every order; Shop SKUs translate a shop's own SKUs. As an AI Agent tool
 * the model fills each field (toolColumns.ts).
 */

const AUTO = 'auto';
const BELOW = 'defineBelow';

const SKU_FORMATS =
	'SKU IDs: HelloTech SKU IDs, comma-separated (10639, 10641) or a list; a shop\'s own SKUs or product names once listed under Shop SKUs. Time Windows: one-hour windows in the workflow\'s time zone, as 2026-12-01 09:00-10:00 (several separated by ";"), or a list of { "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00" }.';

/** As an AI tool: every field filled by the model (toolColumns.ts). */
const TOOL_COLUMNS: ResourceMapperValue = {
	mappingMode: BELOW,
	value: toolColumns(),
	matchingColumns: [],
	schema: orderColumnsSchema({ all: true }),
	attemptToConvertTypes: false,
	convertFieldsToString: false,
};

const mapper = {
	resourceMapperMethod: 'getOrderColumns',
	mode: 'add' as const,
	fieldWords: { singular: 'field', plural: 'fields' },
	addAllFields: true,
	multiKeyMatch: false,
	// The mode is the Mapping option above: n8n's own Map Automatically would add its notice
	// ("use an Edit Fields node") beside this node's, for a reading that is not n8n's.
	supportAutoMap: false,
};

export const createFieldsV2: INodeProperties[] = updateDisplayOptions(fromV2, [
	{
		displayName: 'Mapping',
		name: 'mapping',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Map Automatically',
				value: AUTO,
				description: "Read the order from each item's fields by name: sheets, shop, CRM and form exports, n8n's shop nodes",
			},
			{ name: 'Map Each Field Below', value: BELOW, description: 'Give each order field a value or an expression' },
		],
		default: AUTO,
		displayOptions: notAsTool,
	},
	{
		displayName:
			'Each item\'s fields are read by name, as HelloTech names them (first_name, sku_id, ...) or as sheets and exports head them: "First Name", "Shipping Address1", "Billing Zip", "State/Province", "Lineitem sku", nested billing.address_1 or line_items[].sku. A Service, then Shipping, then Mailing, then Billing address is used whole, never mixed; a full name is split where only one reading is possible. A row that is ambiguous is refused naming the columns; order-looking columns not read are named under the output. Docs: column mapper.',
		name: 'autoMapNotice',
		type: 'notice',
		default: '',
		displayOptions: allOf(notAsTool, { show: { mapping: [AUTO] } }),
	},
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: BELOW, value: null },
		required: true,
		typeOptions: { resourceMapper: mapper },
		description: 'The order fields, one by one',
		displayOptions: allOf(notAsTool, { show: { mapping: [BELOW] } }),
	},
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { ...TOOL_COLUMNS },
		required: true,
		typeOptions: { resourceMapper: mapper },
		description: 'The order fields, each defined by the model by default',
		displayOptions: asTool,
	},
	{
		displayName: SKU_FORMATS,
		name: 'formatsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { mapping: [BELOW] } },
	},
	{
		displayName: 'SKUs',
		name: 'skus',
		type: 'fixedCollection',
		placeholder: 'Add SKU',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Services to book in every order, besides any SKU IDs the fields give',
		options: [
			{
				displayName: 'SKU',
				name: 'sku',
				values: [
					skuPicker({ displayName: 'SKU', name: 'id', description: "A service from HelloTech's catalogue" }),
				],
			},
		],
	},
	{
		displayName: 'Shop SKUs',
		name: 'shopSkus',
		type: 'fixedCollection',
		placeholder: 'Add Shop SKU',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			"A shop's own SKUs or product names and the HelloTech SKU each books: an item's SKU (Lineitem sku, line_items[].sku, SKU IDs...) or, without one, its product name found here books that HelloTech SKU",
		displayOptions: notAsTool,
		options: [
			{
				displayName: 'Shop SKU',
				name: 'sku',
				values: [
					{
						displayName: 'Shop SKU or Product Name',
						name: 'shopSku',
						type: 'string',
						default: '',
						placeholder: 'e.g. HT-TVM-55',
						description: 'As the shop exports it; case and surrounding spaces do not matter',
					},
					skuPicker({ displayName: 'HelloTech SKU', name: 'id', description: 'The HelloTech service it books' }),
				],
			},
		],
	},
	...toolOrderOutputFields(),
]);

/** How the checks of Options → Validate Only / Check Availability First name version 2's fields. */
const V2_FIELDS: CheckedFields = {
	skus: 'SKU IDs',
	clientId: 'Client ID',
	address: 'Address',
	zip: 'ZIP Code',
	zipHint: 'give it in a ZIP column or in Options → ZIP Code',
};

/**
 * The Create order body from one item, every field checked first, and for the checks of Options
 * the ZIP of the address read. Errors name the field, the column it came from (Map
 * Automatically) and the item.
 */
export function orderDraftV2(input: ItemInput): OrderDraft {
	const context = { timezone: input.timezone, shopSkus: shopSkus(input), pickedSkus: () => pickedSkus(input) };
	let order: MappedOrder;
	try {
		order = isAuto(input)
			? orderFromItem(input.fn.getInputData()[input.itemIndex]?.json ?? {}, context)
			: orderFromReading(readingFromValues(mappedValues(input)), { ...context, auto: false });
	} catch (error) {
		if (error instanceof FieldRefusal) input.fail(error.label, error.problem, error.description);
		// Already a NodeOperationError (an expression that failed): passed through as it is.
		throw new NodeOperationError(input.fn.getNode(), error as Error, { itemIndex: input.itemIndex });
	}
	if (order.unread.length) hintUnread(input, order.unread);
	return { body: order.body as IDataObject, zip: order.zip, fields: V2_FIELDS };
}

/** Map Automatically: the Mapping option (never as a tool: the model fills each field). */
function isAuto(input: ItemInput): boolean {
	if (input.asTool) return false;
	const mapping = input.param<string>('mapping', AUTO);
	if (mapping !== AUTO && mapping !== BELOW) input.fail('Mapping', `"${String(mapping)}" is not Map Automatically or Map Each Field Below`);
	return mapping === AUTO;
}

/** The SKUs picked under SKUs, each checked. */
function pickedSkus(input: ItemInput): number[] {
	const picked = input.collection('skus').sku;
	if (!Array.isArray(picked)) return [];
	return picked
		.map((entry, index) => ({ index, value: pickedValue((entry as IDataObject)?.id) }))
		.filter(({ value }) => !isBlank(value))
		.map(({ index, value }) => input.check(`SKUs → SKU ${index + 1}`, () => positiveInteger(value)));
}

/** Shop SKUs of a run, read once when they hold no expression (null: read per item). */
const runTables = new WeakMap<IExecuteFunctions, ShopSkus | null>();

/** The Shop SKUs table, checked: each entry a shop SKU and a HelloTech SKU ID, no shop SKU twice. */
function shopSkus(input: ItemInput): ShopSkus {
	const known = runTables.get(input.fn);
	if (known) return known;
	const saved = input.saved('shopSkus');
	const fixed = known === undefined && !JSON.stringify(saved ?? {}).includes('"=');
	if (!fixed) runTables.set(input.fn, null);
	const entries = (fixed ? (saved as IDataObject | undefined) : input.collection('shopSkus'))?.sku;
	const table: ShopSkus = new Map();
	if (Array.isArray(entries)) {
		entries.forEach((entry, index) => {
			const label = `Shop SKUs → Shop SKU ${index + 1}`;
			const { shopSku, id } = (entry ?? {}) as IDataObject;
			const key = isBlank(shopSku) ? '' : shopSkuKey(shopSku);
			if (key === '') input.fail(label, 'give the shop SKU or product name');
			const skuId = input.check(`${label} → HelloTech SKU`, () => positiveInteger(pickedValue(id)));
			if (table.has(key) && table.get(key) !== skuId) input.fail(label, `"${String(shopSku).trim()}" is listed twice, with different HelloTech SKUs`);
			table.set(key, skuId);
		});
	}
	if (fixed) runTables.set(input.fn, table);
	return table;
}

/** Columns already named in a hint this run, so that 1,000 rows give one hint, not 1,000. */
const hinted = new WeakMap<IExecuteFunctions, Set<string>>();

/** Names the order-looking columns Map Automatically did not read, under the output. */
function hintUnread(input: ItemInput, unread: string[]): void {
	const seen = hinted.get(input.fn) ?? new Set<string>();
	hinted.set(input.fn, seen);
	const fresh = [...new Set(unread)].filter((column) => !seen.has(column));
	if (fresh.length === 0) return;
	for (const column of fresh) seen.add(column);
	input.fn.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message: `Map Automatically did not read ${fresh.map((column) => `"${column}"`).join(', ')} (first in item ${input.itemIndex}): they look like order data (a time, a second address, a quantity...). To book with them, map them under Map Each Field Below (Time Windows take "2026-12-01 09:00-10:00").`,
	});
}

const FIELD_BY_ID = new Map(ORDER_FIELDS.map((field) => [field.id, field]));

/** Map Each Field Below: the value mapped per field id, for this item. */
function mappedValues(input: ItemInput): Map<string, unknown> {
	const values = new Map<string, unknown>();
	const saved = input.saved('columns.value');
	for (const [id, raw] of Object.entries(saved && typeof saved === 'object' ? saved : {})) {
		const field = FIELD_BY_ID.get(id);
		if (field) values.set(id, mappedValue(input, field, raw));
	}
	return values;
}

/**
 * One value mapped under Map Each Field Below, for this item: a fixed value as saved, a
 * `{{ $json.field }}` read from the item (see itemReference.ts), any other expression resolved by
 * n8n ($fromAI as a tool too). n8n's own check of mapped values is skipped: this node checks each
 * value itself, with errors that name the field, and takes lists where n8n would want text. An
 * expression that fails is reported with its field.
 */
function mappedValue(input: ItemInput, field: OrderField, saved: unknown): unknown {
	if (typeof saved !== 'string' || !saved.startsWith('=')) return saved;
	const path = `columns.value.${field.id}`;
	const direct = input.fromItem(path);
	if (direct !== EVALUATE) return direct;
	try {
		return input.fn.getNodeParameter(path, input.itemIndex, null, { skipValidation: true });
	} catch (error) {
		throw new NodeOperationError(input.fn.getNode(), `${field.displayName}: ${(error as Error).message}`, {
			itemIndex: input.itemIndex,
			description: (error as { description?: string }).description,
		});
	}
}
