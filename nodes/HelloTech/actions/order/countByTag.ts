import type { IDataObject } from 'n8n-workflow';

import { ORDER_QUERY, PATHS } from '../../api';
import { orderFilterFields, orderFilterQuery } from '../../helpers/orderFilters';
import type { Operation } from '../../helpers/runner';
import { stringList } from '../../helpers/values';
import type { HelloTechClient } from '../../transport/request';

/**
 * Order count by tag. The path and the answer are unpublished (see api.ts): the answer is read as
 * `{ count }` or as a map `{ counts: { tag: n } }`. When it gives only a total for several tags,
 * each tag is counted on its own as well, so the output always has a count per tag.
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
		(await api.request({
			method: 'GET',
			path: PATHS.orderCountByTag,
			qs: { ...query, [ORDER_QUERY.tags]: forTags },
			itemIndex,
		})) as IDataObject;

	const body = await count(tags);
	const result: IDataObject = { tags };
	if (typeof body.count === 'number') result.count = body.count;
	if (body.counts && typeof body.counts === 'object' && !Array.isArray(body.counts)) {
		result.counts = body.counts;
	} else if (typeof body.count === 'number' && tags.length === 1) {
		result.counts = { [tags[0]]: body.count };
	} else if (typeof body.count === 'number') {
		const counts: IDataObject = {};
		for (const tag of tags) counts[tag] = (await count([tag])).count;
		result.counts = counts;
	} else {
		throw api.error(
			{ itemIndex },
			{
				message: 'HelloTech answered the order count without a "count" or "counts"',
				description: `Keys in the answer: ${Object.keys(body ?? {}).join(', ') || 'none'}`,
			},
		);
	}
	return result;
}
