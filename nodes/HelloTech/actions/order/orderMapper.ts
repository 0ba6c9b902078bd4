import { timeWindows } from '../../helpers/timeWindows';
import {
	email,
	isBlank,
	phone,
	positiveInteger,
	show,
	stringList,
	text,
	ValueProblem,
} from '../../helpers/values';
import type { OrderField } from './columns';
import { acceptedNames, fullAddress, ORDER_FIELDS } from './columns';
import type { Line, Reading } from './reading';
import { readItem } from './reading';
import { isUnitedStates } from './usStates';


/** An item's JSON (n8n's IDataObject), kept free of n8n here: these steps are pure. */
export type JsonObject = Record<string, unknown>;
/**
 * Order → Create (version 2) as a pipeline of pure steps: an item → where each order field
 * comes from (reading.ts for Map Automatically; the mapped values for Map Each Field Below) →
 * each value checked → the Create order body. Nothing here reads n8n: the corpus of export
 * formats (test/corpus/) runs these steps directly and through the node.
 */

/** One field's value and the column it came from (Map Automatically only). */
export interface Source {
	value: unknown;
	column?: string;
}

/** A value refused: the field as errors name it, what is wrong, and how to fix it. */
export class FieldRefusal extends Error {
	constructor(
		readonly label: string,
		readonly problem: string,
		readonly description?: string,
	) {
		super(`${label}: ${problem}`);
	}
}

/** A shop's SKUs and product names → HelloTech SKU IDs (Shop SKUs), by lower-case text. */
export type ShopSkus = Map<string, number>;

export const shopSkuKey = (value: unknown) => String(value).trim().toLowerCase();

export interface MapContext {
	/** Map Automatically (the item's columns), or Map Each Field Below. */
	auto: boolean;
	/** The workflow's time zone, for time windows without one. */
	timezone: string;
	shopSkus: ShopSkus;
	/** The SKUs picked under SKUs, checked when the body needs them. */
	pickedSkus: () => number[];
}

export interface MappedOrder {
	body: JsonObject;
	/** The ZIP of the address group (Map Automatically), for Options' checks. */
	zip?: string;
	/** Columns that look like order data and were not read. */
	unread: string[];
}

/** The whole pipeline for Map Automatically: an item's JSON → the Create order body. */
export function orderFromItem(json: JsonObject, context: Omit<MapContext, 'auto'>): MappedOrder {
	return orderFromReading(readItem(json), { ...context, auto: true });
}

/** Map Each Field Below: the values mapped per field id → a reading (no columns). */
export function readingFromValues(values: Map<string, unknown>): Reading {
	const fields = new Map<string, Source>();
	for (const [id, value] of values) fields.set(id, { value });
	return { fields, address: {}, lines: [], unread: [], columns: [] };
}

const FIELD_BY_ID = new Map(ORDER_FIELDS.map((field) => [field.id, field]));

/** The last two steps: each value checked, then the body. */
export function orderFromReading(reading: Reading, context: MapContext): MappedOrder {
	const row = new Checked(reading, context.auto);
	const body: JsonObject = {};

	if (!isBlank(row.get('client_id').value)) {
		body.client_id = row.check('client_id', positiveInteger);
	} else {
		if (['first_name', 'last_name', 'email'].every((id) => isBlank(row.get(id).value)) && !reading.nameProblem) {
			throw new FieldRefusal(
				'Client',
				'give a Client ID (to book for an existing client) or First Name, Last Name and Email (to create a new client)',
				context.auto ? `The item's columns: ${reading.columns.join(', ') || 'none'}.` : undefined,
			);
		}
		if (reading.nameProblem) throw reading.nameProblem;
		body.first_name = row.requiredText('first_name', ' for a new client (or give a Client ID)');
		body.last_name = row.requiredText('last_name', ' for a new client (or give a Client ID)');
		body.email = row.check('email', email, ' for a new client (or give a Client ID)');
	}
	const street = row.requiredText('address');
	let zip: string | undefined;
	if (context.auto) {
		const parts = reading.address;
		const country = parts.country && !isBlank(parts.country.value) ? text(parts.country.value) : '';
		if (country && !isUnitedStates(country)) {
			throw new FieldRefusal(
				`Country (column "${parts.country?.column}")`,
				`HelloTech books service at US addresses, got ${show(country)}`,
			);
		}
		const part = (source?: Source) => (source === undefined ? '' : row.checkText(source));
		const built = fullAddress(oneLine(street), { city: part(parts.city), state: part(parts.state), zip: part(parts.zip) });
		body.address = built.address;
		zip = built.zip || undefined;
	} else {
		body.address = street;
	}
	body.phone = row.check('phone', phone);

	const skuIds = [...row.skuIds(context.shopSkus), ...context.pickedSkus()];
	if (skuIds.length === 0) {
		throw new FieldRefusal('SKU IDs', 'at least one SKU is required: give SKU IDs in the item or pick them under SKUs');
	}
	body.sku_id = [...new Set(skuIds)];

	const windows = row.optional('time_windows', (value) => timeWindows(value, context.timezone), []);
	if (windows.length) body.time_windows = windows;
	const optionalText = (id: string) => row.optional(id, (value) => text(value) || undefined, undefined);
	const purchaseOrderId = optionalText('purchase_order_id');
	if (purchaseOrderId) body.purchase_order_id = purchaseOrderId;
	const details = [optionalText('address_details'), reading.address.line3 && row.checkText(reading.address.line3)].filter(Boolean);
	if (details.length) body.address_details = details.join(', ');
	const businessName = optionalText('business_name');
	if (businessName) body.business_name = businessName;
	const devices = row.optional('devices', stringList, []);
	if (devices.length) body.devices = devices;
	const notes = optionalText('notes');
	if (notes) body.notes = notes;
	return { body, zip, unread: reading.unread };
}

/**
 * An address cell written on several lines (Salesforce's Mailing Street) or with its parts apart
 * by double spaces (Mailchimp's Address: "719 Flower St  Los Angeles  CA  90017  US") as one
 * line: "719 Flower St, Los Angeles, CA 90017". A trailing US country is dropped (HelloTech is US only).
 */
export function oneLine(address: string): string {
	const parts = address.split(/\s*\n\s*|\s{2,}/).map((part) => part.trim().replace(/,$/, '')).filter(Boolean);
	if (parts.length < 2) return address;
	if (isUnitedStates(parts[parts.length - 1])) parts.pop();
	const last = parts.length - 1;
	if (last > 0 && /^\d{5}(-\d{4})?$/.test(parts[last]) && /^[A-Za-z]{2}$/.test(parts[last - 1])) {
		parts.splice(last - 1, 2, `${parts[last - 1]} ${parts[last]}`);
	}
	return parts.join(', ');
}

/** Runs a parser from values.ts; its complaint becomes a refusal naming `label`. */
function checked<T>(label: string, parse: () => T): T {
	let complaint: ValueProblem;
	try {
		return parse();
	} catch (error) {
		if (!(error instanceof ValueProblem)) return passOn(error);
		complaint = error;
	}
	throw new FieldRefusal(label, complaint.message);
}

/** Anything but a value's complaint (a bug) goes on as it is. */
function passOn(error: unknown): never {
	throw error;
}

/** An item's order fields and how to check each, errors naming the field and its column. */
class Checked {
	constructor(
		private readonly reading: Reading,
		private readonly auto: boolean,
	) {}

	get(id: string): Source {
		return this.reading.fields.get(id) ?? { value: undefined };
	}

	label(id: string): string {
		const { displayName } = FIELD_BY_ID.get(id) as OrderField;
		const { column } = this.get(id);
		return column === undefined ? displayName : `${displayName} (column "${column}")`;
	}

	check<T>(id: string, parse: (value: unknown) => T, why = ''): T {
		const { value } = this.get(id);
		if (isBlank(value)) this.missing(id, why);
		return checked(this.label(id), () => parse(value));
	}

	requiredText(id: string, why = ''): string {
		const result = this.check(id, text, why);
		if (result === '') this.missing(id, why);
		return result;
	}

	optional<T>(id: string, parse: (value: unknown) => T, fallback: T): T {
		const { value } = this.get(id);
		if (isBlank(value)) return fallback;
		return checked(this.label(id), () => parse(value));
	}

	/** A part of the address group (City, State, ZIP) as text. */
	checkText(source: Source): string {
		const value = typeof source.value === 'number' && Number.isInteger(source.value) ? String(source.value) : source.value;
		return checked(`Address (column "${source.column}")`, () => text(value));
	}

	/**
	 * The SKU IDs of the item: its SKU IDs column, else its line items (the shop's SKU, or its
	 * product name when it has no SKU). Each entry: a Shop SKU of the table, else a HelloTech SKU
	 * ID; anything else is refused by name.
	 */
	skuIds(shopSkus: ShopSkus): number[] {
		const given = this.get('sku_id');
		if (!isBlank(given.value)) {
			const entries = checked(this.label('sku_id'), () => stringListOrNumbers(given.value));
			return entries.map((entry) => resolveSku(entry, this.label('sku_id'), shopSkus, true));
		}
		return this.reading.lines.map((line) => resolveLine(line, shopSkus));
	}

	missing(id: string, why: string): never {
		const field = FIELD_BY_ID.get(id) as OrderField;
		if (this.auto && this.get(id).column === undefined) {
			const names = acceptedNames(field)
				.map((name) => `"${name}"`)
				.join(', ');
			const prefixed = PREFIXED.has(id) ? ', also with a Shipping, Billing, Mailing or Service prefix' : '';
			throw new FieldRefusal(
				field.displayName,
				`is required${why}`,
				`No column of the item gives it (an empty cell is often left out of the item). Map Automatically reads it from a column named ${names}${prefixed}; case, spaces, - and _ do not matter. The item's columns: ${this.reading.columns.join(', ') || 'none'}.`,
			);
		}
		throw new FieldRefusal(this.label(id), `is required${why}`);
	}
}

/** The fields read with a Shipping / Billing / Mailing / Service prefix too (headings.ts). */
const PREFIXED = new Set(['first_name', 'last_name', 'email', 'address', 'phone', 'address_details', 'business_name']);

/** A SKU list's entries as given: numbers stay numbers, text is split as lists are (values.ts). */
function stringListOrNumbers(value: unknown): unknown[] {
	if (typeof value === 'number') return [value];
	if (Array.isArray(value)) return value.filter((entry) => !isBlank(entry));
	return stringList(value);
}

/** One SKU entry: a Shop SKU → its HelloTech SKU ID; a HelloTech SKU ID as it is. */
function resolveSku(entry: unknown, label: string, shopSkus: ShopSkus, legacy = false): number {
	const mapped = typeof entry === 'object' ? undefined : shopSkus.get(shopSkuKey(entry));
	if (mapped !== undefined) return mapped;
	const id = /^\s*\d+\s*$/.test(String(entry)) && typeof entry !== 'object' ? Number(entry) : 0;
	if (id >= 1 && Number.isSafeInteger(id)) return id;
	if (legacy && shopSkus.size === 0) throw new FieldRefusal(label, `${show(entry)} is not a positive whole number ID`);
	throw new FieldRefusal(label, `${show(entry)} is neither a HelloTech SKU ID nor one of the Shop SKUs`, SHOP_SKUS_HINT);
}

function resolveLine(line: Line, shopSkus: ShopSkus): number {
	if (line.sku) return resolveSku(line.sku.value, `SKU IDs (column "${line.sku.column}")`, shopSkus);
	const { value, column } = line.name as Source;
	const mapped = shopSkus.get(shopSkuKey(value));
	if (mapped !== undefined) return mapped;
	throw new FieldRefusal(`SKU IDs (column "${column}")`, `the product ${show(value)} has no SKU and is not one of the Shop SKUs`, SHOP_SKUS_HINT);
}

const SHOP_SKUS_HINT =
	"Translate a shop's own SKUs or product names under Shop SKUs (each with the HelloTech SKU it books), or give HelloTech SKU IDs.";
