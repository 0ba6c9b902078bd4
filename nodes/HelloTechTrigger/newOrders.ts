import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ORDER_QUERY } from '../HelloTech/api';
import { apiDate } from '../HelloTech/helpers/values';
import type { HelloTechClient } from '../HelloTech/transport/request';
import type { Position } from './orders';
import { PollBudget } from './budget';
import { before, byCreation, createdAt, orderId, orderPages, readOrderPages } from './orders';
import type { ReaderState, Resume } from './state';
import { LOOKBACK_SECONDS, MAX_SEEN } from './state';

/**
 * Finds the orders created since the last poll.
 *
 * The list is read in created_at order (ASC), starting after the stored anchor (`cursor`), and
 * each order is compared with the IDs already handled. A poll stops reading when n8n's time
 * budget runs low (budget.ts) and the next one goes on where it stopped (state.ts: `resume`). The anchor then moves up to the last order
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
	/** Set when the read stopped on the poll's budget: the last order read. Orders after it wait for the next poll. */
	stoppedAt?: Position;
}

/**
 * Reads the orders after the anchor (or, when the last poll stopped on its budget, after where it
 * stopped), as far as `budget` allows; returns the ones not handled yet and the next reader state.
 */
export async function readNewOrders(
	api: HelloTechClient,
	node: INode,
	filters: IDataObject,
	state: ReaderState,
	budget = new PollBudget(),
): Promise<ReadResult> {
	const handled = new Set(state.seen);
	const { anchor, resume } = state;
	/** The read goes on after this order: every order up to it was handled by earlier polls. */
	const start = resume?.after ?? anchor;
	const read: Position[] = [];
	const readIds = new Set<number>();
	const fresh: IDataObject[] = [];
	/** The last order in list order read so far, or the start: where a stop goes on after. */
	let latest = start;

	const take = (order: IDataObject) => {
		const position = positionOf(api, order, read[read.length - 1]?.createdAt ?? start?.createdAt ?? 0);
		if (readIds.has(position.id)) return;
		// A server that ignores the cursor (or a read from a day before, below) lists orders up to the
		// start again: skipped, by created_at and, within its second, by id.
		if (start && start.createdAt > 0 && createdAt(order) !== undefined && !before(start, position)) return;
		readIds.add(position.id);
		read.push(position);
		if (!latest || before(latest, position)) latest = position;
		if (!handled.has(position.id)) fresh.push(order);
	};

	// Orders after the start only, and from a day before it: a server that ignores the cursor then
	// lists a day of orders again, not all of them. A poll that goes on by page number keeps the
	// date of the poll that began (page numbers count in the list it filtered).
	const since = resume ? resume.since : start && start.createdAt > 0 ? dayBefore(start.createdAt) : undefined;
	const query = { ...byCreation(filters, 'ASC'), ...(since ? { [ORDER_QUERY.from]: since } : {}) };
	let stopped: Omit<Resume, 'ahead'> | undefined;
	try {
		const from = resume?.from ?? (anchor ? { cursor: anchor.id } : undefined);
		budget.startReading();
		for await (const { records, next } of readOrderPages(api, query, from)) {
			for (const order of records) take(order);
			if (next !== undefined && latest && !budget.allowsAnotherPage()) {
				stopped = { after: latest, from: next, since };
				break;
			}
		}
	} catch (error) {
		// The order the read starts after may be gone (deleted, or no longer carrying the tags):
		// HelloTech then refuses it as a cursor. Read from a day before it instead and skip what came
		// up to it (only possible when its created_at is known).
		if (!start || start.createdAt === 0 || read.length > 0 || !isRefusal(error)) {
			throw new NodeApiError(node, error as JsonObject);
		}
		const fromDayBefore = { ...query, [ORDER_QUERY.from]: dayBefore(start.createdAt) };
		for await (const page of orderPages(api, fromDayBefore)) for (const order of page) take(order);
	}

	return { fresh, reader: nextReader(read, state, stopped), stoppedAt: stopped?.after };
}

/**
 * The reader state after this poll read `read` (in list order), and stopped on its budget at `stop`
 * (undefined: it read to the end).
 *
 * - From the anchor: the anchor moves as settle says.
 * - From a `resume` point: only orders after it were read; the handled ones between the anchor and
 *   it (`seen` less `ahead`) have no created_at here. When it is more than LOOKBACK_SECONDS older
 *   than the newest order read, they all settle behind the resume point; otherwise they stay in
 *   `seen` beside this poll's (unless that passes MAX_SEEN: then they settle all the same).
 * - A poll that stopped did not read again every handled order after where it started: those it
 *   did not read stay in `seen`, and in `resume.ahead`, for the next poll to read. One that read to
 *   the end forgets them: they left the list.
 */
function nextReader(read: Position[], state: ReaderState, stop?: Omit<Resume, 'ahead'>): ReaderState {
	const { anchor, resume } = state;
	const readIds = new Set(read.map((position) => position.id));
	let reader: ReaderState;
	if (!resume) {
		reader = settle(read, anchor);
	} else {
		const ahead = new Set(resume.ahead);
		const behind = state.seen.filter((id) => !ahead.has(id));
		const newest = read.reduce((max, position) => Math.max(max, position.createdAt), resume.after.createdAt);
		reader =
			resume.after.createdAt < newest - LOOKBACK_SECONDS || behind.length + read.length > MAX_SEEN
				? settle(read, resume.after)
				: { anchor, seen: [...behind, ...read.map((position) => position.id)] };
	}
	if (!stop) return reader;
	const unread = (resume ? resume.ahead : state.seen).filter((id) => !readIds.has(id));
	return { anchor: reader.anchor, seen: [...reader.seen, ...unread], resume: { ...stop, ahead: unread } };
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
