import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import { orderFilterFields, orderFilterQuery } from '../../helpers/orderFilters';
import { listPages } from '../../helpers/paging';
import type { Operation } from '../../helpers/runner';
import { positiveInteger } from '../../helpers/values';

export const getMany: Operation = {
	description: [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
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
		const returnAll = input.param<boolean>('returnAll', false);
		const limit = returnAll ? undefined : input.check('Limit', () => positiveInteger(input.param('limit', 50)));
		const query = orderFilterQuery(input.collection('filters'), input);
		const orders: IDataObject[] = [];
		for await (const page of listPages(api, query, {
			path: PATHS.orders,
			listKey: 'orders',
			limit,
			itemIndex: input.itemIndex,
		})) {
			for (const order of page) orders.push(order);
		}
		return orders;
	},
};
