import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { LIST_SEARCH } from '../api';
import type { ListPosition } from '../helpers/paging';
import { readPages } from '../helpers/paging';
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
 * n8n's pagination token for where a picker's list goes on (n8n hands it back for the next load):
 * the cursor as it is, or `{"page":3}` for a server that pages by number.
 */
const tokenOf = (position: ListPosition) => ('cursor' in position ? String(position.cursor) : JSON.stringify(position));

/** The position a token names; undefined (the start) for none. */
function positionOf(token?: string): ListPosition | undefined {
	if (token === undefined || token === '') return undefined;
	const page = /^\{"page":(\d+)\}$/.exec(token);
	return page ? { page: Number(page[1]) } : { cursor: token };
}

/**
 * One load of a picker's list (see LIST_SEARCH in api.ts). Starts where the previous load stopped
 * (`paginationToken`, which n8n hands back), reads a page; with a search text it reads on until it
 * has enough matches or has read LIST_SEARCH.maxPages pages. Returns the matches, each once, and,
 * when the list goes on, the token to continue from: n8n asks for it when the user scrolls down.
 * The list is read by the one rule of helpers/paging.ts, so a server that ignores the cursor
 * (sending its whole list, or paging by number) shows no record twice across loads either.
 */
export async function searchList(
	api: HelloTechClient,
	search: ListSearch,
	text: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	const listed = new Set<string>();
	const from = positionOf(paginationToken);
	let pages = 0;
	for await (const { records, next } of readPages(api, search.query, { path: search.path, listKey: search.listKey, from })) {
		pages++;
		for (const record of records) {
			if (text !== '' && !search.matches(record, text)) continue;
			const item = search.toItem(record);
			if (item && !listed.has(String(item.value))) {
				listed.add(String(item.value));
				results.push(item);
			}
		}
		if (next === undefined) break;
		if (text === '' || results.length >= LIST_SEARCH.enoughResults || pages >= LIST_SEARCH.maxPages) {
			return { results, paginationToken: tokenOf(next) };
		}
	}
	return { results };
}
