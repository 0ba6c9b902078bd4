import { PATHS } from '../../api';
import { orderFilterFields, orderFilterQuery } from '../../helpers/orderFilters';
import { orderOutputFields, shapeOrders } from '../../helpers/output';
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

	async execute(input, api) {
		const query = orderFilterQuery(input.collection('filters'), input);
		return shapeOrders(input, await readList(input, api, query, { path: PATHS.orders, listKey: 'orders' }));
	},
};
