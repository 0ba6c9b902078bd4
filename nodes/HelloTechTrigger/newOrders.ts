import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ORDER_QUERY } from '../HelloTech/api';
import { apiDate } from '../HelloTech/helpers/values';
import type { HelloTechClient } from '../HelloTech/transport/request';
import type { Position } from './orders';
import { before, byCreation, createdAt, orderId, orderPages } from './orders';
import type { ReaderState } from './state';
import { LOOKBACK_SECONDS, MAX_SEEN } from './state';

/**
 * Finds the orders created since the last poll.
 *
 * The list is read in created_at order (ASC), starting after the stored anchor (`cursor`), and
 * each order is compared with the IDs already handled. The anchor then moves up to the last order
 * that is more than LOOKBACK_SECONDS older than the newest one seen, so the next poll reads those
 * last minutes again: an order that enters the list late, behind orders already seen, is still
 * caught, and none is handled twice, however many orders share those minutes or one second.
 */

function positionOf(api: HelloTechClient, order: IDataObject, fallbackCreatedAt: number): Position {
	const id = orderId(order);
	if (id === undefined) {
		throw api.error({}, { message: 'HelloTech listed an order without an id, so the trigger cannot tell whether it is new' });
	}
	return { id, createdAt: createdAt(order) ?? fallbackCreatedAt };
}

/**
 * Where a first activation stands: the newest orders (LOOKBACK_SECONDS of them, at most MAX_SEEN
 * and never part of a second) count as handled and the one before them becomes the anchor.
 * Nothing is emitted.
 */
export async function startReader(api: HelloTechClient, filters: IDataObject): Promise<ReaderState> {
	const newestFirst: Position[] = [];
	let anchor: Position | null = null;
	reading: for await (const page of orderPages(api, byCreation(filters, 'DESC'))) {
		for (const order of page) {
			const previous = newestFirst[newestFirst.length - 1];
			const position = positionOf(api, order, previous?.createdAt ?? 0);
			const newest = newestFirst[0]?.createdAt ?? position.createdAt;
			const full = newestFirst.length >= MAX_SEEN && position.createdAt < previous.createdAt;
			if (full || position.createdAt < newest - LOOKBACK_SECONDS) {
				anchor = position;
				break reading;
			}
			newestFirst.push(position);
		}
	}
	return { anchor, seen: newestFirst.map((position) => position.id) };
}

/** An error that says HelloTech refused the request as such (not a failure to answer). */
function isRefusal(error: unknown): boolean {
	const code = (error as { httpCode?: string | null }).httpCode;
	return code === '400' || code === '404' || code === '422';
}

const DAY_SECONDS = 24 * 60 * 60;

/** The MM-DD-YYYY date a day before `createdAt` (UTC): whatever zone HelloTech counts in, it is not later. */
function dayBefore(createdAtSeconds: number): string {
	const date = new Date((createdAtSeconds - DAY_SECONDS) * 1000);
	return apiDate({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

export interface ReadResult {
	/** Orders not handled before, in the list's created_at order. */
	fresh: IDataObject[];
	/** The reader state to store once this poll's events are out. */
	reader: ReaderState;
}

/** Reads every order after the anchor; returns the ones not handled yet and the next reader state. */
export async function readNewOrders(
	api: HelloTechClient,
	node: INode,
	filters: IDataObject,
	state: ReaderState,
): Promise<ReadResult> {
	const handled = new Set(state.seen);
	const { anchor } = state;
	const read: Position[] = [];
	const readIds = new Set<number>();
	const fresh: IDataObject[] = [];

	/** `fromCursor`: read with the anchor as the cursor, so HelloTech lists only orders after it. */
	const take = (order: IDataObject, fromCursor: boolean) => {
		const position = positionOf(api, order, read[read.length - 1]?.createdAt ?? anchor?.createdAt ?? 0);
		if (readIds.has(position.id)) return;
		if (anchor && anchor.createdAt > 0 && createdAt(order) !== undefined) {
			// Orders up to the anchor were handled by earlier polls. After the cursor, one from an older
			// second means HelloTech ignored the cursor. Read without it (below), the orders of the
			// anchor's own second up to the anchor (by id, as within a second) come back too.
			if (fromCursor ? position.createdAt < anchor.createdAt : !before(anchor, position)) return;
		}
		readIds.add(position.id);
		read.push(position);
		if (!handled.has(position.id)) fresh.push(order);
	};

	const query = byCreation(filters, 'ASC');
	try {
		if (anchor) query[ORDER_QUERY.cursor] = anchor.id;
		for await (const page of orderPages(api, query)) for (const order of page) take(order, true);
	} catch (error) {
		// The anchor order may be gone (deleted, or no longer carrying the tags): HelloTech then
		// refuses it as a cursor. Read from a day before it instead and skip what came before it
		// (only possible when its created_at is known).
		if (!anchor || anchor.createdAt === 0 || read.length > 0 || !isRefusal(error)) {
			throw new NodeApiError(node, error as JsonObject);
		}
		const since = { ...byCreation(filters, 'ASC'), [ORDER_QUERY.from]: dayBefore(anchor.createdAt) };
		for await (const page of orderPages(api, since)) for (const order of page) take(order, false);
	}

	return { fresh, reader: settle(read, anchor) };
}

/**
 * Moves the anchor past the orders more than LOOKBACK_SECONDS older than the newest one read. Past
 * MAX_SEEN orders, it moves on to the newest MAX_SEEN, but never into a second: the anchor stays
 * the last order of its created_at second, which the next poll's skipping relies on.
 */
function settle(read: Position[], anchor: Position | null): ReaderState {
	if (read.length === 0) return { anchor, seen: [] };
	const newest = read.reduce((max, position) => Math.max(max, position.createdAt), 0);
	let settled = 0;
	while (settled < read.length && read[settled].createdAt < newest - LOOKBACK_SECONDS) settled++;
	if (read.length - settled > MAX_SEEN) {
		settled = read.length - MAX_SEEN;
		while (settled > 0 && read[settled].createdAt === read[settled - 1].createdAt) settled--;
	}
	return {
		anchor: settled === 0 ? anchor : read[settled - 1],
		seen: read.slice(settled).map((position) => position.id),
	};
}
