import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../helpers/runner';
import { countByTag } from './countByTag';
import { create, validate } from './create';
import { get } from './get';
import { getMany } from './getMany';

export const orderOperations: Record<string, Operation> = { create, get, getAll: getMany, countByTag, validate };

export const orderOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['order'] } },
	options: [
		{
			name: 'Count by Tag',
			value: 'countByTag',
			description: 'Count orders with given tags',
			action: 'Count orders by tag',
		},
		{ name: 'Create', value: 'create', description: 'Create an order', action: 'Create an order' },
		{ name: 'Get', value: 'get', description: 'Get an order', action: 'Get an order' },
		{ name: 'Get Many', value: 'getAll', description: 'Get many orders', action: 'Get many orders' },
		{
			name: 'Validate',
			value: 'validate',
			description: 'Check orders as a create would, without creating them',
			action: 'Validate an order',
		},
	],
	default: 'create',
};
