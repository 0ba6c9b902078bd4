import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
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
	],

	async execute(input, api) {
		const returnAll = input.param<boolean>('returnAll', false);
		const limit = returnAll ? undefined : input.check('Limit', () => positiveInteger(input.param('limit', 50)));
		const skus: IDataObject[] = [];
		for await (const page of listPages(api, {}, { path: PATHS.skus, listKey: 'skus', limit, itemIndex: input.itemIndex })) {
			for (const sku of page) skus.push(sku);
		}
		return skus;
	},
};
