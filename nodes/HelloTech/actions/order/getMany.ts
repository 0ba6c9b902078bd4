import { PATHS } from '../../api';
import { orderFilterFields, orderFilterQuery } from '../../helpers/orderFilters';
import { orderOutputFields, orderShape } from '../../helpers/output';
import { readList, returnAllFields } from '../../helpers/paging';
import type { Operation } from '../../helpers/runner';

export const getMany: Operation = {
	description: [
		...returnAllFields,
		...orderOutputFields(),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: orderFilterFields(['clientId', 'from', 'orderBy', 'sort', 'statuses', 'tags', 'to']),
		},
	],

	prepare(input) {
		const query = orderFilterQuery(input.collection('filters'), input);
		const shape = orderShape(input);
		const read = readList(input, query, { path: PATHS.orders, listKey: 'orders' });
		return async (api) => shape(await read(api));
	},
};
