import type { IDataObject } from 'n8n-workflow';

import type { ListPosition } from '../HelloTech/helpers/paging';
import type { Position } from './orders';

/**
 * What the trigger remembers between polls, in the workflow's static data, and its bounds.
 *
 * - `anchor`: the order the next poll's list starts after (the list's `cursor`): every order up to
 *   it, in created_at order, has been handled. It is always the last order of its created_at
 *   second that the trigger read, so "up to the anchor" also means "up to the end of its second".
 *   null: start at the first order.
 * - `seen`: IDs of the orders after the anchor that were already handled (emitted, or there before
 *   activation). Each poll reads them all again, so an order that shows up late in the list
 *   (created_at earlier than orders already seen, e.g. a slow transaction on HelloTech's side) is
 *   still found, and none is emitted twice. The anchor moves up to the last order more than
 *   LOOKBACK_SECONDS older than the newest order read, so `seen` holds the orders of the last
 *   LOOKBACK_SECONDS: about 10 × (orders per minute) IDs, at most MAX_SEEN (plus the orders of one
 *   created_at second). Stored sorted, as differences from the previous ID: 2 to 4 bytes each.
 * - `watched` (Order Status Changed only): `[id, status code, created_at]` of the open orders
 *   (status not final), the newest `maxWatched` of them.
 * - `resume`: set when a poll stopped reading on n8n's time budget (see budget.ts) before the end
 *   of the list: the last order it read (`after`: `[id, created_at]`), where the list goes on after
 *   it (`from`: `{ cursor }` or `{ page }`), the `from` date it read with (`since`), and which IDs
 *   of `seen` lie ahead of it (`ahead`, stored as `seen` is). The next poll goes on from there
 *   instead of the anchor. Every handled order after the anchor is still in `seen`, so a state
 *   without `resume` (an older package, or one that cannot read it) reads from the anchor and
 *   emits nothing twice.
 *
 * Version 1 of this state (package 0.1.0) kept at most 200 IDs, as a plain list named `recent`; it is
 * read as it is (its anchor may sit inside a busy second: the orders the list gives after it are
 * taken as new unless handled) and stored in this form by the next poll.
 */

/** How far back, in created_at seconds before the newest order seen, each poll reads again. */
export const LOOKBACK_SECONDS = 10 * 60;

/**
 * The most order IDs kept for that re-read: 2,000 orders a minute for the whole look-back. Above,
 * the look-back shortens to the newest MAX_SEEN orders; every order is still emitted once.
 */
export const MAX_SEEN = 20_000;

/** Default and limits of the "Max Watched Orders" option. */
export const WATCH_LIMIT = { default: 1000, min: 1, max: 10000 };

const VERSION = 2;

/**
 * Where a poll that stopped on its budget stopped: the last order it read (or, having read only
 * orders handled before, where it started), where the list goes on, the `from` date the list was
 * read with (a page number counts in the list that date filtered), and the IDs of `seen` that lie
 * ahead of it (handled by an earlier poll, not read again yet).
 */
export interface Resume {
	after: Position;
	from: ListPosition;
	since?: string;
	ahead: number[];
}

export interface ReaderState {
	anchor: Position | null;
	/** IDs of the orders after the anchor that were handled. */
	seen: number[];
	resume?: Resume;
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

/** IDs, sorted, as the first one and the differences after it. */
function encodeIds(ids: number[]): number[] {
	const sorted = [...new Set(ids)].sort((a, b) => a - b);
	return sorted.map((id, index) => (index === 0 ? id : id - sorted[index - 1]));
}

function decodeIds(encoded: unknown): number[] | undefined {
	if (!Array.isArray(encoded) || !encoded.every(isId)) return undefined;
	const ids: number[] = [];
	let id = 0;
	for (const delta of encoded as number[]) ids.push((id += delta));
	return ids.every(isId) ? ids : undefined;
}

/** The state stored in `data`, or undefined when there is none for `key` (first activation, new settings, or unreadable). */
export function loadState(data: IDataObject, key: string): TriggerState | undefined {
	if ((data.v !== VERSION && data.v !== 1) || data.key !== key) return undefined;
	const { anchor, watched } = data as { anchor: unknown; watched: unknown };
	if (anchor !== null && !(Array.isArray(anchor) && isId(anchor[0]) && isCount(anchor[1]))) return undefined;
	// Version 1: the handled IDs as a plain list, `recent`.
	const seen = data.v === 1 ? (Array.isArray(data.recent) && data.recent.every(isId) ? [...data.recent] : undefined) : decodeIds(data.seen);
	if (!seen) return undefined;
	if (!Array.isArray(watched)) return undefined;
	const map = new Map<number, WatchedOrder>();
	for (const entry of watched) {
		if (!Array.isArray(entry) || !isId(entry[0]) || !isCount(entry[1]) || !isCount(entry[2])) return undefined;
		map.set(entry[0], { code: entry[1], createdAt: entry[2] });
	}
	const reader: ReaderState = { anchor: anchor === null ? null : { id: anchor[0], createdAt: anchor[1] }, seen };
	const resume = readResume(data.resume);
	if (resume) reader.resume = resume;
	return { key, reader, watched: map };
}

/** The stored `resume`, or undefined when there is none or it cannot be read (the anchor then serves). */
function readResume(stored: unknown): Resume | undefined {
	if (!stored || typeof stored !== 'object') return undefined;
	const { after, from, since } = stored as { after?: unknown; from?: { cursor?: unknown; page?: unknown }; since?: unknown };
	if (!Array.isArray(after) || !isId(after[0]) || !isCount(after[1]) || !from || typeof from !== 'object') return undefined;
	if (since !== undefined && (typeof since !== 'string' || !/^\d{2}-\d{2}-\d{4}$/.test(since))) return undefined;
	const ahead = decodeIds((stored as IDataObject).ahead);
	if (!ahead) return undefined;
	const resume = { after: { id: after[0], createdAt: after[1] }, since, ahead };
	if (typeof from.cursor === 'string' || typeof from.cursor === 'number') return { ...resume, from: { cursor: from.cursor } };
	if (isId(from.page)) return { ...resume, from: { page: from.page } };
	return undefined;
}

/** Replaces what `data` holds with `state`, in a compact form. */
export function saveState(data: IDataObject, state: TriggerState): void {
	const next: IDataObject = {
		v: VERSION,
		key: state.key,
		anchor: state.reader.anchor ? [state.reader.anchor.id, state.reader.anchor.createdAt] : null,
		seen: encodeIds(state.reader.seen),
		watched: [...state.watched].map(([id, order]) => [id, order.code, order.createdAt]),
	};
	const { resume } = state.reader;
	if (resume) {
		next.resume = { after: [resume.after.id, resume.after.createdAt], from: { ...resume.from }, ahead: encodeIds(resume.ahead) };
		if (resume.since) (next.resume as IDataObject).since = resume.since;
	}
	// Unchanged state is not written: n8n then has nothing to save.
	if (JSON.stringify(data) === JSON.stringify(next)) return;
	for (const name of Object.keys(data)) delete data[name];
	Object.assign(data, next);
}

/** The newest `limit` of the watched orders (by created_at, then id). */
export function newestWatched(watched: Map<number, WatchedOrder>, limit: number): Map<number, WatchedOrder> {
	if (watched.size <= limit) return watched;
	const sorted = [...watched].sort(([idA, a], [idB, b]) => b.createdAt - a.createdAt || idB - idA);
	return new Map(sorted.slice(0, limit));
}
