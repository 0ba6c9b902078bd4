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

/** The credential test and the default Base URL. The docs label this host "Staging" and list no other. */
export const DEFAULT_BASE_URL = 'https://apis.hellotech.com';

/** Query parameter names of "Retrieve all orders" (published), also sent to the count endpoint. */
export const ORDER_QUERY = {
	tags: 'tags', // sent as tags[]=a&tags[]=b
	statuses: 'status', // sent as status[]=0&status[]=2
	clientId: 'client_id',
	from: 'from', // MM-DD-YYYY
	to: 'to', // MM-DD-YYYY
	orderBy: 'order_by', // created_at | appointment
	sort: 'sort', // ASC | DESC
	limit: 'limit',
	cursor: 'cursor',
} as const;

export const PAGINATION = {
	/**
	 * ASSUMED: how many orders to ask for per page. Nothing publishes a maximum; the cursor logic
	 * below stays correct for a server that caps lower as long as it reports its next cursor.
	 */
	pageSize: 100,
	/** ASSUMED: where a response may carry the next cursor. Without one, the last order's id is the cursor. */
	nextCursorKeys: [['next_cursor'], ['meta', 'next_cursor'], ['pagination', 'next_cursor']],
};

/**
 * ASSUMED: how HelloTech limits the rate of an API key's requests. The docs publish no limit. The
 * usual limiter of a Rails API (rack-attack) counts requests in fixed windows aligned to the clock
 * (a new window every whole second for a per-second limit) and answers 429 with Retry-After in
 * whole seconds. The node's pace (transport/pacer.ts) budgets the requests it starts in each such
 * window; against a limiter of another kind it stays correct (no lost or doubled request), only
 * slower.
 */
export const RATE_LIMIT = {
	windowMs: 1000,
};

/** Order statuses as the docs' status table numbers them. */
export const ORDER_STATUSES: Array<{ code: number; name: string }> = [
	{ code: 0, name: 'PENDING' },
	{ code: 1, name: 'SEARCHING' },
	{ code: 2, name: 'ASSIGNED' },
	{ code: 3, name: 'COMPLETED' },
	{ code: 4, name: 'CANCELLED' },
	{ code: 5, name: 'PAID' },
	{ code: 6, name: 'ABANDONED' },
	{ code: 7, name: 'CANCELLED_BY_GEEK' },
	{ code: 8, name: 'MASTER_CLIENT_APPROVAL' },
	{ code: 9, name: 'UNSERVICEABLE' },
	{ code: 10, name: 'PAUSED' },
	{ code: 11, name: 'READY_TO_RESUME' },
	{ code: 12, name: 'INCOMPLETE' },
	{ code: 13, name: 'LATE_TECH' },
	{ code: 14, name: 'PENDING_SHIPPING' },
	{ code: 15, name: 'PENDING_APPROVAL' },
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
