import { isBlank } from '../../helpers/values';
import type { Heading, Part } from './headings';
import { ADDRESS_PARTS, bareNameHeading, heading, isFieldName, LINE_ITEM_PARTS, looksLikeOrderData, PERSON_PARTS, Tier, words } from './headings';
import { columnKey } from './columns';
import type { JsonObject, Source } from './orderMapper';
import { FieldRefusal } from './orderMapper';
import { isUnitedStates, stateCode } from './usStates';

/**
 * Map Automatically's first step: an item → where each order field comes from. Pure: it reads
 * the item's columns (and nested objects such as `billing.address_1`, `line_items[].sku`) by
 * heading (headings.ts) and decides, never mixing two people or two addresses:
 *
 * - the address: the service address (no prefix, or `Service`), else the shipping address, else
 *   the mailing / customer address, else the billing address: the first of these with a street,
 *   all its parts (street, line 2 and 3, city, state, ZIP, country) from that one group;
 * - the person: from the first group that names one, First and Last Name, else a full name;
 * - every other field: from its best column (no prefix before Shipping, Mailing, Billing).
 *
 * Two columns that give one field different values with equal standing are refused, naming both;
 * columns that look like order data and were not read are listed in `unread`.
 */
export interface Reading {
	/** By order field id (columns.ts); `address` is the street line. */
	fields: Map<string, Source>;
	/** The rest of the address group the street came from. */
	address: { city?: Source; state?: Source; zip?: Source; country?: Source; line3?: Source };
	/** A full name (`Shipping Name`) split into First and Last Name, or why it could not be. */
	nameProblem?: FieldRefusal;
	/** The shop's line items (SKU, product name), read when no SKU IDs column is given. */
	lines: Line[];
	/** Columns with a value that look like order data and were not read. */
	unread: string[];
	/** The item's columns, for messages. */
	columns: string[];
}

export interface Line {
	sku?: Source;
	name?: Source;
	quantity?: Source;
}

interface Candidate extends Heading {
	column: string;
	value: unknown;
	/** Position in the item: of equals, the first is read. */
	order: number;
	/** Which line item (a `line_items` list's entry), for shop SKUs. */
	line?: number;
}

/** A cell as spreadsheets keep text: `'02139` → `02139`. */
const clean = (value: unknown) => (typeof value === 'string' && value.startsWith("'") ? value.slice(1) : value);

/** Whether a nested object is the item of one of n8n's shop nodes with its order number in `number` / `id` (WooCommerce). */
const isWooCommerceOrder = (json: JsonObject) =>
	Array.isArray(json.line_items) && typeof json.billing === 'object' && json.billing !== null && 'number' in json;

export function readItem(json: JsonObject): Reading {
	const candidates: Candidate[] = [];
	const unread: string[] = [];
	let order = 0;
	const add = (column: string, found: Heading, value: unknown, line?: number) =>
		candidates.push({ part: found.part, tier: found.tier, rank: found.rank, column, value: clean(value), order: order++, line });

	const visit = (value: unknown, column: string, depth: number) => {
		if (depth < 3 && isPlainObject(value) && !isFieldName(column)) {
			for (const [key, inner] of Object.entries(value)) visit(inner, `${column}.${key}`, depth + 1);
			return;
		}
		const bareName = depth === 0 && column.length <= 6 && columnKey(column) === 'name';
		const found = bareName ? (isBlank(value) ? null : bareNameHeading(clean(value))) : nestedHeading(column, depth);
		if (found) return add(column, found, value);
		if (Array.isArray(value) && LINE_LISTS.has(words(column).join('')) && value.some(isPlainObject)) return readLines(column, value);
		if (Array.isArray(value) && value.length > 0 && value.every(isNameValue)) {
			// Shopify's note_attributes: [{ name: "Preferred time", value: "..." }], each a column of its own.
			for (const entry of value as JsonObject[]) visit(entry.value, `${column}: ${String(entry.name)}`, depth + 1);
			return;
		}
		// A nested field by its own name: `shipping_address.latitude` is no address line.
		const own = depth === 0 || column.includes(': ') ? column : column.slice(column.lastIndexOf('.') + 1);
		if (!isBlank(value) && typeof value !== 'object' && looksLikeOrderData(own)) unread.push(column);
	};
	/** `line_items: [{ sku, name, quantity }, ...]`: one line item per entry. */
	const readLines = (column: string, list: unknown[]) => {
		list.forEach((entry, index) => {
			if (!isPlainObject(entry)) return;
			for (const [key, value] of Object.entries(entry)) {
				const part = LINE_ITEM_PARTS[words(key).join('')];
				if (part) add(`${column}[${index}].${key}`, { part, tier: Tier.Service, rank: 0 }, value, index);
			}
		});
	};

	for (const [column, value] of Object.entries(json)) visit(value, column, 0);
	if (isWooCommerceOrder(json)) {
		// n8n's WooCommerce node: `number` is the order number the shop shows, `id` its record.
		if (!isBlank(json.number)) add('number', { part: 'po', tier: Tier.Service, rank: 2 }, json.number);
		else if (!isBlank(json.id)) add('id', { part: 'po', tier: Tier.Service, rank: 3 }, json.id);
	}

	const byPart = new Map<Part, Candidate[]>();
	for (const candidate of candidates) {
		const list = byPart.get(candidate.part);
		if (list) list.push(candidate);
		else byPart.set(candidate.part, [candidate]);
	}
	const used = new Set<Candidate>();
	const pick = (part: Part, tier?: Tier): Candidate | undefined => {
		const filled = (byPart.get(part) ?? []).filter((candidate) => !isBlank(candidate.value) && (tier === undefined || candidate.tier === tier));
		return best(filled, part, used);
	};

	const fields = new Map<string, Source>();
	const set = (id: string, candidate: Candidate | undefined) => {
		if (candidate) fields.set(id, { value: candidate.value, column: candidate.column });
	};
	const given = (part: Part) => byPart.has(part);

	// The address: one group, the first with a street.
	const tiers = [Tier.Service, Tier.Shipping, Tier.Mailing, Tier.Billing];
	const addressTier = tiers.find((tier) => pick('street', tier) !== undefined);
	const address: Reading['address'] = {};
	if (addressTier !== undefined) {
		set('address', pick('street', addressTier));
		set('address_details', pick('line2', addressTier));
		for (const part of ['city', 'state', 'zip', 'country', 'line3'] as const) {
			const candidate = pick(part, addressTier);
			if (candidate) address[part] = { value: candidate.value, column: candidate.column };
		}
	} else {
		// No street: a blank street column still names the field in the error; no other part is read.
		const blank = (byPart.get('street') ?? [])[0];
		if (blank) fields.set('address', { value: blank.value, column: blank.column });
		set('address_details', pick('line2', Tier.Service));
	}

	// The person: one group, the first that names one.
	let nameProblem: FieldRefusal | undefined;
	const personTier = tiers.find((tier) => PERSON_PARTS.some((part) => pick(part, tier) !== undefined));
	if (personTier !== undefined) {
		const first = pick('first', personTier);
		const last = pick('last', personTier);
		if (first || last) {
			set('first_name', first);
			set('last_name', last);
		} else {
			const full = pick('full', personTier) as Candidate;
			const split = splitName(String(full.value).trim());
			if (typeof split === 'string') nameProblem = new FieldRefusal(`First Name and Last Name (column "${full.column}")`, split, 'Give the name in First Name and Last Name columns, or book for an existing client with a Client ID.');
			else {
				fields.set('first_name', { value: split[0], column: full.column });
				fields.set('last_name', { value: split[1], column: full.column });
			}
		}
	}
	// A blank first / last name column still names the field in the error.
	for (const [id, part] of [['first_name', 'first'], ['last_name', 'last']] as const) {
		if (!fields.has(id) && personTier === undefined && given(part)) {
			const blank = (byPart.get(part) as Candidate[])[0];
			fields.set(id, { value: blank.value, column: blank.column });
		}
	}

	// Every other field: its best column, blank ones naming the field when nothing fills it.
	const single: [string, Part][] = [
		['email', 'email'],
		['phone', 'phone'],
		['client_id', 'client_id'],
		['sku_id', 'sku'],
		['time_windows', 'time_windows'],
		['purchase_order_id', 'po'],
		['business_name', 'company'],
		['devices', 'devices'],
		['notes', 'notes'],
	];
	for (const [id, part] of single) {
		const candidate = pick(part);
		if (candidate) set(id, candidate);
		else if (given(part)) {
			const blank = (byPart.get(part) as Candidate[]).find((entry) => entry.tier === Tier.Service && entry.rank === 0) ?? (byPart.get(part) as Candidate[])[0];
			fields.set(id, { value: blank.value, column: blank.column });
		}
	}

	// The shop's line items, when no SKU IDs column is given.
	const lines: Line[] = [];
	if (!fields.has('sku_id') || isBlank(fields.get('sku_id')?.value)) {
		const byLine = new Map<number, Line>();
		for (const part of ['shopSku', 'productName', 'quantity'] as const) {
			for (const candidate of byPart.get(part) ?? []) {
				const key = candidate.line ?? -1;
				const line = byLine.get(key) ?? {};
				const slot = part === 'shopSku' ? 'sku' : part === 'productName' ? 'name' : 'quantity';
				if (line[slot] === undefined && !isBlank(candidate.value)) {
					line[slot] = { value: candidate.value, column: candidate.column };
					used.add(candidate);
				}
				byLine.set(key, line);
			}
		}
		lines.push(...[...byLine.values()].filter((line) => line.sku || line.name));
	}
	for (const line of lines) {
		const quantity = line.quantity?.value;
		if (quantity !== undefined && String(quantity).trim() !== '1') unread.push(line.quantity?.column as string);
	}

	// Columns read but not used (the billing address beside the shipping one, a second phone...)
	// are named when their value is not the one used.
	const unused = candidates.filter((candidate) => !used.has(candidate) && !isBlank(candidate.value));
	if (unused.length === 0) return { fields, address, nameProblem, lines, unread, columns: Object.keys(json) };
	const usedValues = new Map<Part, string[]>();
	const first = fields.get('first_name')?.value;
	const last = fields.get('last_name')?.value;
	if (typeof first === 'string' && typeof last === 'string') usedValues.set('full', [comparable(`${first} ${last}`), comparable(`${last}, ${first}`)]);
	for (const candidate of used) {
		const list = usedValues.get(candidate.part) ?? [];
		list.push(comparable(candidate.value, candidate.part));
		usedValues.set(candidate.part, list);
	}
	for (const candidate of unused) {
		if (candidate.part === 'productName' || candidate.part === 'quantity') continue;
		if (candidate.part === 'shopSku' && lines.length === 0 && fields.has('sku_id')) {
			unread.push(candidate.column);
			continue;
		}
		const value = comparable(candidate.value, candidate.part);
		const usedOfPart = usedValues.get(candidate.part) ?? [];
		// Shopify's `Billing Street` holds the Address1 read beside it.
		const same = usedOfPart.includes(value) || (candidate.part === 'street' && usedOfPart.some((street) => value.includes(street)));
		if (!same) unread.push(candidate.column);
	}

	return { fields, address, nameProblem, lines, unread, columns: Object.keys(json) };
}

/** The lists of line items in the items of n8n's shop nodes and in JSON exports. */
const LINE_LISTS = new Set(['lineitems', 'lineitem', 'items', 'products', 'orderitems']);

/**
 * A nested field's heading. An address part only inside an address (`shipping_address.city`,
 * `customer.default_address.zip`, WooCommerce's `billing.city`): Shopify's `customer.state` is
 * the customer account's state, not a US state.
 */
function nestedHeading(column: string, depth: number): Heading | null {
	const found = heading(column);
	if (!found || depth === 0 || !ADDRESS_PARTS.includes(found.part)) return found;
	const parent = words(column.slice(0, column.lastIndexOf('.')));
	const inAddress = parent.includes('address') || (parent.length === 1 && (parent[0] === 'billing' || parent[0] === 'shipping'));
	return inAddress ? found : null;
}

const isNameValue = (value: unknown) =>
	isPlainObject(value) && Object.keys(value).length === 2 && typeof value.name === 'string' && 'value' in value;

const isPlainObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** A value as compared with another of its part: `#1001` is 1001, `New York` is NY, `United States` is US. */
function comparable(value: unknown, part?: Part): string {
	const text = typeof value === 'string' ? value.trim().replace(/^#/, '').toLowerCase() : JSON.stringify(value);
	if (part === 'state') return stateCode(text) ?? text;
	if (part === 'country') return isUnitedStates(text) ? 'us' : text;
	if (part === 'phone') return text.replace(/\D/g, '').replace(/^1(\d{10})$/, '$1');
	return text;
}

/**
 * The best of the filled columns of one part: the lowest tier, then the lowest rank; another of
 * the same standing with a different value is a conflict, refused naming both columns.
 */
function best(filled: Candidate[], part: Part, used: Set<Candidate>): Candidate | undefined {
	if (filled.length === 0) return undefined;
	let top = filled[0];
	for (const candidate of filled) {
		if (candidate.tier < top.tier || (candidate.tier === top.tier && candidate.rank < top.rank)) top = candidate;
	}
	for (const candidate of filled) {
		if (candidate === top || candidate.tier !== top.tier || candidate.rank !== top.rank) continue;
		if (comparable(candidate.value, part) === comparable(top.value, part)) {
			used.add(candidate);
			continue;
		}
		const [first, second] = top.order < candidate.order ? [top, candidate] : [candidate, top];
		throw new FieldRefusal(
			PART_LABELS[part],
			`the item's columns "${first.column}" and "${second.column}" both give it, with different values`,
			'Keep one of them, or switch Columns to Map Each Field Below and map the one to use.',
		);
	}
	used.add(top);
	return top;
}

/** How a conflict names a part: as the mapper names its field. */
const PART_LABELS: Record<Part, string> = {
	first: 'First Name',
	last: 'Last Name',
	full: 'Name',
	email: 'Email',
	phone: 'Phone',
	company: 'Business Name',
	street: 'Address',
	line2: 'Address Details',
	line3: 'Address Details',
	city: 'City',
	state: 'State',
	zip: 'ZIP Code',
	country: 'Country',
	notes: 'Notes',
	client_id: 'Client ID',
	sku: 'SKU IDs',
	shopSku: 'SKU IDs',
	productName: 'SKU IDs',
	quantity: 'Quantity',
	time_windows: 'Time Windows',
	po: 'Purchase Order ID',
	devices: 'Devices',
};

/**
 * A full name as [first, last] where only one reading is possible: `Maya Lopez`, `Lopez, Maya`,
 * `Maya J. Lopez` (a middle initial stays with the first name). Otherwise why not, as text.
 */
export function splitName(name: string): [string, string] | string {
	const comma = name.split(',').map((part) => part.trim());
	if (comma.length === 2 && comma[0] && comma[1] && !/\s/.test(comma[0])) return [comma[1], comma[0]];
	const parts = name.split(/\s+/).filter(Boolean);
	if (parts.length === 2) return [parts[0], parts[1]];
	if (parts.length === 3 && /^[A-Za-z]\.?$/.test(parts[1])) return [`${parts[0]} ${parts[1]}`, parts[2]];
	if (parts.length < 2) return `"${name}" is one name: a new client needs a first and a last name`;
	return `"${name}" can be split into first and last name more than one way`;
}
