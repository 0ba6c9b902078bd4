import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { LIST_SEARCH, PAGINATION } from '../api';
import { readPage } from '../helpers/paging';
import { CREDENTIAL_TYPE, HelloTechClient } from '../transport/request';

/**
 * The client a picker reads HelloTech with, or undefined while the node has no HelloTech
 * credential. n8n asks for a field's options as soon as a node is added, before it attaches the
 * default credential; without one the pickers answer an empty list instead of an error, and n8n
 * asks again once the credential is there.
 */
export async function pickerClient(fn: ILoadOptionsFunctions): Promise<HelloTechClient | undefined> {
	if (!fn.getNode().credentials?.[CREDENTIAL_TYPE]) return undefined;
	return await HelloTechClient.connect(fn, { maxConcurrent: 1 });
}

/** The search text as the pickers compare it: trimmed, lower case; '' for none. */
export const searchText = (filter?: string) => (filter ?? '').trim().toLowerCase();

/** Whether any of `values` contains `text` (case-insensitive). */
export function mentions(text: string, ...values: unknown[]): boolean {
	return values.some((value) => value !== undefined && value !== null && String(value).toLowerCase().includes(text));
}

export interface ListSearch {
	/** The list endpoint, the key its answer holds the records under, and the query it needs. */
	path: string;
	listKey: string;
	query: IDataObject;
	/** Whether a record matches the search text (see searchText; never empty here). */
	matches(record: IDataObject, text: string): boolean;
	/** The picker's entry for a record; undefined to leave it out (no ID). */
	toItem(record: IDataObject): INodeListSearchItems | undefined;
}

/**
 * One load of a picker's list (see LIST_SEARCH in api.ts). Starts at the cursor n8n hands back
 * (`paginationToken`: where the previous load stopped), reads a page; with a search text it reads
 * on until it has enough matches or has read LIST_SEARCH.maxPages pages. Returns the matches and,
 * when the list goes on, the cursor to continue from: n8n asks for it when the user scrolls down.
 */
export async function searchList(
	api: HelloTechClient,
	search: ListSearch,
	text: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	let cursor: unknown = paginationToken === undefined || paginationToken === '' ? undefined : paginationToken;
	for (let pages = 1; ; pages++) {
		const { records, next } = await readPage(api, search.query, {
			path: search.path,
			listKey: search.listKey,
			cursor,
			pageSize: PAGINATION.pageSize,
		});
		for (const record of records) {
			if (text !== '' && !search.matches(record, text)) continue;
			const item = search.toItem(record);
			if (item) results.push(item);
		}
		// The end of the list, a record without an ID to go on from, or a server that ignored the cursor.
		if (next === undefined || next === null || String(next) === String(cursor)) return { results };
		cursor = next;
		if (text === '' || results.length >= LIST_SEARCH.enoughResults || pages >= LIST_SEARCH.maxPages) {
			return { results, paginationToken: String(cursor) };
		}
	}
}
