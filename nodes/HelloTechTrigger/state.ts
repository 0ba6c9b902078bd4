import type { IDataObject } from 'n8n-workflow';

import type { Position } from './orders';

/**
 * What the trigger remembers between polls, in the workflow's static data, and its bounds.
 *
 * - `anchor`: the order the next poll's list starts after (the list's `cursor`): every order up to
 *   it, in created_at order, has been handled. null: start at the first order.
 * - `recent`: IDs of the orders after the anchor that were already handled (emitted, or there
 *   before activation). Each poll reads them again, so an order that shows up late in the list
 *   (created_at earlier than orders already seen, e.g. a slow transaction on HelloTech's side) is
 *   still found; only the last LOOKBACK_SECONDS of orders, and at most MAX_RECENT, are kept.
 * - `watched` (Order Status Changed only): `[id, status code, created_at]` of the open orders
 *   (status not final), the newest `maxWatched` of them.
 */

/** How far back, in created_at seconds before the newest order seen, each poll reads again. */
export const LOOKBACK_SECONDS = 10 * 60;

/** The most order IDs kept for that re-read. */
export const MAX_RECENT = 200;

/** Default and limits of the "Max Watched Orders" option. */
export const WATCH_LIMIT = { default: 1000, min: 1, max: 10000 };

const VERSION = 1;

export interface ReaderState {
	anchor: Position | null;
	recent: number[];
}

export interface WatchedOrder {
	code: number;
	createdAt: number;
}

export interface TriggerState {
	/** What the state was built for (event and tags): other settings start afresh. */
	key: string;
	reader: ReaderState;
	watched: Map<number, WatchedOrder>;
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The state stored in `data`, or undefined when there is none for `key` (first activation, new settings, or unreadable). */
export function loadState(data: IDataObject, key: string): TriggerState | undefined {
	if (data.v !== VERSION || data.key !== key) return undefined;
	const { anchor, recent, watched } = data as { anchor: unknown; recent: unknown; watched: unknown };
	if (anchor !== null && !(Array.isArray(anchor) && isId(anchor[0]) && isCount(anchor[1]))) return undefined;
	if (!Array.isArray(recent) || !recent.every(isId)) return undefined;
	if (!Array.isArray(watched)) return undefined;
	const map = new Map<number, WatchedOrder>();
	for (const entry of watched) {
		if (!Array.isArray(entry) || !isId(entry[0]) || !isCount(entry[1]) || !isCount(entry[2])) return undefined;
		map.set(entry[0], { code: entry[1], createdAt: entry[2] });
	}
	return {
		key,
		reader: { anchor: anchor === null ? null : { id: anchor[0], createdAt: anchor[1] }, recent: [...recent] },
		watched: map,
	};
}

/** Replaces what `data` holds with `state`, in a compact form. */
export function saveState(data: IDataObject, state: TriggerState): void {
	const next: IDataObject = {
		v: VERSION,
		key: state.key,
		anchor: state.reader.anchor ? [state.reader.anchor.id, state.reader.anchor.createdAt] : null,
		recent: [...state.reader.recent],
		watched: [...state.watched].map(([id, order]) => [id, order.code, order.createdAt]),
	};
	// Unchanged state is not written: n8n then has nothing to save.
	if (JSON.stringify(data) === JSON.stringify(next)) return;
	for (const key of Object.keys(data)) delete data[key];
	Object.assign(data, next);
}

/** The newest `limit` of the watched orders (by created_at, then id). */
export function newestWatched(watched: Map<number, WatchedOrder>, limit: number): Map<number, WatchedOrder> {
	if (watched.size <= limit) return watched;
	const sorted = [...watched].sort(([idA, a], [idB, b]) => b.createdAt - a.createdAt || idB - idA);
	return new Map(sorted.slice(0, limit));
}
