/**
 * Everything this package knows about the shape of the HelloTech Partner API, in one place.
 *
 * The partner documentation (https://docs.partner.hellotech.com) does not publish every page.
 * Each value marked ASSUMED below is our reasonable guess where no public page shows the answer;
 * the README lists the same assumptions. When HelloTech confirms or corrects one, change it here.
 */

const id = (value: number | string) => encodeURIComponent(String(value));

export const PATHS = {
	/** GET (list, with filters and cursor) and POST (create). Published. */
	orders: '/api/partners/orders',
	/** GET one order. Published. */
	order: (orderId: number) => `/api/partners/orders/${id(orderId)}`,
	/** GET order count by tag. ASSUMED: the docs list the operation but not its path. */
	orderCountByTag: '/api/partners/orders/count',
	/** POST create client. ASSUMED: the "Create client" page is not published. */
	clients: '/api/partners/clients',
	/** GET and PUT one client. Published. */
	client: (clientId: number) => `/api/partners/clients/${id(clientId)}`,
	/** POST, no body: a Stripe SetupIntent for the client. Published. */
	clientSetupIntent: (clientId: number) => `/api/partners/clients/${id(clientId)}/setup_intent`,
	/** POST, no body: a Stripe ephemeral key for the client. Published. */
	clientEphemeralKey: (clientId: number) => `/api/partners/clients/${id(clientId)}/ephemeral_key`,
	/** GET the SKU catalogue. ASSUMED: the page is not published. */
	skus: '/api/partners/skus',
	/** POST `{ zip }`: is the SKU offered at this ZIP? Published. */
	skuCheckZip: (skuId: number) => `/api/partners/skus/${id(skuId)}/check_zip`,
} as const;

/**
 * Check ZIP's answer. Published: `treatment` "on" means the SKU is offered at the ZIP; `cbsa_id`
 * and `cbsa` name the metro area (Core-Based Statistical Area) the ZIP lies in. ASSUMED: a ZIP
 * HelloTech does not know lies in no area, so the answer is "off" with neither set; Check ZIP
 * might instead answer 404 "Record Not Found" as it does for an unknown SKU (see
 * helpers/bookingChecks.ts, which reads both).
 */
export function readZipAnswer(answer: unknown): { offered: boolean; area?: string } {
	const record = (answer && typeof answer === 'object' ? answer : {}) as Record<string, unknown>;
	const offered = String(record.treatment ?? '').trim().toLowerCase() === 'on';
	const name = readField(record, 'cbsa');
	const areaId = readField(record, 'cbsa_id');
	const area =
		typeof name === 'string' && name.trim() !== ''
			? name.trim()
			: areaId !== undefined && areaId !== null && areaId !== ''
				? `area ${String(areaId)}`
				: undefined;
	return { offered, area };
}

/** The credential test and the default Base URL. The docs label this host "Staging" and list no other. */
export const DEFAULT_BASE_URL = 'https://apis.hellotech.com';

/** Query parameter names of "Retrieve all orders" (published), also sent to the count endpoint. */
export const ORDER_QUERY = {
	tags: 'tags', // sent as tags[]=a&tags[]=b
	statuses: 'status', // sent as status[]=0&status[]=2
	clientId: 'client_id',
	from: 'from', // MM-DD-YYYY
	to: 'to', // MM-DD-YYYY
	orderBy: 'order_by', // ORDER_BY_VALUES
	sort: 'sort', // ASC | DESC
	limit: 'limit',
	cursor: 'cursor',
} as const;

/**
 * ASSUMED: the answer of the order count by tag (unpublished). Read as a total, `count` (a number
 * or a numeric text), and counts per tag, `counts`: a map `{ "tag": n }` or a list
 * `[{ "tag": "a", "count": n }]` (`name` for `tag` too); a tag a map or list leaves out has no
 * orders, as a SQL GROUP BY leaves it out. Either may sit under `data`. Returns what the answer
 * gives; neither when it gives no count at all.
 * ASSUMED too: a 404 means HelloTech has no count endpoint at this path (Rails answers
 * `orders/count` with "Record Not Found", reading "count" as an order ID): the node then counts the
 * orders list, filtered by the tags (see actions/order/countByTag.ts).
 */
export function readOrderCount(answer: unknown, tags: string[]): { total?: number; perTag?: Record<string, number> } {
	const record = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);
	const body = record(answer) ?? {};
	const inner = record(body.data) ?? body;
	const whole = (value: unknown) => {
		const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
		return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
	};
	const result: { total?: number; perTag?: Record<string, number> } = {};
	const total = whole(inner.count);
	if (total !== undefined) result.total = total;
	const counts = inner.counts;
	let given: Array<[unknown, unknown]> | undefined;
	if (Array.isArray(counts)) given = counts.map((entry) => [record(entry)?.tag ?? record(entry)?.name, record(entry)?.count]);
	else if (record(counts)) given = Object.entries(record(counts) as Record<string, unknown>);
	if (given && given.every(([tag, count]) => typeof tag === 'string' && whole(count) !== undefined)) {
		const perTag = Object.fromEntries(given.map(([tag, count]) => [tag as string, whole(count) as number]));
		result.perTag = Object.fromEntries(tags.map((tag) => [tag, perTag[tag] ?? 0]));
	}
	return result;
}

/** The `order_by` values the list takes. Published. */
export const ORDER_BY_VALUES = ['appointment', 'created_at'] as const;

/**
 * How the orders list and the SKU catalogue page. Published for orders: `limit` and an integer
 * `cursor`; nothing about the answer, and nothing at all for the catalogue. helpers/paging.ts reads
 * a list whole under each of these ASSUMED variants (test/variants.test.js runs every operation
 * under each): cursor paging (a named next cursor, or the last record's id), pages capped below
 * `limit`, a cursor that counts its own record in (pages overlapping by one), no paging at all (the
 * whole list in one answer, `limit` and `cursor` ignored), and paging by page number (`page=2`,
 * as Rails' kaminari and will_paginate page, `cursor` ignored). Which one a server does shows in
 * its answers; nothing is configured.
 */
export const PAGINATION = {
	/**
	 * ASSUMED: how many records to ask for per page. Nothing publishes a maximum, and a server may
	 * answer fewer: a short page is never taken for the last one (see below).
	 */
	pageSize: 100,
	/**
	 * ASSUMED: the page-number parameter of a server that ignores `cursor` (pages numbered from 1).
	 * It is sent only once an answer to a cursor repeated the first page.
	 */
	pageParam: 'page',
	/** ASSUMED: where a response may carry the next cursor. null or "" there: no page after this one. */
	nextCursorKeys: [['next_cursor'], ['meta', 'next_cursor'], ['pagination', 'next_cursor']],
	/** ASSUMED: where a response may say how many records match over all pages: paging ends when all are in. */
	totalKeys: [
		['total'],
		['total_count'],
		['meta', 'total'],
		['meta', 'total_count'],
		['pagination', 'total'],
		['pagination', 'total_count'],
	],
	/**
	 * ASSUMED: without a named cursor, the next page is asked for with the last record's id as the
	 * cursor, until a page comes back empty. That is right when the list runs in creation order:
	 * HelloTech numbers orders as it creates them, so "after this id" and "after this order" agree.
	 * The orders list's default order and `order_by=created_at` are that order; the SKU catalogue is
	 * read in its default order. Any other `order_by` (appointment) is not paged by id: see
	 * ORDER_SORT_FIELDS.
	 */
	lastIdOrders: ['created_at'] as string[],
};

/**
 * What the orders list tells about orders already booked (Order → Create's Skip Orders Already
 * Booked, Order → Get By Purchase Order ID). The list takes no purchase order ID filter
 * (published filters: tags, statuses, client, from/to dates), so the node reads the orders of a
 * period and looks at each one's `purchase_order_id` itself.
 * - `dateZoneHours`, ASSUMED: `from` and `to` name days in a time zone HelloTech does not
 *   publish, somewhere between UTC−12 and UTC+14. An order created at instant t lies on a day no
 *   earlier than t's UTC day minus 12 hours, so a read `from` that day misses nothing after t.
 * - `listingDelayMs`, ASSUMED: an order may show up in the list some time after its create was
 *   answered (a slow transaction, a lagging read replica). The HelloTech Trigger reads the last
 *   10 minutes again on every poll for the same reason (HelloTechTrigger/state.ts); the node
 *   remembers the orders it booked itself for as long (helpers/recentlyBooked.ts).
 * - ASSUMED: GET one order (published) finds an order as soon as its create was answered.
 */
export const BOOKED = {
	dateZoneHours: { behindUtc: 12, aheadOfUtc: 14 },
	listingDelayMs: 10 * 60_000,
};

/**
 * ASSUMED: the order fields each `order_by` value sorts by (the first one present counts), that
 * orders without one come last ascending and first descending (SQL's default for NULLs), and that
 * the list is descending when no `sort` is sent. When HelloTech names no next cursor, a list in one
 * of these orders that needs more than one page is read in creation order instead, and sorted by
 * this field in the node.
 */
export const ORDER_SORT_FIELDS: Record<string, string[]> = {
	created_at: ['created_at'],
	appointment: ['appointment_start', 'appointment_start_date_time'],
};

/**
 * ASSUMED: how HelloTech limits the rate of an API key's requests. The docs publish no limit, so
 * the node's pace (transport/pacer.ts) learns each run's share from HelloTech's 429 answers,
 * with Retry-After in whole seconds, as a date, or none (rack-attack's default answer), and
 * assumes it counts requests in the order they arrive, per second (`windowMs`): in fixed windows
 * aligned to the clock (Rails' rack-attack), over a sliding window or in a token bucket (nginx,
 * API gateways). The pace starts each run's requests evenly spaced within the seconds of the
 * clock, which suits all three; HelloTech's clock is taken to agree with ours to a few
 * milliseconds (both keep NTP time). Were it off, each second would still hold the same
 * number of a run's requests; only which run's request a full second refuses would change.
 * - A Retry-After longer than `longWaitMs` comes from a longer window (rack-attack's 300 requests
 *   per 60 s, say): the run waits as asked, and such a 429 does not change its pace.
 */
export const RATE_LIMIT = {
	windowMs: 1000,
	longWaitMs: 2000,
};

/**
 * The record pickers (From List) of Order ID and SKU. ASSUMED: neither the orders list nor the
 * SKU catalogue takes a search text (the published order filters are tags, statuses, client and
 * dates; the catalogue page is unpublished). So a picker reads the list a page at a time, from the
 * cursor n8n hands back as its pagination token, and filters each page by the text itself. One
 * load without a search text reads one page (n8n asks for the next as the user scrolls); with a
 * search text it reads on until it has `enoughResults` matches or has read `maxPages` pages
 * (n8n's editor asks for more of a searched list only when the user scrolls to its end).
 * A search for a whole number also asks for the order with that ID (GET one order, published).
 */
export const LIST_SEARCH = {
	maxPages: 10,
	enoughResults: 20,
};

/**
 * ASSUMED: an order's web address carries its ID after /orders/, as the order's
 * `order_summary_url` and `finish_order_url` do (`https://www.hellotech.com/orders/432873`).
 * The Order ID picker's By URL mode reads the ID with this pattern.
 */
export const ORDER_URL_PATTERN = '^\\s*https?://[^\\s/]+/(?:[^\\s?#]*/)?orders/(\\d+)(?:[/?#]\\S*)?\\s*$';

/**
 * Order statuses as the docs' status table numbers them. The docs give only the names; each
 * `description` is ASSUMED: our reading of the name, shown in the status pickers.
 */
export const ORDER_STATUSES: Array<{ code: number; name: string; description: string }> = [
	{ code: 0, name: 'PENDING', description: 'Booked; HelloTech has not started looking for a technician yet' },
	{ code: 1, name: 'SEARCHING', description: 'HelloTech is looking for a technician' },
	{ code: 2, name: 'ASSIGNED', description: 'A technician has taken the order' },
	{ code: 3, name: 'COMPLETED', description: 'The technician finished the work (final)' },
	{ code: 4, name: 'CANCELLED', description: 'The order was cancelled (final)' },
	{ code: 5, name: 'PAID', description: 'Completed and paid (final)' },
	{ code: 6, name: 'ABANDONED', description: 'The booking was never completed (final)' },
	{
		code: 7,
		name: 'CANCELLED_BY_GEEK',
		description: 'The technician ("geek" at HelloTech) cancelled; the order needs another one',
	},
	{
		code: 8,
		name: 'MASTER_CLIENT_APPROVAL',
		description: "Waiting for the approval of the partner's master account before it goes ahead",
	},
	{ code: 9, name: 'UNSERVICEABLE', description: 'HelloTech cannot serve this order (service or area not covered)' },
	{ code: 10, name: 'PAUSED', description: 'On hold' },
	{ code: 11, name: 'READY_TO_RESUME', description: 'Was paused and can go ahead again' },
	{ code: 12, name: 'INCOMPLETE', description: 'The visit took place but the work is not finished' },
	{ code: 13, name: 'LATE_TECH', description: 'The technician is running late for the appointment' },
	{ code: 14, name: 'PENDING_SHIPPING', description: 'Waiting for a product to be delivered before the visit' },
	{ code: 15, name: 'PENDING_APPROVAL', description: 'Waiting for an approval (for example of the price) before it goes ahead' },
];

/** Statuses after which an order no longer changes in a way partners watch for. */
export const FINAL_STATUS_CODES = [3, 4, 5, 6];

/** ASSUMED: the status every order is created in (the create-order example answers "Pending"). */
export const CREATED_STATUS_CODE = 0;

/**
 * The examples disagree on an order's status: a label ("Pending", "PENDING", "cancelled_by_geek"),
 * a number, or a numeric string, in `status`, `status_id` or `status_label`. Returns the status
 * code, or undefined when none of them can be read.
 */
export function orderStatusCode(order: Record<string, unknown>): number | undefined {
	for (const key of ['status_id', 'statusId', 'status', 'status_label', 'statusLabel']) {
		const value = order[key];
		if (typeof value === 'number' && Number.isInteger(value)) return value;
		if (typeof value === 'string' && value.trim() !== '') {
			const text = value.trim();
			if (/^\d+$/.test(text)) return Number(text);
			const name = text.toUpperCase().replace(/[\s-]+/g, '_');
			const known = ORDER_STATUSES.find((status) => status.name === name);
			if (known) return known.code;
		}
	}
	return undefined;
}

/** Reads a field that the API spells in snake_case in some responses and camelCase in others. */
export function readField(record: Record<string, unknown>, snakeName: string): unknown {
	if (record[snakeName] !== undefined) return record[snakeName];
	const camel = snakeName.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
	return record[camel];
}

/**
 * A timestamp in whole seconds. HelloTech sends `{ integer, iso, isoShort }`; a bare number
 * (seconds or milliseconds) or an ISO string is read too. undefined when there is none.
 */
export function timestampSeconds(value: unknown): number | undefined {
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return timestampSeconds(record.integer ?? record.iso ?? record.isoShort);
	}
	if (typeof value === 'number' && Number.isFinite(value)) {
		return Math.floor(value > 1e11 ? value / 1000 : value);
	}
	if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		if (/^\d+$/.test(text)) return timestampSeconds(Number(text));
		const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
		return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
	}
	return undefined;
}
