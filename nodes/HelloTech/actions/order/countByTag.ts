import type { IDataObject } from 'n8n-workflow';

import { ORDER_QUERY, PATHS, readField, readOrderCount } from '../../api';
import { orderFilterFields, orderFilterQuery } from '../../helpers/orderFilters';
import { listPages } from '../../helpers/paging';
import type { Operation } from '../../helpers/runner';
import { stringList } from '../../helpers/values';
import type { HelloTechClient } from '../../transport/request';

/**
 * Order count by tag. The path and the answer are unpublished (see readOrderCount in api.ts): the
 * answer is read as a total and/or counts per tag. When it gives only a total for several tags,
 * each tag is counted on its own as well, so the output always has a count per tag. Without a
 * count endpoint (404), the orders list is counted instead.
 */
export const countByTag: Operation = {
	description: [
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. spring-promo, store-42',
			description: 'The tags to count orders for. Comma-separated, or an expression giving a list.',
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: orderFilterFields(['clientId', 'from', 'statuses', 'to']),
		},
	],

	prepare(input) {
		const tags = input.check('Tags', () => stringList(input.param('tags')));
		if (tags.length === 0) input.fail('Tags', 'at least one tag is required');
		const query = orderFilterQuery(input.collection('filters'), input);
		return async (api) => await countTags(api, tags, query, input.itemIndex);
	},
};

/** The count for `tags`: one request, or one more per tag when HelloTech answers only a total. */
async function countTags(api: HelloTechClient, tags: string[], query: IDataObject, itemIndex: number): Promise<IDataObject> {
	const count = async (forTags: string[]) =>
		readOrderCount(
			await api.request({ method: 'GET', path: PATHS.orderCountByTag, qs: { ...query, [ORDER_QUERY.tags]: forTags }, itemIndex }),
			forTags,
		);

	const asked = await count(tags).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('error' in asked) {
		if ((asked.error as { httpCode?: string }).httpCode === '404') return await countByListing(api, tags, query, itemIndex);
		throw asked.error; // the transport's own NodeApiError
	}
	const { answer } = asked;
	const result: IDataObject = { tags };
	if (answer.total !== undefined) result.count = answer.total;
	if (answer.perTag) {
		result.counts = answer.perTag;
	} else if (answer.total !== undefined && tags.length === 1) {
		result.counts = { [tags[0]]: answer.total };
	} else if (answer.total !== undefined) {
		const counts: IDataObject = {};
		for (const tag of tags) {
			const own = (await count([tag])).total;
			if (own === undefined) throw noCount(api, itemIndex);
			counts[tag] = own;
		}
		result.counts = counts;
	} else {
		throw noCount(api, itemIndex);
	}
	return result;
}

function noCount(api: HelloTechClient, itemIndex: number) {
	return api.error(
		{ itemIndex },
		{
			message: 'HelloTech answered the order count without a count',
			description: 'The answer held neither "count" (a whole number) nor "counts" (per tag).',
		},
	);
}

/**
 * The count from the orders list, for a HelloTech without the count endpoint: the orders with any
 * of `tags` (and the filters), and per tag those listing it in their `tags` (or, when orders do not
 * show their tags, a list read per tag).
 */
async function countByListing(api: HelloTechClient, tags: string[], query: IDataObject, itemIndex: number): Promise<IDataObject> {
	const list = async (forTags: string[], perOrder?: (order: IDataObject) => void) => {
		let total = 0;
		for await (const page of listPages(api, { ...query, [ORDER_QUERY.tags]: forTags }, { path: PATHS.orders, listKey: 'orders', itemIndex })) {
			total += page.length;
			if (perOrder) for (const order of page) perOrder(order);
		}
		return total;
	};
	const counts: Record<string, number> = Object.fromEntries(tags.map((tag) => [tag, 0]));
	let tagsShown = true;
	const total = await list(tags, (order) => {
		const own = readField(order, 'tags');
		if (!Array.isArray(own)) tagsShown = false;
		else for (const tag of tags) if (own.map(String).includes(tag)) counts[tag]++;
	});
	if (!tagsShown && tags.length > 1) for (const tag of tags) counts[tag] = await list([tag]);
	if (tags.length === 1) counts[tags[0]] = total;
	return { tags, count: total, counts };
}
