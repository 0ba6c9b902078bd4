import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { clientId, clientIdField } from './fields';

export const get: Operation = {
	description: [clientIdField],

	prepare(input) {
		const id = clientId(input);
		return async (api) => {
			const answer = await api.request({
				method: 'GET',
				path: PATHS.client(id),
				subject: `client ${id}`,
				itemIndex: input.itemIndex,
			});
			return unwrap(answer, 'client') as IDataObject;
		};
	},
};
