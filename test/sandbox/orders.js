'use strict';
/** Order endpoints: list (filters, paging as paging.js says), get, create, count by tag. */

const { STATUS_NAMES } = require('./state');
const { pageOf } = require('./paging');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const API_DATE = /^(\d{2})-(\d{2})-(\d{4})$/;
const HOUR_MS = 3_600_000;

function unprocessable(HttpError, errors) {
	return new HttpError(422, { errors });
}

/**
 * `MM-DD-YYYY` to the start of that day in ms, or throws 422. The day is counted in the sandbox's
 * `dateZoneHours` (UTC by default; HelloTech does not publish its zone).
 */
function parseApiDate(HttpError, name, value, zoneHours = 0) {
	const match = API_DATE.exec(String(value));
	const ms = match ? Date.UTC(Number(match[3]), Number(match[1]) - 1, Number(match[2])) : NaN;
	if (!match || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(match[2])) {
		throw unprocessable(HttpError, [`${name} must be a date written MM-DD-YYYY`]);
	}
	return ms - zoneHours * HOUR_MS;
}

/** Applies the list filters (shared by list and count) to `orders` (default: all); throws 422 on a malformed one. */
function filterOrders(state, query, HttpError, orders = state.orders) {
	let result = orders;
	const asList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

	const statuses = asList(query.status);
	for (const status of statuses) {
		if (!/^\d+$/.test(status) || Number(status) >= STATUS_NAMES.length) {
			throw unprocessable(HttpError, [`Status ${status} is not a valid status`]);
		}
	}
	if (statuses.length) result = result.filter((order) => statuses.includes(String(order._statusCode)));

	const tags = asList(query.tags);
	if (tags.length) result = result.filter((order) => order.tags.some((tag) => tags.includes(tag)));

	if (query.client_id !== undefined) {
		if (!/^\d+$/.test(query.client_id)) throw unprocessable(HttpError, ['Client must be an integer']);
		result = result.filter((order) => order.client_id === Number(query.client_id));
	}
	const zone = state.options.dateZoneHours ?? 0;
	if (query.from !== undefined) {
		const from = parseApiDate(HttpError, 'from', query.from, zone);
		result = result.filter((order) => order._createdAtMs >= from);
	}
	if (query.to !== undefined) {
		const to = parseApiDate(HttpError, 'to', query.to, zone) + 24 * HOUR_MS;
		result = result.filter((order) => order._createdAtMs < to);
	}
	// An order shows up in the list only this long after it was created (GET one order finds it at once).
	const listingDelayMs = state.options.listingDelayMs ?? 0;
	if (listingDelayMs > 0) {
		const now = state.now();
		result = result.filter((order) => order._listedFromMs === undefined || order._listedFromMs <= now);
	}
	return result;
}

function sortKey(order, orderBy) {
	if (orderBy === 'appointment') return order._appointmentMs ?? Number.MAX_SAFE_INTEGER;
	return order._createdAtMs;
}

function listOrders({ state, query, HttpError }) {
	const orderBy = query.order_by ?? 'created_at';
	if (!['created_at', 'appointment'].includes(orderBy)) throw unprocessable(HttpError, ['order_by must be created_at or appointment']);
	const sort = String(query.sort ?? 'DESC').toUpperCase();
	if (!['ASC', 'DESC'].includes(sort)) throw unprocessable(HttpError, ['sort must be ASC or DESC']);

	const direction = sort === 'ASC' ? 1 : -1;
	// A server that ignores order_by and sort lists by id, oldest first.
	const ignoreSort = Boolean(state.options.ignoreSort);
	const compare = ignoreSort ? (a, b) => a.id - b.id : (a, b) => direction * (sortKey(a, orderBy) - sortKey(b, orderBy) || a.id - b.id);
	// Sorted once per order and number of orders (statuses do not move orders): large lists stay quick.
	const key = `${orderBy} ${sort} ${ignoreSort} ${state.orders.length}`;
	if (state.sortedOrders?.key !== key) state.sortedOrders = { key, orders: state.orders.slice().sort(compare) };
	const sorted = filterOrders(state, query, HttpError, state.sortedOrders.orders);
	const inclusive = state.options.cursorInclusive;

	const afterCursor = (orders, cursorText) => {
		if (!/^\d+$/.test(cursorText)) throw unprocessable(HttpError, ['cursor must be an integer']);
		const cursor = Number(cursorText);
		if (state.options.cursorStyle === 'id') {
			// A plain `where('id > ?', cursor)` (`id < cursor` descending), whatever order_by says.
			return orders.filter((order) => direction * (order.id - cursor) > 0 || (inclusive && order.id === cursor));
		}
		const anchor = state.findOrder(cursor);
		if (!anchor) throw unprocessable(HttpError, [`cursor ${cursorText} does not name an order`]);
		const at = orders.indexOf(anchor);
		if (at >= 0) return orders.slice(inclusive ? at : at + 1);
		return orders.filter((order) => compare(order, anchor) > 0);
	};
	const { records, more } = pageOf({
		state,
		query,
		HttpError,
		sorted,
		afterCursor,
		paging: state.options.orderPaging,
		defaultLimit: state.options.defaultPageSize,
	});
	const answer = { status: 'success', orders: records };
	if (state.options.includeTotal) answer.total = sorted.length;
	const nextCursor = more ? records[records.length - 1].id : null;
	if (state.options.paginationStyle === 'next_cursor') answer.next_cursor = nextCursor;
	if (state.options.paginationStyle === 'meta') answer.meta = { next_cursor: nextCursor, count: records.length };
	return answer;
}

function getOrder({ state, params, HttpError }) {
	const order = state.findOrder(params[0]);
	if (!order) throw new HttpError(404, { errors: ['Record Not Found'] });
	return { status: 'success', order };
}

function createOrder({ state, body, HttpError }) {
	const errors = [];
	const blank = (value) => value === undefined || value === null || String(value).trim() === '';
	let client;
	if (!blank(body.client_id)) {
		if (!Number.isInteger(body.client_id)) errors.push('Client must be an integer');
		else if (!(client = state.findClient(body.client_id))) errors.push(`Client ${body.client_id} does not exist`);
	} else {
		if (blank(body.first_name)) errors.push("First name can't be blank");
		if (blank(body.last_name)) errors.push("Last name can't be blank");
		if (blank(body.email)) errors.push("Email can't be blank");
		else if (!EMAIL.test(body.email)) errors.push('Email is invalid');
	}
	if (blank(body.address)) errors.push("Address can't be blank");
	if (blank(body.phone)) errors.push("Phone can't be blank");
	if (!Array.isArray(body.sku_id) || body.sku_id.length === 0) errors.push("Sku can't be blank");
	else if (!body.sku_id.every(Number.isInteger)) errors.push('Sku must be a list of integers');
	else for (const skuId of body.sku_id) if (!state.findSku(skuId)) errors.push(`Sku ${skuId} does not exist`);
	if (body.devices !== undefined && (!Array.isArray(body.devices) || !body.devices.every((d) => typeof d === 'string'))) {
		errors.push('Devices must be a list of strings');
	}
	if (body.time_windows !== undefined) {
		const windows = Array.isArray(body.time_windows) ? body.time_windows : [null];
		for (const window of windows) {
			const start = Date.parse(window && window.start_time);
			const end = Date.parse(window && window.end_time);
			if (Number.isNaN(start) || Number.isNaN(end)) errors.push('Time windows must have an ISO 8601 start_time and end_time');
			else if (end - start !== HOUR_MS) errors.push('Time windows must be one-hour blocks');
		}
	}
	if (errors.length) throw unprocessable(HttpError, errors);

	if (!client) client = state.addClient({ first_name: body.first_name, last_name: body.last_name, email: body.email, phone: body.phone, full_address: body.address });
	const order = state.addOrder({
		listedFromMs: state.options.listingDelayMs ? state.now() + state.options.listingDelayMs : undefined,
		client_id: client.id,
		phone: body.phone,
		address: body.address,
		address_details: body.address_details,
		business_name: body.business_name,
		sku_id: body.sku_id,
		devices: body.devices,
		notes: body.notes,
		time_windows: body.time_windows,
		purchase_order_id: body.purchase_order_id,
		tags: [...state.options.createTags],
	});
	return { status: 'success', order };
}

/**
 * Order count by tag, answered as options.countStyle says (the answer is unpublished): 'count'
 * ({ count: n }, orders with any of the tags), 'string' ({ count: "n" }), 'map' ({ counts: { tag: n } }),
 * 'list' ({ counts: [{ tag, count }] }, tags without orders left out, as a SQL GROUP BY leaves
 * them), or 'none': no such endpoint, the 404 Rails gives `orders/count` read as an order ID.
 */
function countOrders({ state, query, HttpError }) {
	const style = state.options.countStyle;
	if (style === 'none') throw new HttpError(404, { errors: ['Record Not Found'] });
	const tags = query.tags === undefined ? [] : Array.isArray(query.tags) ? query.tags : [query.tags];
	if (tags.length === 0) throw unprocessable(HttpError, ['tags must name at least one tag']);
	const orders = filterOrders(state, query, HttpError);
	const perTag = tags.map((tag) => ({ tag, count: orders.filter((order) => order.tags.includes(tag)).length }));
	if (style === 'map') return { status: 'success', counts: Object.fromEntries(perTag.map(({ tag, count }) => [tag, count])) };
	if (style === 'list') return { status: 'success', counts: perTag.filter(({ count }) => count > 0) };
	return { status: 'success', count: style === 'string' ? String(orders.length) : orders.length };
}

module.exports = {
	routes: [
		{ method: 'GET', pattern: /^\/api\/partners\/orders$/, handle: listOrders },
		{ method: 'POST', pattern: /^\/api\/partners\/orders$/, handle: createOrder },
		{ method: 'GET', pattern: /^\/api\/partners\/orders\/count$/, handle: countOrders },
		{ method: 'GET', pattern: /^\/api\/partners\/orders\/(\d+)$/, handle: getOrder },
	],
	filterOrders,
};
