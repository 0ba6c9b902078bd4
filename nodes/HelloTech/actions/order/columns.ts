import type { ResourceMapperField } from 'n8n-workflow';

/**
 * The order fields of Order → Create (version 2), as its column mapper shows them. Each id is the
 * name the Create order body uses (published: see the Create order page); the display name and
 * the aliases are the headings people put in spreadsheets. Map Automatically reads a column whose
 * name, with case, spaces and punctuation ignored, is the id, the display name or an alias. The
 * README lists the same names.
 */
export interface OrderField {
	id: string;
	displayName: string;
	aliases: string[];
	/** Shown as required by the mapper (the API requires it whatever the client). */
	required?: boolean;
	/** Left out of Map Each Field Below until the user adds it. */
	removed?: boolean;
}

export const ORDER_FIELDS: OrderField[] = [
	{ id: 'first_name', displayName: 'First Name', aliases: ['First', 'Given Name'] },
	{ id: 'last_name', displayName: 'Last Name', aliases: ['Last', 'Surname', 'Family Name'] },
	{ id: 'email', displayName: 'Email', aliases: ['Email Address'] },
	{ id: 'client_id', displayName: 'Client ID', aliases: ['HelloTech Client ID'], removed: true },
	{ id: 'address', displayName: 'Address', aliases: ['Full Address', 'Street Address', 'Service Address'], required: true },
	{
		id: 'address_details',
		displayName: 'Address Details',
		aliases: ['Address 2', 'Address Line 2', 'Apartment', 'Apt'],
		removed: true,
	},
	{
		id: 'phone',
		displayName: 'Phone',
		aliases: ['Phone Number', 'Telephone', 'Mobile', 'Mobile Phone', 'Cell Phone'],
		required: true,
	},
	{ id: 'sku_id', displayName: 'SKU IDs', aliases: ['SKU', 'SKUs', 'SKU ID', 'SKU IDs'] },
	{ id: 'time_windows', displayName: 'Time Windows', aliases: ['Time Window', 'Appointment Windows'] },
	{
		id: 'purchase_order_id',
		displayName: 'Purchase Order ID',
		aliases: ['PO', 'PO Number', 'PO No', 'PO ID', 'Purchase Order', 'Purchase Order Number'],
	},
	{ id: 'business_name', displayName: 'Business Name', aliases: ['Business', 'Company', 'Company Name'], removed: true },
	{ id: 'devices', displayName: 'Devices', aliases: ['Device'], removed: true },
	{ id: 'notes', displayName: 'Notes', aliases: ['Note', 'Comments', 'Instructions'], removed: true },
];

/** A column name with case, spaces and punctuation (`-`, `_`, `#`, ...) ignored. */
export const columnKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const FIELD_BY_KEY = new Map<string, OrderField>();
for (const field of ORDER_FIELDS) {
	for (const name of [field.id, field.displayName, ...field.aliases]) FIELD_BY_KEY.set(columnKey(name), field);
}

/** The names Map Automatically reads for `field`, for messages: the id first. */
export function acceptedNames(field: OrderField): string[] {
	const byKey = new Map<string, string>();
	for (const name of [field.id, field.displayName, ...field.aliases]) {
		if (!byKey.has(columnKey(name))) byKey.set(columnKey(name), name);
	}
	return [...byKey.values()];
}

/** The mapper's fields (Map Each Field Below). Static: no request, so no credential is needed. */
export function orderColumnsSchema({ all = false } = {}): ResourceMapperField[] {
	return ORDER_FIELDS.map((field) => ({
		id: field.id,
		displayName: field.displayName,
		required: field.required === true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: 'string',
		removed: !all && field.removed === true,
	}));
}

/**
 * The full address of a sheet that splits it into columns (Street Address, City, State, ZIP):
 * HelloTech wants the customer's whole address in one field, and a street alone would book a
 * technician to an address without a town. The parts the street does not already hold are added
 * after it: "719 Flower St" + Los Angeles + CA + 90017 → "719 Flower St, Los Angeles, CA 90017".
 * Map Automatically only. Also the ZIP, for Options' checks.
 */
export function fullAddress(street: string, parts: { city: string; state: string; zip: string }): { address: string; zip: string } {
	const { city, state } = parts;
	let zip = parts.zip;
	// A ZIP a spreadsheet turned into a number has lost its leading zero (02134 → 2134).
	if (/^\d{3,4}$/.test(zip)) zip = zip.padStart(5, '0');
	const missing = (text: string) => text !== '' && !holdsWords(street, text);
	const addCity = missing(city);
	const addState = missing(state);
	const addZip = missing(zip);
	// Only the ZIP missing from "…, Cambridge, MA": it follows the state as in any US address.
	if (addZip && !addCity && !addState && endsWithState(street, state)) return { address: `${street} ${zip}`, zip };
	const out = [street];
	if (addCity) out.push(city);
	const stateZip = [addState ? state : '', addZip ? zip : ''].filter(Boolean).join(' ');
	if (stateZip) out.push(stateZip);
	return { address: out.join(', '), zip };
}

/** Whether the address ends with its state: the State column's value, or a two-letter code. */
function endsWithState(address: string, state: string): boolean {
	return holdsWords(address, state, true) || /(^|[\s,])[A-Z]{2}[.,\s]*$/.test(address);
}

/**
 * Whether `text` is in the address as whole words, case aside (a state "CA" is not held by
 * "Carlton St"); with `atEnd`, as its last words, trailing punctuation aside.
 */
function holdsWords(address: string, text: string, atEnd = false): boolean {
	if (text === '') return false;
	const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(^|[^a-z0-9])${escaped}${atEnd ? '[.,\\s]*$' : '($|[^a-z0-9])'}`, 'i').test(address);
}
