import { columnKey, ORDER_FIELDS } from './columns';

/**
 * What a column heading means to Map Automatically: which part of an order it gives, from which
 * address group (tier) and how strongly (rank). The vocabulary of the export formats Map
 * Automatically reads (docs/column-mapper.md lists them); each heading is read with case, spaces
 * and punctuation ignored, camelCase and `billing.address_1` paths split into words.
 */

/** Where a person or an address comes from: the lower, the more it is the service address. */
export const enum Tier {
	/** No prefix, or `Service`: the sheet's own columns. */
	Service = 0,
	/** `Shipping`, `Ship`, `Ship To`, `Recipient`, `Delivery`: where the order goes. */
	Shipping = 1,
	/** `Mailing`, `Customer`, `Buyer`, `Contact`, `Default Address`: the customer's own address. */
	Mailing = 2,
	/** `Billing`, `Bill To`: who pays. */
	Billing = 3,
}

export const TIER_NAMES = ['service', 'shipping', 'mailing', 'billing'];

export type Part =
	| 'first'
	| 'last'
	| 'full'
	| 'email'
	| 'phone'
	| 'company'
	| 'street'
	| 'line2'
	| 'line3'
	| 'city'
	| 'state'
	| 'zip'
	| 'country'
	| 'notes'
	| 'client_id'
	| 'sku'
	| 'shopSku'
	| 'productName'
	| 'quantity'
	| 'time_windows'
	| 'po'
	| 'devices';

export interface Heading {
	part: Part;
	tier: Tier;
	/** Among columns of one part and tier, the lowest rank is read; equal ranks must agree. */
	rank: number;
}

/** The parts that follow the person or the address they belong to (read by tier). */
export const PERSON_PARTS: Part[] = ['first', 'last', 'full'];
export const ADDRESS_PARTS: Part[] = ['street', 'line2', 'line3', 'city', 'state', 'zip', 'country'];

/** The columns of version 2's mapper by their names and aliases (columns.ts): read as they always were. */
const LEGACY_PART: Record<string, Part> = {
	first_name: 'first',
	last_name: 'last',
	email: 'email',
	client_id: 'client_id',
	address: 'street',
	address_details: 'line2',
	phone: 'phone',
	sku_id: 'sku',
	time_windows: 'time_windows',
	purchase_order_id: 'po',
	business_name: 'company',
	devices: 'devices',
	notes: 'notes',
};
const LEGACY = new Map<string, Heading>();
for (const field of ORDER_FIELDS) {
	for (const name of [field.id, field.displayName, ...field.aliases]) {
		LEGACY.set(columnKey(name), { part: LEGACY_PART[field.id], tier: Tier.Service, rank: 0 });
	}
}

/** Words that say whose the rest of the heading is: `Shipping City`, `billing.address_1`, `Buyer Email`. */
const PREFIXES: Record<string, Tier> = {
	service: Tier.Service,
	shipping: Tier.Shipping,
	ship: Tier.Shipping,
	recipient: Tier.Shipping,
	delivery: Tier.Shipping,
	mailing: Tier.Mailing,
	customer: Tier.Mailing,
	buyer: Tier.Mailing,
	contact: Tier.Mailing,
	default: Tier.Mailing,
	billing: Tier.Billing,
	bill: Tier.Billing,
	// Xero's contacts: SA (street address, where the customer is) and PO (postal address).
	sa: Tier.Shipping,
	po: Tier.Mailing,
};

/** Prefixes that name a person when they stand alone (`Customer`, `Buyer`). */
const PERSON_PREFIXES = new Set(['customer', 'buyer', 'recipient', 'contact']);

/** A heading's rest (after its prefix), words joined, → part and rank. */
const PARTS: Record<string, [Part, number]> = {};
const define = (part: Part, rank: number, ...keys: string[]) => {
	for (const key of keys) PARTS[key] = [part, rank];
};
define('first', 0, 'firstname', 'first', 'givenname', 'fname');
define('last', 0, 'lastname', 'last', 'surname', 'familyname', 'lname');
define('full', 0, 'fullname');
define('full', 1, 'name');
define('email', 0, 'email', 'emailaddress', 'mail');
define('phone', 0, 'phone', 'phonenumber', 'telephone', 'telephonenumber', 'mobile', 'mobilephone', 'mobilephonenumber', 'mobilenumber', 'cellphone', 'cell');
define('phone', 2, 'homephone', 'workphone', 'otherphone', 'businessphone', 'phonework', 'phonehome', 'phonemobile', 'phoneother');
define('company', 0, 'company', 'companyname', 'business', 'businessname', 'organization', 'organisation');
define('street', 0, 'address', 'streetaddress', 'address1', 'addressline1', 'streetaddress1', 'streetaddressline1', 'street1', 'streetline1', 'fulladdress');
// Shopify's `Billing Street` is Address1 and Address2 in one: read when there is no Address1.
define('street', 1, 'street', 'addressstreet');
define('line2', 0, 'address2', 'addressline2', 'streetaddress2', 'streetaddressline2', 'street2', 'streetline2', 'apartment', 'apt', 'suite', 'unit', 'aptsuite', 'addressdetails');
define('line3', 0, 'address3', 'addressline3', 'streetaddress3', 'street3');
define('city', 0, 'city', 'town', 'citytown', 'locality', 'suburb');
define('state', 0, 'state', 'province', 'statecode', 'provincecode', 'stateprovince', 'stateregion', 'stateorprovince', 'stateregionprovince', 'stateprovinceregion', 'stateprovincecode');
define('state', 1, 'statename', 'provincename', 'region');
define('zip', 0, 'zip', 'zipcode', 'postalcode', 'postcode', 'zippostalcode', 'postalzipcode', 'zippostcode', 'postcodezip', 'zippostal', 'postal', 'zipcodepostalcode');
define('country', 0, 'country', 'countrycode', 'countryregion');
define('notes', 0, 'note', 'notes', 'comments', 'instructions', 'specialinstructions', 'deliveryinstructions', 'memo');
// A shop's line item: its SKU (the shop's own), product name and quantity.
define('shopSku', 0, 'lineitemsku', 'productsku', 'itemsku', 'variantsku', 'sellersku', 'merchantsku');
define('productName', 0, 'lineitemname', 'productname', 'itemname', 'producttitle', 'itemtitle', 'lineitemtitle', 'product', 'item');
define('quantity', 0, 'lineitemquantity', 'quantity', 'qty', 'quantitypurchased', 'itemquantity');
// A shop's order number, read as Purchase Order ID when no PO column is given.
define('po', 2, 'ordernumber', 'orderno', 'ordernum', 'merchantorderid', 'jobnumber', 'jobno', 'workordernumber');
define('po', 3, 'orderid', 'amazonorderid');

/** Read only after a prefix (`PORegion`, `Shipping Name`): alone, a sales region or a record's name. */
const PREFIXED_ONLY = new Set(['name', 'region']);

/** The fields of one line item in a `line_items` list: `sku`, `name` / `title`, `quantity`. */
export const LINE_ITEM_PARTS: Record<string, Part> = {
	sku: 'shopSku',
	name: 'productName',
	title: 'productName',
	productname: 'productName',
	quantity: 'quantity',
	qty: 'quantity',
};

/** A heading's words: `billingAddress_1` → billing, address, 1. */
export function words(name: string): string[] {
	return name
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
		.replace(/([a-zA-Z])(\d)/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word !== '');
}

/** Whether `name` is one of the mapper's own field names or aliases (read as it always was, objects too). */
export const isFieldName = (name: string) => LEGACY.has(columnKey(name));

const cache = new Map<string, Heading | null>();
const MAX_CACHED = 2000;

/** What the column `name` gives, or null when Map Automatically does not read it. */
export function heading(name: string): Heading | null {
	let found = cache.get(name);
	if (found === undefined) {
		found = classify(name);
		if (cache.size >= MAX_CACHED) cache.clear();
		cache.set(name, found);
	}
	return found;
}

function classify(name: string): Heading | null {
	const legacy = LEGACY.get(columnKey(name));
	if (legacy) return legacy;
	const rest = words(name);
	let tier = Tier.Service;
	let prefixed = false;
	while (rest.length > 0 && PREFIXES[rest[0]] !== undefined) {
		tier = Math.max(tier, PREFIXES[rest.shift() as string]);
		prefixed = true;
		if (rest[0] === 'to') rest.shift(); // Ship To, Bill To
	}
	if (!prefixed) {
		const part = PARTS[rest.join('')];
		// Unprefixed, only the headings that cannot be mistaken: not a bare Name (a CRM's record
		// name, or Shopify's order number; see bareName in reading.ts).
		return part && !PREFIXED_ONLY.has(rest.join('')) ? { part: part[0], tier, rank: part[1] } : null;
	}
	// `Customer`, `Recipient`: the person's full name.
	if (rest.length === 0) return PERSON_PREFIXES.has(words(name)[0]) ? { part: 'full', tier, rank: 0 } : null;
	// `shipping_address.city`: the word "address" before a part that is not the street.
	if (rest[0] === 'address' && rest.length > 1 && !/^\d/.test(rest[1]) && PARTS[rest.slice(1).join('')]) rest.shift();
	const part = PARTS[rest.join('')];
	if (!part || part[0] === 'shopSku' || part[0] === 'productName' || part[0] === 'quantity' || part[0] === 'po') return null;
	// A prefixed name is a person's (`Shipping Name`, `Buyer Name`).
	return { part: part[0], tier, rank: part[0] === 'full' ? 0 : part[1] };
}

/** A bare `Name` column: a shop's order number when it looks like one (`#1001`), else a full name. */
export function bareNameHeading(value: unknown): Heading {
	return typeof value === 'string' && /^#\s*[\w-]+$/.test(value.trim())
		? { part: 'po', tier: Tier.Service, rank: 1 }
		: { part: 'full', tier: Tier.Service, rank: 1 };
}

/** Order-looking columns Map Automatically does not read (named in a hint when they hold a value). */
const LOOKS_LIKE_ORDER_DATA = new Set([
	'time',
	'date',
	'day',
	'window',
	'slot',
	'schedule',
	'scheduled',
	'appointment',
	'preferred',
	'availability',
	'install',
	'installation',
	'service',
	'sku',
	'skus',
	'product',
	'products',
	'message',
	'notes',
	'instructions',
	'address',
	'street',
	'city',
	'zip',
	'postal',
	'phone',
	'phones',
	'mobile',
	'job',
]);
/** Words of record-keeping dates (`Created at`, `purchase-date`): not the customer's wishes. */
const BOOKKEEPING = new Set([
	'created',
	'updated',
	'modified',
	'paid',
	'payment',
	'payments',
	'purchase',
	'fulfilled',
	'fulfillment',
	'cancelled',
	'canceled',
	'shipped',
	'completed',
	'submitted',
	'submit',
	'processed',
	'birth',
	'birthday',
	'sale',
	'create',
	'level',
	'utc',
	'network',
	'optin',
	'confirm',
	'ip',
	'activity',
	'due',
	'order',
	'id',
]);

export function looksLikeOrderData(name: string): boolean {
	const list = words(name);
	return list.some((word) => LOOKS_LIKE_ORDER_DATA.has(word)) && !list.some((word) => BOOKKEEPING.has(word));
}
