import type { IDataObject } from 'n8n-workflow';

import { BOOKED, ORDER_QUERY, PAGINATION, PATHS, readField, timestampSeconds } from '../api';
import type { HelloTechClient } from '../transport/request';
import { listPages } from './paging';
import { apiDate } from './values';

/**
 * What HelloTech already has, by purchase order ID: the orders list read once per run of the node
 * (the list has no purchase order ID filter, see BOOKED in api.ts).
 *
 * - `BookedIndex`, for Order → Create's Skip Orders Already Booked: every order created in the
 *   look-back, read completely (a purchase order ID not found there must truly be absent): the
 *   newest page first, then the rest of the period in parallel parts.
 * - `PurchaseOrderScan`, for Order → Get By Purchase Order ID: the newest orders first, read only
 *   until the purchase order IDs asked for are found.
 */

const DAY = 86_400;
const HOUR = 3_600;

export const LOOK_BACK_DAYS = { default: 30, max: 3650 };

/** How far back Order → Get By Purchase Order ID looks. */
export const SCAN_DAYS = 365;

/**
 * The look-back is read in at most this many parts at once, each from its own first day: a list
 * pages only one page after another, so one read of 2,000 orders takes 20 round trips, ten parts
 * two. Each part also reads the hours of the day before its start (the `from` date, below), so
 * more parts read more orders.
 */
const PARTS = 10;

/** A purchase order ID as the index compares it: the text, trimmed; undefined when there is none. */
export function purchaseOrderKey(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const createdAt = (order: IDataObject) => timestampSeconds(readField(order, 'created_at'));
const idOf = (order: IDataObject) => Number(readField(order, 'id')) || 0;

/** The `from` date that lists every order created at or after `instant` (seconds), whatever HelloTech's day zone. */
export function fromDate(instant: number): string {
	const date = new Date((instant - BOOKED.dateZoneHours.behindUtc * HOUR) * 1000);
	return apiDate({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

/** Whether `a` was created after `b` (the later id when in the same second). */
function newer(a: IDataObject, b: IDataObject): boolean {
	const [ta, tb] = [createdAt(a) ?? 0, createdAt(b) ?? 0];
	return ta !== tb ? ta > tb : idOf(a) > idOf(b);
}

/**
 * The parts of the period from `since` to `until` (seconds, `until` excluded), each read on its own.
 * The boundaries fall at 12:00 UTC, where a part's `from` date (fromDate) adds the fewest hours
 * before its start for US time zones: 2 to 7 hours.
 */
export function periodParts(since: number, until: number, parts = PARTS): Array<{ start: number; end: number }> {
	const count = Math.max(1, Math.min(parts, Math.floor((until - since) / DAY)));
	const noonAtOrBefore = (instant: number) => Math.floor((instant - 12 * HOUR) / DAY) * DAY + 12 * HOUR;
	const starts = [since];
	for (let part = 1; part < count; part++) {
		const boundary = noonAtOrBefore(since + ((until - since) * part) / count);
		if (boundary > starts[starts.length - 1]) starts.push(boundary);
	}
	return starts.map((start, index) => ({ start, end: starts[index + 1] ?? until }));
}

/** Whether the created_at of `orders` never rises (`descending`) or never falls; orders without one are left out. */
function inOrder(orders: IDataObject[], descending: boolean, after = descending ? Infinity : -Infinity): boolean {
	let previous = after;
	for (const order of orders) {
		const created = createdAt(order);
		if (created === undefined) continue;
		if (descending ? created > previous : created < previous) return false;
		previous = created;
	}
	return true;
}

/**
 * Reads the orders created in one part of the period, oldest first, and hands each to `take`;
 * stops at the first order created at or after the part's end. The list is asked for in
 * created_at order (published); once a page shows it is not in that order, the part is read on to
 * the end instead of being trusted to stop at the right place. Orders from before the part's start
 * (the hours its `from` date adds) are handed over too: they only tell more.
 */
async function readPart(
	api: HelloTechClient,
	part: { start: number; end: number },
	take: (order: IDataObject) => void,
	itemIndex?: number,
): Promise<void> {
	const query = { [ORDER_QUERY.orderBy]: 'created_at', [ORDER_QUERY.sort]: 'ASC', [ORDER_QUERY.from]: fromDate(part.start) };
	let sorted = true;
	let latest = -Infinity;
	for await (const page of listPages(api, query, { path: PATHS.orders, listKey: 'orders', itemIndex })) {
		sorted &&= inOrder(page, false, latest);
		for (const order of page) {
			const created = createdAt(order);
			if (created !== undefined) latest = Math.max(latest, created);
			if (sorted && created !== undefined && created >= part.end) return;
			take(order);
		}
	}
}

/**
 * Every order HelloTech lists as created since `since` (seconds), each handed to `take`. The newest
 * page first: a period with few orders is read in one or two requests. A full page means more: the
 * rest of the period, older than that page, is read in parallel parts (periodParts). A list not in
 * the order asked for is read to its end, one page after another.
 */
export async function readSince(api: HelloTechClient, since: number, take: (order: IDataObject) => void, itemIndex?: number): Promise<void> {
	const query = { [ORDER_QUERY.orderBy]: 'created_at', [ORDER_QUERY.sort]: 'DESC', [ORDER_QUERY.from]: fromDate(since) };
	const newest = listPages(api, query, { path: PATHS.orders, listKey: 'orders', itemIndex });
	const first = await newest.next();
	if (first.done) return;
	const page = first.value;
	page.forEach(take);
	const sorted = inOrder(page, true);
	const oldest = Math.min(...page.map((order) => createdAt(order) ?? Infinity));
	if (sorted && oldest < since) {
		await newest.return(undefined); // the page reaches back past the period: it was all
		return;
	}
	if (!sorted || page.length < PAGINATION.pageSize || !Number.isFinite(oldest)) {
		// A short page (the next one is likely the empty end), or a list that cannot be split by time:
		// page after page, stopping past the period only while the list keeps its order.
		let inOrderSoFar = sorted;
		let oldestSoFar = oldest;
		for await (const more of newest) {
			inOrderSoFar &&= inOrder(more, true, oldestSoFar);
			more.forEach(take);
			oldestSoFar = Math.min(oldestSoFar, ...more.map((order) => createdAt(order) ?? Infinity));
			if (inOrderSoFar && oldestSoFar < since) return;
		}
		return;
	}
	await newest.return(undefined);
	// The orders of the oldest second on the page may go on on the next: that second is read again.
	const parts = periodParts(since, oldest + 1);
	await Promise.all(parts.map(async (part) => await readPart(api, part, take, itemIndex)));
}

/**
 * The orders HelloTech lists as created in the last `lookBackDays` days, by purchase order ID: read
 * once, when the first item asks, by all the run's items. A purchase order ID with several orders
 * gives the newest.
 */
export class BookedIndex {
	private readonly byPurchaseOrder = new Map<string, IDataObject>();

	private read?: Promise<void>;

	/** When the read started (seconds): the look-back is counted back from it. */
	private startedAt = 0;

	constructor(
		private readonly api: HelloTechClient,
		readonly lookBackDays: number,
	) {}

	/** Starts reading, if it has not started yet. */
	start(itemIndex?: number): void {
		if (this.read) return;
		this.startedAt = Math.floor(Date.now() / 1000);
		this.read = readSince(this.api, this.startedAt - this.lookBackDays * DAY, (order) => this.add(order), itemIndex);
		// A failed read fails the items that wait for it; none may be left without a handler.
		this.read.catch(() => {});
	}

	private add(order: IDataObject): void {
		const key = purchaseOrderKey(readField(order, 'purchase_order_id'));
		if (key === undefined) return;
		const known = this.byPurchaseOrder.get(key);
		if (!known || newer(order, known)) this.byPurchaseOrder.set(key, order);
	}

	/** The newest order HelloTech lists with this purchase order ID, or undefined when it lists none in the look-back. */
	async find(purchaseOrderId: string, itemIndex?: number): Promise<IDataObject | undefined> {
		this.start(itemIndex);
		await this.read;
		return this.byPurchaseOrder.get(purchaseOrderId);
	}

	/** How many days ago `order` was created, by the clock of this run's read. */
	ageInDays(order: IDataObject): number | undefined {
		const created = createdAt(order);
		return created === undefined ? undefined : (this.startedAt - created) / DAY;
	}
}

/**
 * The newest orders first, read one page at a time only while some item waits for a purchase order
 * ID not found yet, back to SCAN_DAYS days: shared by the items of a run (Order → Get By Purchase
 * Order ID), so ten look-ups of recent orders cost the pages up to the oldest of them.
 */
export class PurchaseOrderScan {
	private readonly found = new Map<string, IDataObject>();

	private pages?: AsyncGenerator<IDataObject[]>;

	private done = false;

	private reading?: Promise<void>;

	/** A page that could not be read ends the scan: what was not found by then is unknown, not absent. */
	private failure?: unknown;

	constructor(private readonly api: HelloTechClient) {}

	async find(purchaseOrderId: string, itemIndex?: number): Promise<IDataObject | undefined> {
		for (;;) {
			const hit = this.found.get(purchaseOrderId);
			if (hit) return hit;
			if (this.failure !== undefined) throw this.failure;
			if (this.done) return undefined;
			this.reading ??= this.readPage(itemIndex)
				.catch((error: unknown) => {
					this.failure = error;
				})
				.finally(() => (this.reading = undefined));
			await this.reading;
		}
	}

	private async readPage(itemIndex?: number): Promise<void> {
		if (!this.pages) {
			const since = Math.floor(Date.now() / 1000) - SCAN_DAYS * DAY;
			const query = { [ORDER_QUERY.orderBy]: 'created_at', [ORDER_QUERY.sort]: 'DESC', [ORDER_QUERY.from]: fromDate(since) };
			this.pages = listPages(this.api, query, { path: PATHS.orders, listKey: 'orders', itemIndex });
		}
		const next = await this.pages.next();
		if (next.done) {
			this.done = true;
			return;
		}
		for (const order of next.value) {
			const key = purchaseOrderKey(readField(order, 'purchase_order_id'));
			// Newest first: the first order read with an ID is its newest.
			if (key !== undefined && !this.found.has(key)) this.found.set(key, order);
		}
	}
}
