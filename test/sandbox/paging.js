'use strict';
/**
 * How the sandbox's list endpoints (orders, SKUs) page: the unpublished part the node has to
 * guess, one switch per list (state options `orderPaging`, `skuPaging`), so the tests can run
 * every operation against each way HelloTech might do it.
 *
 * - 'cursor' (the default): `limit` records after `cursor` (what the orders page publishes).
 * - 'whole': every record in one answer; `limit`, `cursor` and `page` are ignored (a plain
 *   `render json: Sku.all`).
 * - 'page': page `page` (from 1; none: 1) of `limit` records, as Rails' kaminari or
 *   will_paginate page; `cursor` is ignored.
 *
 * `limit` is capped at options.maxPageSize, also in 'page' mode (a server's own page size).
 * With options.cursorInclusive, a cursor answer starts at the cursor's record itself (`id >=`),
 * so each page repeats the last record of the one before.
 */

/** The positive integer in `value`, or `fallback` when absent; throws a 422 when malformed. */
function positive(HttpError, name, value, fallback) {
	if (value === undefined) return fallback;
	if (!/^\d+$/.test(value) || Number(value) < 1) throw new HttpError(422, { errors: [`${name} must be a positive integer`] });
	return Number(value);
}

/**
 * The records of one answer. `sorted`: the whole list in its order; `afterCursor(list, cursor)`:
 * the records after `cursor` (the list's own keyset rule). Returns { records, more } (`more`: the
 * list goes on after them).
 */
function pageOf({ state, query, HttpError, sorted, afterCursor, paging, defaultLimit }) {
	const limit = Math.min(positive(HttpError, 'limit', query.limit, defaultLimit), state.options.maxPageSize);
	if (paging === 'whole') return { records: sorted, more: false };
	if (paging === 'page') {
		const page = positive(HttpError, 'page', query.page, 1);
		const records = sorted.slice((page - 1) * limit, page * limit);
		return { records, more: sorted.length > page * limit };
	}
	let rest = sorted;
	if (query.cursor !== undefined && !state.options.ignoreCursor) rest = afterCursor(sorted, query.cursor);
	return { records: rest.slice(0, limit), more: rest.length > limit };
}

module.exports = { pageOf };
