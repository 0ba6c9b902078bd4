import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ORDER_QUERY, PAGINATION, readField } from '../api';
import type { HelloTechClient } from '../transport/request';
import type { ItemInput } from './input';
import { positiveInteger } from './values';

interface PageOptions {
	/** The list endpoint, and the key its answer holds the records under. */
	path: string;
	listKey: string;
	/** Stop after this many records; undefined for all of them. */
	limit?: number;
	itemIndex?: number;
	/**
	 * After a short page whose response names no next cursor, ask again (cursor = its last id)
	 * and stop only at an empty page: a server that caps pages below the size asked for then
	 * costs one more request instead of ending the read early. For the trigger, which must not
	 * stop before the end.
	 */
	untilEmpty?: boolean;
}

function nextCursorIn(body: IDataObject): { given: boolean; cursor?: unknown } {
	for (const path of PAGINATION.nextCursorKeys) {
		let value: unknown = body;
		for (const key of path) value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
		if (value !== undefined) return { given: true, cursor: value };
	}
	return { given: false };
}

/**
 * The cursor for the page after `records`: the one the response names, else the last record's id
 * when the page is full (with `untilEmpty`, whenever it holds records). undefined: there is no
 * next page. null: there is one, but no id to ask by.
 */
function nextCursorOf(body: IDataObject, records: unknown[], pageSize: number, untilEmpty = false): unknown {
	const named = nextCursorIn(body);
	if (named.given) {
		return named.cursor === null || named.cursor === '' || named.cursor === false ? undefined : named.cursor;
	}
	if (records.length < pageSize && !untilEmpty) return undefined;
	const id = readField(records[records.length - 1] as IDataObject, 'id');
	return id === undefined || id === null ? null : id;
}

/** One page of a list endpoint: its records and the cursor of the page after it (see nextCursorOf). */
export interface Page {
	records: IDataObject[];
	next: unknown;
}

/**
 * Reads one page of a list endpoint ("Retrieve all orders", the SKU catalogue) from `cursor`
 * (undefined: the first page), `pageSize` records at most.
 */
export async function readPage(
	api: HelloTechClient,
	query: IDataObject,
	options: Pick<PageOptions, 'path' | 'listKey' | 'itemIndex' | 'untilEmpty'> & { cursor?: unknown; pageSize: number },
): Promise<Page> {
	const { path, listKey, itemIndex, untilEmpty, cursor, pageSize } = options;
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
	const next = records.length === 0 ? undefined : nextCursorOf(body, records, pageSize, untilEmpty);
	return { records: records as IDataObject[], next };
}

/**
 * Pages through a list endpoint ("Retrieve all orders", the SKU catalogue), yielding each page's
 * records as it arrives, so memory holds one page, not the whole result. The next cursor is the
 * one the response names, else the last record's id (keyset paging in the requested sort order).
 * Stops on an empty page, on a short page when the response names no cursor, on a repeated
 * cursor, and as soon as `limit` records are in.
 */
export async function* listPages(
	api: HelloTechClient,
	query: IDataObject,
	options: PageOptions,
): AsyncGenerator<IDataObject[]> {
	const { path, listKey, limit, itemIndex, untilEmpty } = options;
	const seenCursors = new Set<string>();
	let cursor: unknown;
	let received = 0;

	for (;;) {
		const pageSize = limit === undefined ? PAGINATION.pageSize : Math.min(PAGINATION.pageSize, limit - received);
		const { records, next: nextCursor } = await readPage(api, query, { path, listKey, itemIndex, untilEmpty, cursor, pageSize });
		const page = limit === undefined ? records : records.slice(0, limit - received);
		// A next cursor equal to the one just sent means the server ignored it: this page repeats
		// the last one, so it is dropped and paging ends.
		if (cursor !== undefined && nextCursor !== undefined && String(nextCursor) === String(cursor)) return;
		received += page.length;
		if (page.length > 0) yield page;
		if (nextCursor === undefined || (limit !== undefined && received >= limit)) return;
		if (nextCursor === null) {
			throw api.error({ itemIndex }, { message: `HelloTech returned ${listKey} without an id, so the next page cannot be asked for` });
		}
		const key = String(nextCursor);
		if (seenCursors.has(key)) return;
		seenCursors.add(key);
		cursor = nextCursor;
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

/** A Get Many for one item: every record of the list (Return All), or up to Limit. */
export async function readList(
	input: ItemInput,
	api: HelloTechClient,
	query: IDataObject,
	list: Pick<PageOptions, 'path' | 'listKey'>,
): Promise<IDataObject[]> {
	const returnAll = input.param<boolean>('returnAll', false);
	const limit = returnAll ? undefined : input.check('Limit', () => positiveInteger(input.param('limit', 50)));
	const records: IDataObject[] = [];
	for await (const page of listPages(api, query, { ...list, limit, itemIndex: input.itemIndex })) {
		for (const record of page) records.push(record);
	}
	return records;
}
