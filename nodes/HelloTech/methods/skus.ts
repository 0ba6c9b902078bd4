import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { PATHS } from '../api';
import { listPages } from '../helpers/paging';
import type { ListSearch } from './search';
import { mentions, pickerClient, searchList, searchText } from './search';

/** Enough of the catalogue for version 1's SKU list; nobody scrolls past a thousand services. */
const PICKER_LIMIT = 1000;

const skuId = (sku: IDataObject) => sku.id ?? sku.sku_id;
const skuName = (sku: IDataObject) => String(sku.name ?? sku.title ?? sku.description ?? `SKU ${String(skuId(sku))}`);

/**
 * Version 1's SKU list (Order → Create's "SKU Names or IDs"): the catalogue, up to PICKER_LIMIT
 * SKUs, sorted by name. Empty until the node has a credential.
 */
export async function getSkus(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await pickerClient(this);
	if (!api) return [];
	const options = new Map<string, INodePropertyOptions>();
	for await (const page of listPages(api, {}, { path: PATHS.skus, listKey: 'skus', limit: PICKER_LIMIT })) {
		for (const sku of page) {
			const id = skuId(sku);
			if (id === undefined || id === null || options.has(String(id))) continue;
			options.set(String(id), { name: `${skuName(sku)} (${String(id)})`, value: Number(id) || String(id) });
		}
	}
	return [...options.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const SKU_SEARCH: ListSearch = {
	path: PATHS.skus,
	listKey: 'skus',
	query: {},
	matches: (sku, text) => mentions(text, skuName(sku), skuId(sku), sku.category),
	toItem(sku): INodeListSearchItems | undefined {
		const id = skuId(sku);
		if (id === undefined || id === null) return undefined;
		return { name: `${skuName(sku)} (${String(id)})`, value: String(id) };
	},
};

/**
 * The SKU pickers (From List): the catalogue in HelloTech's order, a page at a time, filtered by
 * name, ID or category (see LIST_SEARCH in api.ts).
 */
export async function searchSkus(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const api = await pickerClient(this);
	return api ? await searchList(api, SKU_SEARCH, searchText(filter), paginationToken) : { results: [] };
}
