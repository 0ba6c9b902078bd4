import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	FINAL_STATUS_CODES,
	ORDER_QUERY,
	ORDER_STATUSES,
	orderStatusCode,
	PATHS,
	readField,
	timestampSeconds,
} from '../HelloTech/api';
import type { ListPosition } from '../HelloTech/helpers/paging';
import { listPages, readPages } from '../HelloTech/helpers/paging';
import { statusLabel } from '../HelloTech/helpers/orderFilters';
import { unwrap } from '../HelloTech/helpers/unwrap';
import type { HelloTechClient } from '../HelloTech/transport/request';

/** What the trigger needs to know of an order to place it in the list's created_at order. */
export interface Position {
	id: number;
	/** created_at in whole seconds; 0 when the order carries none that can be read. */
	createdAt: number;
}

export const FINAL = new Set(FINAL_STATUS_CODES);

/** Every status code in the docs' table that is not final: what the status watcher lists. */
export const OPEN_STATUS_CODES = ORDER_STATUSES.map((status) => status.code).filter((code) => !FINAL.has(code));

/** The order's id as a number, or undefined when it has none. */
export function orderId(order: IDataObject): number | undefined {
	const value = readField(order, 'id');
	const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** created_at / updated_at in whole seconds, read as api.ts reads HelloTech's timestamps. */
export const createdAt = (order: IDataObject) => timestampSeconds(readField(order, 'created_at'));
export const updatedAt = (order: IDataObject) => timestampSeconds(readField(order, 'updated_at'));

/** A status code as the API labels it: 2 → "Assigned", 7 → "Cancelled By Geek". */
export function statusName(code: number | undefined): string | null {
	return code === undefined ? null : statusLabel(code);
}

/** True when `a` comes before `b` in the list's created_at order (ties broken by id). */
export const before = (a: Position, b: Position) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

/** Whether the order has one of `tags` (always, when no tags are asked for or the order shows none). */
export function hasOneOf(order: IDataObject, tags: string[]): boolean {
	if (tags.length === 0) return true;
	const own = readField(order, 'tags');
	if (!Array.isArray(own)) return true;
	return own.some((tag) => tags.includes(String(tag)));
}

/**
 * Reads the orders list with `query`, page by page (100 per request), up to `limit` orders. Like
 * every list read, it ends only where the answer proves the end (see listPages): a short page
 * cannot make the trigger stop early.
 */
export function orderPages(api: HelloTechClient, query: IDataObject, limit?: number) {
	return listPages(api, query, { path: PATHS.orders, listKey: 'orders', limit });
}

/** The orders list with `query`, page by page, each with where the list goes on after it; from `from` (undefined: the start). */
export function readOrderPages(api: HelloTechClient, query: IDataObject, from?: ListPosition) {
	return readPages(api, query, { path: PATHS.orders, listKey: 'orders', from });
}

/** The list endpoint's query for orders sorted by creation. */
export const byCreation = (filters: IDataObject, sort: 'ASC' | 'DESC'): IDataObject => ({
	...filters,
	[ORDER_QUERY.orderBy]: 'created_at',
	[ORDER_QUERY.sort]: sort,
});

/** GET one order; undefined when HelloTech no longer knows it (404). */
export async function fetchOrder(api: HelloTechClient, node: INode, id: number): Promise<IDataObject | undefined> {
	try {
		const order = unwrap(await api.request({ method: 'GET', path: PATHS.order(id), subject: `order ${id}` }), 'order');
		return order && typeof order === 'object' && !Array.isArray(order) ? order : undefined;
	} catch (error) {
		if ((error as { httpCode?: string }).httpCode === '404') return undefined;
		throw new NodeApiError(node, error as JsonObject); // the transport's own NodeApiError, unchanged
	}
}

export { orderStatusCode };
