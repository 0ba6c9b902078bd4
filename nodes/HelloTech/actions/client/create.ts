import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { clientBody, clientOptionalFields, emailField } from './fields';

export const create: Operation = {
	description: [
		{
			...emailField,
			hint: 'With an External ID that HelloTech already knows, the existing client is updated instead of a new one created',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: clientOptionalFields,
		},
	],

	prepare(input) {
		const body = clientBody(input, 'additionalFields');
		const ifUnconfirmed = body.external_id
			? `the client may have been created: look for external ID "${body.external_id as string}" in HelloTech (sending it again updates that same client)`
			: `the client may have been created: look for ${body.email as string} in HelloTech before creating it again`;
		return async (api) => {
			const answer = await api.request({
				method: 'POST',
				path: PATHS.clients,
				body,
				itemIndex: input.itemIndex,
				ifUnconfirmed,
			});
			return unwrap(answer, 'client') as IDataObject;
		};
	},
};
