'use strict';
/** The sandbox's data: orders, clients, SKUs, and how it pages and counts. Tests read it directly. */

const STATUS_NAMES = [
	'PENDING',
	'SEARCHING',
	'ASSIGNED',
	'COMPLETED',
	'CANCELLED',
	'PAID',
	'ABANDONED',
	'CANCELLED_BY_GEEK',
	'MASTER_CLIENT_APPROVAL',
	'UNSERVICEABLE',
	'PAUSED',
	'READY_TO_RESUME',
	'INCOMPLETE',
	'LATE_TECH',
	'PENDING_SHIPPING',
	'PENDING_APPROVAL',
];

const statusLabel = (code) =>
	STATUS_NAMES[code]
		.toLowerCase()
		.split('_')
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');

const DEFAULT_SKUS = [
	{ id: 10639, name: 'TV Mounting (up to 65")', category: 'TV & Home Theater', price: 99, zipPrefixes: ['0', '1', '2', '3', '6', '7', '8', '9'] },
	{ id: 10640, name: 'Smart Doorbell Installation', category: 'Smart Home', price: 79, zipPrefixes: ['1', '3', '9'] },
	{ id: 10641, name: 'Wi-Fi Network Setup', category: 'Networking', price: 89, zipPrefixes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
	{ id: 10642, name: 'Smart Thermostat Installation', category: 'Smart Home', price: 109, zipPrefixes: ['9'] },
	{ id: 10643, name: 'Computer Tune-Up', category: 'Computers', price: 69, zipPrefixes: ['1', '9'] },
	{ id: 10644, name: 'Home Security Camera Setup', category: 'Smart Home', price: 129, zipPrefixes: ['2', '9'] },
];

function timestamp(ms) {
	const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
	return { integer: Math.floor(ms / 1000), iso, isoShort: iso.replace('Z', '') };
}

function formatPhone(value) {
	const digits = String(value ?? '').replace(/\D/g, '');
	const formatted = digits.length === 10 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : String(value ?? '');
	return { value: digits, formatted };
}

class State {
	constructor(options = {}) {
		this.reset(options);
	}

	reset(options = {}) {
		this.options = {
			/** How list answers name the next cursor: 'none' (client uses the last id), 'next_cursor', 'meta'. */
			paginationStyle: 'none',
			/** The most orders one page holds, whatever `limit` asks for. */
			maxPageSize: 100,
			/** Page size when `limit` is not sent. */
			defaultPageSize: 25,
			/** How the count endpoint answers: 'count', 'string', 'map', 'list' or 'none' (see orders.js countOrders). */
			countStyle: 'count',
			/** A broken server that ignores `cursor` and always answers the first page. */
			ignoreCursor: false,
			/** How the orders list and the SKU catalogue page: 'cursor', 'whole' or 'page' (see paging.js). */
			orderPaging: 'cursor',
			skuPaging: 'cursor',
			/** A cursor answer starts at the cursor's own record (`id >=`): consecutive pages overlap by one. */
			cursorInclusive: false,
			/**
			 * What `cursor` means: 'position' (after that order, in the requested sort) or 'id' (orders
			 * whose id is above it, below it when descending, whatever the sort: right only in id order).
			 */
			cursorStyle: 'position',
			/** Whether list answers carry `total`: how many orders match the filters, over all pages. */
			includeTotal: false,
			/** Stripe secrets without Stripe's prefixes, so only a redactor that learned them can spot them. */
			opaqueSecrets: false,
			/** Tags an order created through the API gets. */
			createTags: ['partner-api'],
			/**
			 * Where each SKU is offered: { [skuId]: [ZIP prefixes] }, replacing those SKUs' default
			 * `zipPrefixes` (a 5-digit prefix is one ZIP; [] offers the SKU nowhere).
			 */
			zipCoverage: {},
			/** ZIP prefixes HelloTech knows no service area for (no US ZIP starts with 000). */
			unknownZips: ['000'],
			/**
			 * Check ZIP's answer for an unknown ZIP: 'off' (200, treatment off, cbsa_id and cbsa null:
			 * the sandbox's reading of the published page) or '404' ("Record Not Found", as for an
			 * unknown SKU: the other reading, so the node is tested against both).
			 */
			unknownZipAnswer: 'off',
			/** The zone (hours from UTC) in which the list's `from` and `to` dates are counted. */
			dateZoneHours: 0,
			/** How long after its create an order shows up in the list (GET one order finds it at once). */
			listingDelayMs: 0,
			/** A server that ignores order_by and sort, listing by id, oldest first. */
			ignoreSort: false,
			...options,
		};
		this.orders = [];
		/** The orders list's sort, kept by orders.js while the orders stay the same. */
		this.sortedOrders = undefined;
		this.clients = [];
		this.skus = (options.skus ?? DEFAULT_SKUS).map((sku) => ({ ...sku }));
		for (const [skuId, zipPrefixes] of Object.entries(this.options.zipCoverage ?? {})) this.setZipCoverage(skuId, zipPrefixes);
		/** Every client_secret and ephemeral_key handed out since the last reset, oldest first. */
		this.issuedSecrets = [];
		this.nextOrderId = 432001;
		this.nextClientId = 7001;
		this.now = options.now ?? (() => Date.now());
	}

	// ---- clients -------------------------------------------------------------------------------

	clientView(client) {
		const { _internal, ...view } = client;
		return view;
	}

	addClient(fields) {
		const id = this.nextClientId++;
		const client = {
			id,
			external_id: fields.external_id ?? null,
			first_name: fields.first_name ?? null,
			last_name: fields.last_name ?? null,
			email: fields.email,
			phone: fields.phone ? formatPhone(fields.phone) : null,
			full_address: fields.full_address ?? null,
			address: parseAddress(fields.full_address),
			authentication_token: `tok_${id}_${Math.random().toString(36).slice(2, 12)}`,
		};
		this.clients.push(client);
		return client;
	}

	findClient(id) {
		return this.clients.find((client) => client.id === Number(id));
	}

	// ---- orders --------------------------------------------------------------------------------

	/** Adds an order as HelloTech would store it. `fields` may set any response field, plus `statusCode`, `createdAtMs`, `appointmentMs`. */
	addOrder(fields = {}) {
		const id = fields.id ?? this.nextOrderId++;
		if (id >= this.nextOrderId) this.nextOrderId = id + 1;
		const createdAtMs = fields.createdAtMs ?? this.now();
		const statusCode = fields.statusCode ?? 0;
		const client = fields.client_id ? this.findClient(fields.client_id) : undefined;
		const skuIds = fields.sku_id ?? [this.skus[0].id];
		const order = {
			id,
			status: statusLabel(statusCode),
			status_label: statusLabel(statusCode),
			client_id: client ? client.id : fields.client_id ?? null,
			client_name: client ? [client.first_name, client.last_name].filter(Boolean).join(' ') : fields.client_name ?? 'Sandbox Client',
			email: client ? client.email : fields.email ?? 'client@example.com',
			phone: formatPhone(fields.phone ?? '3105550123'),
			address: fields.address ?? '719 Flower St, Los Angeles, CA 90017',
			address_details: fields.address_details ?? null,
			business_name: fields.business_name ?? null,
			service_description: skuIds.map((skuId) => this.findSku(skuId)?.name ?? `SKU ${skuId}`).join(', '),
			events: [],
			created_at: timestamp(createdAtMs),
			updated_at: timestamp(createdAtMs),
			tags: fields.tags ?? [],
			token: `ord_${id}_${Math.random().toString(36).slice(2, 10)}`,
			client_city: 'Los Angeles',
			client_state: 'CA',
			client_street: '719 Flower St',
			client_zip: '90017',
			client_availability_ranges: [],
			skus: skuIds.map((skuId) => {
				const sku = this.findSku(skuId);
				return { id: skuId, name: sku ? sku.name : `SKU ${skuId}`, price: sku ? sku.price : null, quantity: 1, category: sku ? sku.category : null };
			}),
			devices: fields.devices ?? [],
			notes: fields.notes ?? null,
			purchase_order_id: fields.purchase_order_id ?? null,
			finish_order_url: `https://www.hellotech.com/orders/${id}/finish`,
			order_summary_url: `https://www.hellotech.com/orders/${id}`,
			shipping_type: null,
			availability: (fields.time_windows ?? []).map((window) => ({ start_time: window.start_time, end_time: window.end_time })),
			consolidated_availability: {},
			appointment_start: fields.appointmentMs ? timestamp(fields.appointmentMs) : null,
			appointment_start_date_time: fields.appointmentMs ? new Date(fields.appointmentMs).toISOString() : null,
		};
		Object.defineProperty(order, '_statusCode', { value: statusCode, writable: true, enumerable: false });
		Object.defineProperty(order, '_createdAtMs', { value: createdAtMs, writable: true, enumerable: false });
		Object.defineProperty(order, '_appointmentMs', { value: fields.appointmentMs ?? null, writable: true, enumerable: false });
		Object.defineProperty(order, '_listedFromMs', { value: fields.listedFromMs, writable: true, enumerable: false });
		this.orders.push(order);
		return order;
	}

	/** Seeds `count` orders, oldest first, `spacingMs` apart, ending now; `make(i)` adds fields. */
	seedOrders(count, make = () => ({}), { spacingMs = 60_000 } = {}) {
		const start = this.now() - count * spacingMs;
		const added = [];
		for (let i = 0; i < count; i++) added.push(this.addOrder({ createdAtMs: start + i * spacingMs, ...make(i) }));
		return added;
	}

	findOrder(id) {
		return this.orders.find((order) => order.id === Number(id));
	}

	/** Moves an order to another status, as HelloTech's back office would. */
	setOrderStatus(id, statusCode) {
		const order = this.findOrder(id);
		if (!order) throw new Error(`No order ${id}`);
		order._statusCode = statusCode;
		order.status = statusLabel(statusCode);
		order.status_label = statusLabel(statusCode);
		order.updated_at = timestamp(this.now());
		return order;
	}

	statusCodeOf(order) {
		return order._statusCode;
	}

	/** How many orders carry each purchase order ID: a duplicate shows as a count above 1. */
	purchaseOrderCounts() {
		const counts = new Map();
		for (const order of this.orders) {
			if (order.purchase_order_id) counts.set(order.purchase_order_id, (counts.get(order.purchase_order_id) ?? 0) + 1);
		}
		return counts;
	}

	// ---- SKUs ----------------------------------------------------------------------------------

	findSku(id) {
		return this.skus.find((sku) => sku.id === Number(id));
	}

	/** Where a SKU is offered from now on: ZIP prefixes (a 5-digit prefix is one ZIP). */
	setZipCoverage(skuId, zipPrefixes) {
		const sku = this.findSku(skuId);
		if (!sku) throw new Error(`No SKU ${skuId}`);
		if (!Array.isArray(zipPrefixes) || !zipPrefixes.every((prefix) => /^\d{1,5}$/.test(String(prefix)))) {
			throw new Error(`zipPrefixes of SKU ${skuId} must be a list of 1 to 5 digit prefixes`);
		}
		sku.zipPrefixes = zipPrefixes.map(String);
		return sku;
	}

	/** Whether HelloTech places `zip` in a service area (a CBSA) at all. */
	zipKnown(zip) {
		return !(this.options.unknownZips ?? []).some((prefix) => zip.startsWith(String(prefix)));
	}

	offeredAt(sku, zip) {
		return this.zipKnown(zip) && sku.zipPrefixes.some((prefix) => zip.startsWith(prefix));
	}

	skuView(sku) {
		const { zipPrefixes, ...view } = sku;
		return view;
	}
}

function parseAddress(full) {
	if (!full) return { street: null, city: null, state: null, zip: null };
	const match = /^(.*?),\s*(.*?),\s*([A-Z]{2})\s+(\d{5})/.exec(full);
	return match
		? { street: match[1], city: match[2], state: match[3], zip: match[4] }
		: { street: full, city: null, state: null, zip: null };
}

module.exports = { State, STATUS_NAMES, statusLabel, formatPhone, timestamp, DEFAULT_SKUS };
