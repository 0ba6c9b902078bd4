import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { fromV2, onlyV1 } from '../../helpers/versions';
import { clientBody, clientOptionalFields, emailField, externalIdField } from './fields';

/**
 * Client → Create or Update (value `create`): HelloTech's Create client is an upsert, an External
 * ID it already knows updates that client. Version 2 shows External ID beside Email, where the
 * upsert is explained; version 1 keeps it in Additional Fields, as workflows saved with it have it.
 */
export const create: Operation = {
	description: [
		{
			...emailField,
			hint: 'With an External ID that HelloTech already knows, the existing client is updated instead of a new one created',
			displayOptions: onlyV1,
		},
		{ ...emailField, displayOptions: fromV2 },
		{
			...externalIdField,
			hint: 'If HelloTech already has a client with this External ID, that client is updated instead of a new one created',
			displayOptions: fromV2,
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: clientOptionalFields,
			displayOptions: onlyV1,
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: clientOptionalFields.filter((field) => field.name !== externalIdField.name),
			displayOptions: fromV2,
		},
	],

	prepare(input) {
		const body = clientBody(input, 'additionalFields');
		if (input.version >= 2) {
			const externalId = input.optionalText('External ID', input.param('externalId', ''));
			if (externalId) body.external_id = externalId;
		}
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
