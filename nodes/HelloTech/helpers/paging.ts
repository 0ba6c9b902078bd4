import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ORDER_QUERY, ORDER_SORT_FIELDS, PAGINATION, readField, timestampSeconds } from '../api';
import type { HelloTechClient } from '../transport/request';
import type { ItemInput } from './input';
import { boolean, positiveInteger } from './values';

export interface PageOptions {
	/** The list endpoint, and the key its answer holds the records under. */
	path: string;
	listKey: string;
	/** Stop after this many records; undefined for all of them. */
	limit?: number;
	itemIndex?: number;
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

/** Asks a list endpoint for one page, from `cursor` (undefined: the first page), `pageSize` records at most. */
async function ask(
	api: HelloTechClient,
	query: IDataObject,
	options: Pick<PageOptions, 'path' | 'listKey' | 'itemIndex'> & { cursor?: unknown; pageSize: number },
): Promise<Answer> {
	const { path, listKey, itemIndex, cursor, pageSize } = options;
	const qs: IDataObject = { ...query, [ORDER_QUERY.limit]: pageSize };
	if (cursor !== undefined) qs[ORDER_QUERY.cursor] = cursor as string | number;
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

/** One page of a list endpoint: its records and the cursor of the page after it (undefined: the end). */
export interface Page {
	records: IDataObject[];
	next: unknown;
}

/**
 * Reads one page of a list endpoint ("Retrieve all orders", the SKU catalogue) from `cursor`
 * (undefined: the first page), `pageSize` records at most, for a reader that keeps the cursor
 * itself (the pickers hand it to n8n and back). `next` follows the rules of listPages: undefined
 * only where the answer proves the end (an empty page, a null named cursor); a short page has a
 * next page, by the last record's id (null when it has none).
 */
export async function readPage(
	api: HelloTechClient,
	query: IDataObject,
	options: Pick<PageOptions, 'path' | 'listKey' | 'itemIndex'> & { cursor?: unknown; pageSize: number },
): Promise<Page> {
	const { records, named } = await ask(api, query, options);
	if (records.length === 0) return { records, next: undefined };
	if (named.given) return { records, next: noCursor(named.cursor) ? undefined : named.cursor };
	return { records, next: idOf(records[records.length - 1]) ?? null };
}

/**
 * Pages through a list endpoint ("Retrieve all orders", the SKU catalogue), yielding each page's
 * records as it arrives, so memory holds one page, not the whole result.
 *
 * A page is the last only when the answer proves it: it is empty, the cursor it names is null (or,
 * after earlier pages named one, it names none), or the total it gives is reached. A short page
 * proves nothing (a server may cap pages below what was asked), so without a named cursor the next
 * page is asked for by the last record's id, and one more, empty, request ends the read. Paging
 * also ends as soon as `limit` records are in.
 *
 * A list sorted in an order the last id cannot page (api.ts: PAGINATION.lastIdOrders) that names no
 * cursor and needs more than its first page is read in creation order and sorted here instead.
 *
 * A server that answers a cursor with records already read does not page: that is an error, never
 * a part of the list passed off as all of it. A record already read that shows up again is dropped.
 */
export async function* listPages(
	api: HelloTechClient,
	query: IDataObject,
	options: PageOptions,
): AsyncGenerator<IDataObject[]> {
	const { path, listKey, limit, itemIndex } = options;
	const seenCursors = new Set<string>();
	const readIds = new Set<unknown>();
	let cursor: unknown;
	let received = 0;
	let fetched = 0;
	let cursorsNamed = false;

	for (;;) {
		const pageSize = limit === undefined ? PAGINATION.pageSize : Math.min(PAGINATION.pageSize, limit - received);
		const { records, named, total } = await ask(api, query, { path, listKey, itemIndex, cursor, pageSize });
		if (records.length === 0) return;
		fetched += records.length;

		const fresh = records.filter((record) => {
			const id = idOf(record);
			if (id === undefined || id === null) return true;
			if (readIds.has(id)) return false;
			readIds.add(id);
			return true;
		});
		if (fresh.length === 0) {
			throw api.error(
				{ itemIndex },
				{
					message: `HelloTech answered the page after cursor ${String(cursor)} with ${listKey} already read: it does not page this list, so it cannot be read to the end (${received} ${listKey} read)`,
					description: `GET ${path} with cursor=${String(cursor)} repeated what earlier pages held.`,
				},
			);
		}
		const page = limit === undefined ? fresh : fresh.slice(0, limit - received);

		// What comes next: the end, the named cursor, or the last record's id.
		let next: unknown;
		if (named.given) {
			cursorsNamed = true;
			next = noCursor(named.cursor) ? undefined : named.cursor;
		} else if (cursorsNamed || (total !== undefined && fetched >= total)) {
			next = undefined;
		} else {
			next = idOf(records[records.length - 1]) ?? null;
			if (!pagedByLastId(query) && received + page.length < (limit ?? Infinity)) {
				// Only the first page gets here (a later one would follow named cursors): this order cannot
				// be paged by id, so the whole list is read in creation order and sorted here.
				yield* sortedHere(api, query, options);
				return;
			}
		}

		received += page.length;
		if (page.length > 0) yield page;
		if (next === undefined || (limit !== undefined && received >= limit)) return;
		if (next === null) {
			throw api.error({ itemIndex }, { message: `HelloTech returned ${listKey} without an id, so the next page cannot be asked for` });
		}
		const key = String(next);
		if (seenCursors.has(key) || (cursor !== undefined && key === String(cursor))) {
			throw api.error(
				{ itemIndex },
				{
					message: `HelloTech named cursor ${key} again: it does not page this list, so it cannot be read to the end (${received} ${listKey} read)`,
				},
			);
		}
		seenCursors.add(key);
		cursor = next;
	}
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
	for await (const page of listPages(api, inCreationOrder, { ...options, limit: undefined })) {
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
