import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CheckedFields, OrderDraft } from '../../helpers/bookingChecks';
import type { ItemInput } from '../../helpers/input';
import { EVALUATE } from '../../helpers/itemReference';
import { pickedValue, skuPicker } from '../../helpers/skuFields';
import { timeWindows } from '../../helpers/timeWindows';
import { email, isBlank, phone, positiveInteger, positiveIntegerList, stringList, text } from '../../helpers/values';
import { fromV2 } from '../../helpers/versions';
import type { Given, OrderField } from './columns';
import { acceptedNames, fieldsFromColumns, ORDER_FIELDS, withAddressColumns, zipFromColumns } from './columns';

/**
 * Order → Create from version 2 on: the order fields come from a column mapper (`columns`), each
 * item's own fields by name (Map Automatically) or a value per field (Map Each Field Below), and
 * SKU pickers add services to every order.
 */

const AUTO = 'autoMapInputData';

export const createFieldsV2: INodeProperties[] = updateDisplayOptions(fromV2, [
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: AUTO, value: null },
		required: true,
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: 'getOrderColumns',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		description: 'The order fields: from the fields of each item, by name, or one by one',
	},
	{
		// Shown whatever the mapping mode: n8n before 2.35 cannot resolve a field shown on
		// `columns.mappingMode` (a value inside the column mapper) and refuses every workflow that
		// holds the node ("Could not resolve parameter dependencies").
		displayName:
			'With Map Automatically, each item\'s columns are read by name, as HelloTech names them (first_name, sku_id, time_windows, ...) or as sheets head them ("First Name", "SKU IDs", "PO", ...): case, spaces, - and _ do not matter. A Client ID books for an existing client; without one, First Name, Last Name and Email create a new client.',
		name: 'autoMapNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'SKUs',
		name: 'skus',
		type: 'fixedCollection',
		placeholder: 'Add SKU',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Services to book in every order, besides any SKU IDs the columns give',
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
 * a ZIP column if the item has one. Errors name the field, the column it came from (Map
 * Automatically) and the item.
 */
export function orderDraftV2(input: ItemInput): OrderDraft {
	const row = mappedFields(input);
	return { body: orderBody(input, row), zip: row.auto ? zipFromColumns(row.json) : undefined, fields: V2_FIELDS };
}

function orderBody(input: ItemInput, row: MappedFields): IDataObject {
	const body: IDataObject = {};

	if (!isBlank(row.get('client_id').value)) {
		body.client_id = row.check('client_id', (value) => positiveInteger(value));
	} else {
		if (['first_name', 'last_name', 'email'].every((id) => isBlank(row.get(id).value))) {
			input.fail(
				'Client',
				'give a Client ID (to book for an existing client) or First Name, Last Name and Email (to create a new client)',
				row.auto ? `The item's columns: ${row.columns.join(', ') || 'none'}.` : undefined,
			);
		}
		body.first_name = row.requiredText('first_name', ' for a new client (or give a Client ID)');
		body.last_name = row.requiredText('last_name', ' for a new client (or give a Client ID)');
		body.email = row.check('email', (value) => email(value), ' for a new client (or give a Client ID)');
	}
	body.address = row.auto ? withAddressColumns(row.requiredText('address'), row.json) : row.requiredText('address');
	body.phone = row.check('phone', (value) => phone(value));

	const skuIds = [
		...row.optional('sku_id', (value) => positiveIntegerList(value), []),
		...pickedSkus(input),
	];
	if (skuIds.length === 0) {
		input.fail('SKU IDs', 'at least one SKU is required: give SKU IDs in the item or pick them under SKUs');
	}
	body.sku_id = [...new Set(skuIds)];

	const windows = row.optional('time_windows', (value) => timeWindows(value, input.timezone), []);
	if (windows.length) body.time_windows = windows;
	const optionalText = (id: string) => row.optional(id, (value) => text(value) || undefined, undefined);
	const purchaseOrderId = optionalText('purchase_order_id');
	if (purchaseOrderId) body.purchase_order_id = purchaseOrderId;
	const addressDetails = optionalText('address_details');
	if (addressDetails) body.address_details = addressDetails;
	const businessName = optionalText('business_name');
	if (businessName) body.business_name = businessName;
	const devices = row.optional('devices', (value) => stringList(value), []);
	if (devices.length) body.devices = devices;
	const notes = optionalText('notes');
	if (notes) body.notes = notes;
	return body;
}

/** The SKU IDs picked under SKUs, each checked. */
function pickedSkus(input: ItemInput): number[] {
	const picked = input.collection('skus').sku;
	if (!Array.isArray(picked)) return [];
	return picked
		.map((entry, index) => ({ index, value: pickedValue((entry as IDataObject)?.id) }))
		.filter(({ value }) => !isBlank(value))
		.map(({ index, value }) => input.check(`SKUs → SKU ${index + 1}`, () => positiveInteger(value)));
}

const FIELD_BY_ID = new Map(ORDER_FIELDS.map((field) => [field.id, field]));

/** An item's order fields, mapped automatically or one by one, and how to check each. */
class MappedFields {
	constructor(
		private readonly input: ItemInput,
		private readonly fields: Map<string, Given>,
		/** Map Automatically: the fields come from the item's columns. */
		readonly auto: boolean,
		/** The item (Map Automatically), for messages and the ZIP column. */
		readonly json: IDataObject,
	) {}

	/** The item's columns (Map Automatically), for messages. */
	get columns(): string[] {
		return Object.keys(this.json);
	}

	get(id: string): Given {
		return this.fields.get(id) ?? { value: undefined };
	}

	/** The field as errors name it: its display name, and the column it came from. */
	label(id: string): string {
		const { displayName } = FIELD_BY_ID.get(id) as OrderField;
		const { column } = this.get(id);
		return column === undefined ? displayName : `${displayName} (column "${column}")`;
	}

	/** A field that must be filled in, read by `parse`; `why` says when it is required. */
	check<T>(id: string, parse: (value: unknown) => T, why = ''): T {
		const { value } = this.get(id);
		if (isBlank(value)) this.missing(id, why);
		return this.input.check(this.label(id), () => parse(value));
	}

	requiredText(id: string, why = ''): string {
		const { value } = this.get(id);
		if (isBlank(value)) this.missing(id, why);
		return this.input.requiredText(this.label(id), value);
	}

	/** A field that may be left empty: `fallback` when it is. */
	optional<T>(id: string, parse: (value: unknown) => T, fallback: T): T {
		const { value } = this.get(id);
		if (isBlank(value)) return fallback;
		return this.input.check(this.label(id), () => parse(value));
	}

	private missing(id: string, why: string): never {
		const field = FIELD_BY_ID.get(id) as OrderField;
		if (this.auto && this.get(id).column === undefined) {
			const names = acceptedNames(field)
				.map((name) => `"${name}"`)
				.join(', ');
			return this.input.fail(
				field.displayName,
				`is required${why}`,
				`No column of the item gives it (an empty cell is often left out of the item). Map Automatically reads it from a column named ${names}; case, spaces, - and _ do not matter. The item's columns: ${this.columns.join(', ') || 'none'}.`,
			);
		}
		return this.input.fail(this.label(id), `is required${why}`);
	}
}

/** Reads the `columns` mapper for one item. */
function mappedFields(input: ItemInput): MappedFields {
	if (input.param('columns.mappingMode', AUTO) === AUTO) {
		const json = input.fn.getInputData()[input.itemIndex]?.json ?? {};
		const { fields, conflict } = fieldsFromColumns(json);
		if (conflict) {
			const [first, second] = conflict.columns;
			input.fail(
				conflict.field.displayName,
				`the item's columns "${first}" and "${second}" both give it, with different values`,
				'Keep one of them, or switch Columns to Map Each Field Below and map the one to use.',
			);
		}
		return new MappedFields(input, fields, true, json);
	}
	const fields = new Map<string, Given>();
	const saved = input.saved('columns.value');
	for (const [id, raw] of Object.entries(saved && typeof saved === 'object' ? saved : {})) {
		const field = FIELD_BY_ID.get(id);
		if (field) fields.set(id, { value: mappedValue(input, field, raw) });
	}
	return new MappedFields(input, fields, false, {});
}

/**
 * One value mapped under Map Each Field Below, for this item: a fixed value as saved, a
 * `{{ $json.field }}` read from the item (see itemReference.ts), any other expression resolved by
 * n8n. n8n's own check of mapped values is skipped: this node checks each value itself, with
 * errors that name the field, and takes lists where n8n would want text. An expression that
 * fails is reported with its field.
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
