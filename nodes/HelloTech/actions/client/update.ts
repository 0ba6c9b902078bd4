import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { clientBody, clientId, clientIdField, clientOptionalFields, emailField } from './fields';

export const update: Operation = {
	description: [
		clientIdField,
		{ ...emailField, description: "The client's email address. HelloTech requires it on every update." },
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'Only the fields filled in here are sent; the others stay as they are',
			options: clientOptionalFields,
		},
	],

	prepare(input) {
		const id = clientId(input);
		const body = clientBody(input, 'updateFields');
		return async (api) => {
			const answer = await api.request({
				method: 'PUT',
				path: PATHS.client(id),
				body,
				subject: `client ${id}`,
				itemIndex: input.itemIndex,
				ifUnconfirmed: `client ${id} may have been updated: get it to check before updating it again`,
			});
			return unwrap(answer, 'client') as IDataObject;
		};
	},
};
