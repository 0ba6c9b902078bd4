import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ORDER_QUERY, orderStatusCode, PATHS, readField } from '../api';
import { statusLabel } from '../helpers/orderFilters';
import { unwrap } from '../helpers/unwrap';
import type { HelloTechClient } from '../transport/request';
import type { ListSearch } from './search';
import { mentions, pickerClient, searchList, searchText } from './search';

function status(order: IDataObject): string | undefined {
	const code = orderStatusCode(order);
	if (code !== undefined) return statusLabel(code);
	const text = readField(order, 'status');
	return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}

function customer(order: IDataObject): string | undefined {
	const name = readField(order, 'client_name') ?? readField(order, 'email');
	return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}

const ORDER_SEARCH: ListSearch = {
	path: PATHS.orders,
	listKey: 'orders',
	// The most recent orders first.
	query: { [ORDER_QUERY.orderBy]: 'created_at', [ORDER_QUERY.sort]: 'DESC' },
	matches: (order, text) =>
		mentions(
			text,
			readField(order, 'id'),
			customer(order),
			readField(order, 'email'),
			readField(order, 'purchase_order_id'),
			status(order),
		),
	toItem(order): INodeListSearchItems | undefined {
		const id = readField(order, 'id');
		if (id === undefined || id === null || id === '') return undefined;
		const item: INodeListSearchItems = {
			name: [String(id), customer(order) ?? 'no customer name', status(order) ?? 'status unknown'].join(' · '),
			value: String(id),
		};
		const url = readField(order, 'order_summary_url');
		if (typeof url === 'string' && /^https?:\/\//.test(url)) item.url = url;
		return item;
	},
};

/** The order with this ID, or undefined when HelloTech has none. */
async function orderById(fn: ILoadOptionsFunctions, api: HelloTechClient, id: number): Promise<IDataObject | undefined> {
	try {
		const order = unwrap(await api.request({ method: 'GET', path: PATHS.order(id), subject: `order ${id}` }), 'order');
		return order && typeof order === 'object' && !Array.isArray(order) ? order : undefined;
	} catch (error) {
		if ((error as { httpCode?: string }).httpCode === '404') return undefined;
		throw new NodeApiError(fn.getNode(), error as JsonObject); // the transport's own NodeApiError, unchanged
	}
}

/**
 * The Order ID picker (From List): the most recent orders, each shown as "ID · customer · status",
 * a page at a time, filtered by ID, customer name, email, purchase order ID or status (see
 * LIST_SEARCH in api.ts). A search for a whole number also looks that order up by ID, so an order
 * older than the pages read is still found.
 */
export async function searchOrders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const api = await pickerClient(this);
	if (!api) return { results: [] };
	const text = searchText(filter);
	const exact = !paginationToken && /^\d{1,15}$/.test(text) && Number(text) > 0 ? await orderById(this, api, Number(text)) : undefined;
	const found = await searchList(api, ORDER_SEARCH, text, paginationToken);
	const first = exact ? ORDER_SEARCH.toItem(exact) : undefined;
	if (first) found.results = [first, ...found.results.filter((item) => item.value !== first.value)];
	return found;
}
