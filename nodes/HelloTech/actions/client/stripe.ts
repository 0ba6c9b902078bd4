import type { IDataObject } from 'n8n-workflow';

import type { Operation } from '../../helpers/runner';
import type { HelloTechClient } from '../../transport/request';
import type { ItemInput } from '../../helpers/input';
import { PATHS } from '../../api';
import { clientId, clientIdField } from './fields';

/**
 * Setup intent and ephemeral key: Stripe secrets for a payment sheet. They are in the output
 * item, where the user needs them, and the redactor learns them so that no later error or log
 * line of this run can carry them.
 */
function stripeOperation(path: (id: number) => string, secretKey: string, what: string): Operation {
	return {
		description: [clientIdField],
		prepare(input: ItemInput) {
			const id = clientId(input);
			return async (api: HelloTechClient) => {
				const answer = (await api.request({
					method: 'POST',
					path: path(id),
					subject: `client ${id}`,
					itemIndex: input.itemIndex,
					ifUnconfirmed: `a ${what} may have been created for client ${id}; creating another one is harmless`,
				})) as IDataObject;
				api.redactor.add(answer?.[secretKey]);
				return answer;
			};
		},
	};
}

export const createSetupIntent = stripeOperation(PATHS.clientSetupIntent, 'client_secret', 'setup intent');

export const createEphemeralKey = stripeOperation(PATHS.clientEphemeralKey, 'ephemeral_key', 'ephemeral key');
