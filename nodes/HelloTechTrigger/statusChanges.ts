import type { IDataObject, INode } from 'n8n-workflow';

import { CREATED_STATUS_CODE, ORDER_QUERY } from '../HelloTech/api';
import type { HelloTechClient } from '../HelloTech/transport/request';
import type { PollBudget } from './budget';
import { readNewOrders } from './newOrders';
import type { Position } from './orders';
import {
	before,
	byCreation,
	createdAt,
	fetchOrder,
	FINAL,
	hasOneOf,
	OPEN_STATUS_CODES,
	orderId,
	orderPages,
	orderStatusCode,
	updatedAt,
} from './orders';
import type { ReaderState, WatchedOrder } from './state';
import { newestWatched } from './state';

/**
 * Order Status Changed. The API has no "changed since" filter, so the trigger keeps the last
 * status it saw of each open order (status not final) and each poll compares:
 *
 * 1. the open orders, newest first, up to `maxWatched` (the list filtered by the open statuses);
 * 2. the orders created since the last poll, in any status (an order created and cancelled
 *    between two polls never shows in 1.);
 * 3. each watched order missing from both: fetched by id, to learn the final status it reached.
 *
 * An order that reaches a final status gives its event and is no longer watched.
 */

export interface StatusChange {
	order: IDataObject;
	/** The status the trigger saw before; undefined when it never saw the order before. */
	previous: number | undefined;
}

export interface WatchResult {
	changes: StatusChange[];
	reader: ReaderState;
	watched: Map<number, WatchedOrder>;
}

const openFilter = (filters: IDataObject): IDataObject => ({
	...byCreation(filters, 'DESC'),
	[ORDER_QUERY.statuses]: OPEN_STATUS_CODES.map(String),
});

/** The newest `limit` open orders, newest first. */
async function openOrders(api: HelloTechClient, filters: IDataObject, limit: number): Promise<IDataObject[]> {
	const orders: IDataObject[] = [];
	for await (const page of orderPages(api, openFilter(filters), limit)) orders.push(...page);
	return orders;
}

function watchEntry(order: IDataObject, code: number, fallback?: WatchedOrder): WatchedOrder {
	return { code, createdAt: createdAt(order) ?? fallback?.createdAt ?? 0 };
}

/** First activation: the open orders as they are now, with no event. */
export async function startWatching(api: HelloTechClient, filters: IDataObject, maxWatched: number) {
	const watched = new Map<number, WatchedOrder>();
	for (const order of await openOrders(api, filters, maxWatched)) {
		const id = orderId(order);
		const code = orderStatusCode(order);
		if (id !== undefined && code !== undefined && !FINAL.has(code)) watched.set(id, watchEntry(order, code));
	}
	return watched;
}

export async function watchStatuses(
	api: HelloTechClient,
	node: INode,
	filters: IDataObject,
	tags: string[],
	state: { reader: ReaderState; watched: Map<number, WatchedOrder> },
	maxWatched: number,
	budget?: PollBudget,
): Promise<WatchResult> {
	const listed = await openOrders(api, filters, maxWatched);
	const { fresh, reader, stoppedAt } = await readNewOrders(api, node, filters, state.reader, budget);
	/** Created after where the new-order read stopped on its budget: the next poll reads it as new. */
	const notReadYet = (order: IDataObject, id: number) =>
		stoppedAt !== undefined && before(stoppedAt, { id, createdAt: createdAt(order) ?? Number.MAX_SAFE_INTEGER });

	// The latest copy of each order seen in this poll: the new orders were read last.
	const seen = new Map<number, IDataObject>();
	for (const order of listed) {
		const id = orderId(order);
		if (id !== undefined) seen.set(id, order);
	}
	const freshIds = new Set<number>();
	for (const order of fresh) {
		const id = orderId(order) as number; // readNewOrders only returns orders with an id
		seen.set(id, order);
		freshIds.add(id);
	}

	const changes: StatusChange[] = [];
	const watched = new Map<number, WatchedOrder>();
	for (const [id, order] of seen) {
		const code = orderStatusCode(order);
		const known = state.watched.get(id);
		if (!known && !freshIds.has(id) && notReadYet(order, id)) continue;
		if (known) {
			if (code !== undefined && code !== known.code) changes.push({ order, previous: known.code });
		} else if (freshIds.has(id)) {
			// Created since the last poll. Orders are created PENDING; one already in another status
			// changed before the trigger could see its first status.
			if (code !== undefined && code !== CREATED_STATUS_CODE) changes.push({ order, previous: undefined });
		}
		// An open order not watched and not new (beyond the watch limit before, or back from a
		// final status) is watched from now on, without an event: its earlier status is unknown.
		if (code === undefined) {
			if (known) watched.set(id, known);
		} else if (!FINAL.has(code)) {
			watched.set(id, watchEntry(order, code, known));
		}
	}

	// Watched orders that left the open list: finished, cancelled... or beyond the watch limit now.
	const limitReached = listed.length >= maxWatched;
	const last = listed[listed.length - 1];
	const oldestListed: Position | undefined =
		limitReached && last ? { id: orderId(last) ?? 0, createdAt: createdAt(last) ?? 0 } : undefined;
	const missing = [...state.watched].filter(
		([id, known]) => !seen.has(id) && !(oldestListed && before({ id, createdAt: known.createdAt }, oldestListed)),
	);
	const found = await Promise.all(missing.map(async ([id]) => await fetchOrder(api, node, id)));
	missing.forEach(([id, known], index) => {
		const order = found[index];
		const code = order ? orderStatusCode(order) : undefined;
		// Gone from HelloTech, status unreadable, or its tags no longer match: it leaves the watch.
		if (!order || code === undefined || !hasOneOf(order, tags)) return;
		if (code !== known.code) changes.push({ order, previous: known.code });
		if (!FINAL.has(code)) watched.set(id, watchEntry(order, code, known));
	});

	// Oldest change first: by updated_at (where it can be read), then by order id.
	const at = (change: StatusChange) => updatedAt(change.order) ?? 0;
	const idOf = (change: StatusChange) => orderId(change.order) ?? 0;
	changes.sort((a, b) => at(a) - at(b) || idOf(a) - idOf(b));
	return { changes, reader, watched: newestWatched(watched, maxWatched) };
}
