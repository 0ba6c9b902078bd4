import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { PATHS } from '../api';
import { listPages } from '../helpers/paging';
import { HelloTechClient } from '../transport/request';

/** Enough of the catalogue for a picker; nobody scrolls past a thousand services. */
const PICKER_LIMIT = 1000;

async function catalogue(fn: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await HelloTechClient.connect(fn, { maxConcurrent: 1 });
	const options: INodePropertyOptions[] = [];
	for await (const page of listPages(api, {}, { path: PATHS.skus, listKey: 'skus', limit: PICKER_LIMIT })) {
		for (const sku of page as IDataObject[]) {
			const id = sku.id ?? sku.sku_id;
			if (id === undefined || id === null) continue;
			const name = String(sku.name ?? sku.title ?? sku.description ?? `SKU ${String(id)}`);
			options.push({ name: `${name} (${String(id)})`, value: Number(id) || String(id) });
		}
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getSkus(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await catalogue(this);
}

export async function searchSkus(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = (await catalogue(this))
		.filter((option) => !wanted || option.name.toLowerCase().includes(wanted))
		.map((option) => ({ name: option.name, value: String(option.value) }));
	return { results };
}
