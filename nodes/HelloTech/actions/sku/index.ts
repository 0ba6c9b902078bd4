import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../helpers/runner';
import { checkZip } from './checkZip';
import { getMany } from './getMany';

export const skuOperations: Record<string, Operation> = { getAll: getMany, checkZip };

export const skuOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['sku'] } },
	options: [
		{
			name: 'Check ZIP',
			value: 'checkZip',
			description: 'Check whether a SKU is offered at a ZIP code',
			action: 'Check a SKU at a ZIP code',
		},
		{ name: 'Get Many', value: 'getAll', description: 'Get many SKUs (services) from your HelloTech catalogue', action: 'Get many services' },
	],
	default: 'getAll',
};
