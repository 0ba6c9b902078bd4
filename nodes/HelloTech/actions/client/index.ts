import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../helpers/runner';
import { create } from './create';
import { get } from './get';
import { createEphemeralKey, createSetupIntent } from './stripe';
import { update } from './update';

export const clientOperations: Record<string, Operation> = {
	create,
	get,
	update,
	createSetupIntent,
	createEphemeralKey,
};

export const clientOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['client'] } },
	options: [
		{
			name: 'Create Ephemeral Key',
			value: 'createEphemeralKey',
			description: "Create a Stripe ephemeral key for the client's payment sheet",
			action: 'Create an ephemeral key for a client',
		},
		{
			// The value stays "create": workflows saved before the rename keep working.
			name: 'Create or Update',
			value: 'create',
			description: 'Create a new client, or update the one with the same External ID',
			action: 'Create or update a client',
		},
		{
			name: 'Create Setup Intent',
			value: 'createSetupIntent',
			description: 'Create a Stripe setup intent to save a card for the client',
			action: 'Create a setup intent for a client',
		},
		{ name: 'Get', value: 'get', description: 'Get a client', action: 'Get a client' },
		{ name: 'Update', value: 'update', description: 'Update a client', action: 'Update a client' },
	],
	default: 'create',
};
