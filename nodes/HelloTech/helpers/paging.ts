import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ORDER_QUERY, ORDER_SORT_FIELDS, PAGINATION, readField, timestampSeconds } from '../api';
import type { HelloTechClient } from '../transport/request';
import type { ItemInput } from './input';
import { boolean, positiveInteger } from './values';

/** Where a read of a list goes on from: a cursor, or a page number (a server that pages by number). */
export type ListPosition = { cursor: string | number } | { page: number };

export interface PageOptions {
	/** The list endpoint, and the key its answer holds the records under. */
	path: string;
	listKey: string;
	/** Stop after this many records; undefined for all of them. */
	limit?: number;
	itemIndex?: number;
	/**
	 * Where to start: the `next` of a page an earlier read stopped at (the trigger's next poll, a
	 * picker's next load); undefined: the start of the list. A cursor is read as a first page is;
	 * a page number goes on by page number, PAGINATION.pageSize records a page.
	 */
	from?: ListPosition;
}

/** One page of a read: its records not read before, and where the list goes on (undefined: the end). */
export interface ListPage {
	records: IDataObject[];
	next?: ListPosition;
}

function at(body: IDataObject, path: string[]): unknown {
	let value: unknown = body;
	for (const key of path) value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	return value;
}

/** The next cursor the answer names: `given` when it has one of the cursor keys, even as null. */
function namedCursorIn(body: IDataObject): { given: boolean; cursor?: unknown } {
	for (const path of PAGINATION.nextCursorKeys) {
		const value = at(body, path);
		if (value !== undefined) return { given: true, cursor: value };
	}
	return { given: false };
}

/** How many records match over all pages, when the answer says. */
function totalIn(body: IDataObject): number | undefined {
	for (const path of PAGINATION.totalKeys) {
		const value = Number(at(body, path));
		if (at(body, path) !== undefined && Number.isSafeInteger(value) && value >= 0) return value;
	}
	return undefined;
}

const noCursor = (cursor: unknown) => cursor === null || cursor === undefined || cursor === '' || cursor === false;
const idOf = (record: IDataObject) => readField(record, 'id');

/** Whether a list in the order `query` asks for can be paged by the last record's id (api.ts). */
function pagedByLastId(query: IDataObject): boolean {
	const orderBy = query[ORDER_QUERY.orderBy];
	return orderBy === undefined || PAGINATION.lastIdOrders.includes(String(orderBy));
}

/** One answer of a list endpoint, as paging reads it. */
interface Answer {
	records: IDataObject[];
	/** The next cursor the answer names (`given` even when null: then there is no next page). */
	named: { given: boolean; cursor?: unknown };
	total?: number;
}

/** Asks a list endpoint for `pageSize` records at most, from `position` (undefined: the first page). */
async function ask(
	api: HelloTechClient,
	query: IDataObject,
	options: Pick<PageOptions, 'path' | 'listKey' | 'itemIndex'> & { position?: ListPosition; pageSize: number },
): Promise<Answer> {
	const { path, listKey, itemIndex, position, pageSize } = options;
	const qs: IDataObject = { ...query, [ORDER_QUERY.limit]: pageSize };
	if (position && 'cursor' in position) qs[ORDER_QUERY.cursor] = position.cursor;
	if (position && 'page' in position) qs[PAGINATION.pageParam] = position.page;
	const answer = await api.request({ method: 'GET', path, qs, itemIndex });
	const body = (Array.isArray(answer) ? { [listKey]: answer } : answer) as IDataObject;
	const records = body?.[listKey];
	if (!Array.isArray(records)) {
		throw api.error(
			{ itemIndex },
			{
				message: `HelloTech's answer to ${path} has no "${listKey}" list`,
				description: `Keys in the answer: ${Object.keys(body ?? {}).join(', ') || 'none'}`,
			},
		);
	}
	return { records: records as IDataObject[], named: namedCursorIn(body), total: totalIn(body) };
}

/** What the first answer of a read showed, for the rule on answers that repeat it. */
interface FirstAnswer {
	/** Where it was asked from, how many records were asked for, how many it held. */
	position?: ListPosition;
	asked: number;
	count: number;
	/** It named a next cursor, or a total above what it held: the list goes on. */
	more: boolean;
}

/**
 * One read of a list endpoint ("Retrieve all orders", the SKU catalogue): the rule of listPages.
 * Keeps the IDs read (to drop a record that shows up again) and how many records were handed out.
 */
class ListRead {
	private readonly readIds = new Set<unknown>();
	private received = 0;

	constructor(
		private readonly api: HelloTechClient,
		private readonly query: IDataObject,
		private readonly options: PageOptions,
	) {}

	async *pages(): AsyncGenerator<ListPage> {
		const { from } = this.options;
		if (from && 'page' in from) yield* this.byNumber(from.page, PAGINATION.pageSize);
		else yield* this.byCursor(from?.cursor);
	}

	/** How many more records the limit leaves room for. */
	private get room(): number {
		return this.options.limit === undefined ? Infinity : this.options.limit - this.received;
	}

	private async ask(position: ListPosition | undefined, pageSize: number): Promise<Answer> {
		const { path, listKey, itemIndex } = this.options;
		return await ask(this.api, this.query, { path, listKey, itemIndex, position, pageSize });
	}

	/** The records not read before in this read; a record without an id counts as new. */
	private fresh(records: IDataObject[]): IDataObject[] {
		return records.filter((record) => {
			const id = idOf(record);
			if (id === undefined || id === null) return true;
			if (this.readIds.has(id)) return false;
			this.readIds.add(id);
			return true;
		});
	}

	/** The page handed out: as many of `records` as the limit leaves room for. */
	private page(records: IDataObject[], next: ListPosition | undefined): ListPage {
		const page = { records: records.slice(0, this.room), next };
		this.received += page.records.length;
		return page;
	}

	private fail(message: string, description?: string) {
		return this.api.error({ itemIndex: this.options.itemIndex }, { message, description });
	}

	/** Cursor paging: the named cursor, else the last record's id; from `start` (undefined: the first page). */
	private async *byCursor(start?: string | number): AsyncGenerator<ListPage> {
		const { listKey, path } = this.options;
		const seenCursors = new Set<string>();
		let cursor = start;
		let first: FirstAnswer | undefined;
		let previousFull = false;
		let cursorsNamed = false;
		let fetched = 0;
		/** Pages with new records so far. */
		let pages = 0;
		/** 1 once the server showed a cursor that counts its own record in: each answer holds one record less that is new. */
		let overlap = 0;

		for (;;) {
			const position = cursor === undefined ? undefined : { cursor };
			const asked = Math.min(PAGINATION.pageSize, this.room + overlap);
			const { records, named, total } = await this.ask(position, asked);
			if (records.length === 0) return;
			fetched += records.length;
			const namedMore = named.given && !noCursor(named.cursor);
			const answer = { position, asked, count: records.length, more: namedMore || (total !== undefined && total > records.length) };
			first ??= answer;

			// An answer to a cursor that holds the cursor's own record: the server counts the cursor in
			// (the record comes first) or ignores it; either way, what comes up to it was read before,
			// by this read or (`from`) by the one this read goes on from.
			const own = cursor === undefined ? -1 : records.findIndex((record) => String(idOf(record)) === String(cursor));
			this.fresh(records.slice(0, own + 1));
			const fresh = this.fresh(records.slice(own + 1));
			if (own === 0 && overlap === 0) {
				overlap = 1;
				// The cursor's own record filled the answer: ask again, for one more.
				if (fresh.length === 0 && records.length >= asked) continue;
			}
			if (fresh.length === 0) {
				// The cursor's own record alone: a cursor that counts itself in, at the end of the list.
				if (own === 0) return;
				// The server ignores the cursor: the second answer repeats the first, or the first answer
				// of a read that goes on from a cursor holds it behind other records.
				if (pages === 1 || (pages === 0 && own > 0)) return yield* this.withoutCursor(pages === 1 ? first : answer, cursor);
				if (previousFull || (total !== undefined && fetched < total)) {
					throw this.fail(
						`HelloTech answered the page after cursor ${String(cursor)} with ${listKey} already read: it does not page this list, so it cannot be read to the end (${this.received} ${listKey} read)`,
						`GET ${path} with cursor=${String(cursor)} repeated what earlier pages held.`,
					);
				}
				return; // a short page, then itself again: the end
			}
			pages++;

			// What comes next: the end, the named cursor, or the last record's id.
			let next: unknown;
			if (named.given) {
				cursorsNamed = true;
				next = namedMore ? named.cursor : undefined;
			} else if (cursorsNamed || (total !== undefined && fetched >= total)) {
				next = undefined;
			} else {
				next = idOf(records[records.length - 1]) ?? null;
				if (!pagedByLastId(this.query) && fresh.length < this.room) {
					// Only a first page gets here (a later one would follow named cursors): this order cannot
					// be paged by id, so the whole list is read in creation order and sorted here.
					// It cannot be gone on with from a position: its pages name none.
					for await (const records of sortedHere(this.api, this.query, this.options)) yield { records };
					return;
				}
			}
			const more = next !== undefined && this.room > fresh.length;
			if (more && next === null) {
				throw this.fail(`HelloTech returned ${listKey} without an id, so the next page cannot be asked for`);
			}
			const key = String(next);
			if (more && (seenCursors.has(key) || (cursor !== undefined && key === String(cursor)))) {
				throw this.fail(
					`HelloTech named cursor ${key} again: it does not page this list, so it cannot be read to the end (${this.received + fresh.length} ${listKey} read)`,
				);
			}
			yield this.page(fresh, next === undefined || next === null ? undefined : { cursor: next as string | number });
			if (!more) return;
			seenCursors.add(key);
			previousFull = records.length - (own === 0 ? 1 : 0) >= asked - overlap;
			cursor = next as string | number;
		}
	}

	/**
	 * The second answer held only records of the first: the server ignores the cursor. If page 2
	 * holds new records, the list pages by number: read on that way. If not, it does not page at
	 * all, and the first answer was the whole list, unless it showed there is more (a next cursor,
	 * a larger total) or held as many records as asked and an answer to one more holds more: then
	 * the list cannot be read whole, and saying so beats passing part of it off as all.
	 */
	private async *withoutCursor(first: FirstAnswer, cursor: unknown): AsyncGenerator<ListPage> {
		const { listKey, path } = this.options;
		if (yield* this.byNumber(2, first.asked)) return;
		const cut =
			first.more || (first.count === first.asked && (await this.ask(first.position, first.asked + 1)).records.length > first.count);
		if (cut) {
			throw this.fail(
				`HelloTech answered the page after cursor ${String(cursor)} with ${listKey} already read, and page 2 as well: it does not page this list, so it cannot be read to the end (${this.received} ${listKey} read)`,
				`GET ${path} ignores cursor and ${PAGINATION.pageParam}, and its first answer shows the list goes on: ${
					first.more ? 'it named a next cursor or a larger total' : `it held the ${first.asked} ${listKey} asked for, and more when asked for ${first.asked + 1}`
				}.`,
			);
		}
	}

	/**
	 * Page-number paging from page `number`, `size` records a page (the same on every request: the
	 * server numbers its pages by it). Ends at an empty page, a page of records already read (a page
	 * past the last answered with the last), or the total. Returns whether page `number` held
	 * anything new.
	 */
	private async *byNumber(number: number, size: number): AsyncGenerator<ListPage, boolean> {
		let fetched = this.readIds.size;
		for (let page = number; ; page++) {
			const { records, total } = await this.ask({ page }, size);
			const fresh = this.fresh(records);
			if (fresh.length === 0) return page > number;
			fetched += records.length;
			const next = total !== undefined && fetched >= total ? undefined : { page: page + 1 };
			yield this.page(fresh, next);
			if (next === undefined || this.room <= 0) return true;
		}
	}
}

/**
 * Reads a list endpoint ("Retrieve all orders", the SKU catalogue) a page at a time, each page
 * with where the list goes on after it, so memory holds one page, not the whole result, and a
 * reader that stops early can go on from there later (`from`).
 *
 * The list ends where the answer proves it: an empty page, a null named cursor (or none, after
 * earlier pages named one), the total it gives reached, or the `limit` records in. A short page
 * proves nothing (a server may cap its pages below what was asked): without a named cursor, the
 * next page is asked for with the last record's id, and an empty answer ends the read.
 *
 * A server may also ignore the cursor. Its answer then repeats what was read: a record already
 * read is dropped (so are the records up to the cursor's own one, in an answer that holds it:
 * how a read that goes on `from` a cursor sees what the read before it had), and an answer of
 * nothing new is read by what the answers before it showed:
 * - the second answer (or the first, from a cursor it holds behind other records): page 2 is
 *   asked for; new records there mean the server pages by number (read on by page number); none
 *   mean it does not page, and the first answer was the whole list (`limit` and `cursor`
 *   ignored), unless that answer showed more (see withoutCursor): an error;
 * - the cursor's own record alone (a cursor that counts itself in: from then on each request
 *   asks for one more), or a repeat after a short page: the end; after a full page (or below
 *   the total): an error, never a part of the list passed off as all of it.
 *
 * A list sorted in an order the last id cannot page (api.ts: PAGINATION.lastIdOrders) that names no
 * cursor and needs more than its first page is read in creation order and sorted here instead.
 */
export async function* readPages(api: HelloTechClient, query: IDataObject, options: PageOptions): AsyncGenerator<ListPage> {
	yield* new ListRead(api, query, options).pages();
}

/** readPages, the records of each page only. */
export async function* listPages(
	api: HelloTechClient,
	query: IDataObject,
	options: PageOptions,
): AsyncGenerator<IDataObject[]> {
	for await (const { records } of readPages(api, query, options)) if (records.length > 0) yield records;
}

/** Compares sort keys where a missing one (Infinity) comes after every other. */
const compareKeys = (a: number, b: number) => (a === b ? 0 : a < b ? -1 : 1);

/**
 * The list in the order `query` asks for, read in creation order (which pages by id) and sorted
 * here by the field api.ts names for that order. Holds the whole list: what sorting needs.
 */
async function* sortedHere(api: HelloTechClient, query: IDataObject, options: PageOptions): AsyncGenerator<IDataObject[]> {
	const orderBy = String(query[ORDER_QUERY.orderBy]);
	const fields = ORDER_SORT_FIELDS[orderBy] ?? [orderBy];
	const direction = String(query[ORDER_QUERY.sort] ?? 'DESC').toUpperCase() === 'ASC' ? 1 : -1;
	const keyOf = (record: IDataObject) => {
		for (const field of fields) {
			const value = timestampSeconds(readField(record, field));
			if (value !== undefined) return value;
		}
		return Infinity;
	};

	const all: Array<{ record: IDataObject; key: number; id: number }> = [];
	const inCreationOrder = { ...query, [ORDER_QUERY.orderBy]: PAGINATION.lastIdOrders[0] };
	for await (const page of listPages(api, inCreationOrder, { ...options, limit: undefined, from: undefined })) {
		for (const record of page) all.push({ record, key: keyOf(record), id: Number(idOf(record)) || 0 });
	}
	all.sort((a, b) => direction * (compareKeys(a.key, b.key) || a.id - b.id));
	const wanted = options.limit === undefined ? all : all.slice(0, options.limit);
	for (let start = 0; start < wanted.length; start += PAGINATION.pageSize) {
		yield wanted.slice(start, start + PAGINATION.pageSize).map(({ record }) => record);
	}
}

/** The Return All / Limit fields of a Get Many operation. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/**
 * A Get Many for one item: reads Return All / Limit now, and returns the read of every record of
 * the list (Return All), or up to Limit, for the runner to send.
 */
export function readList(
	input: ItemInput,
	query: IDataObject,
	list: Pick<PageOptions, 'path' | 'listKey'>,
): (api: HelloTechClient) => Promise<IDataObject[]> {
	const returnAll = input.check('Return All', () => boolean(input.param('returnAll', false)));
	const limit = returnAll ? undefined : input.check('Limit', () => positiveInteger(input.param('limit', 50)));
	return async (api) => {
		const records: IDataObject[] = [];
		for await (const page of listPages(api, query, { ...list, limit, itemIndex: input.itemIndex })) {
			for (const record of page) records.push(record);
		}
		return records;
	};
}
