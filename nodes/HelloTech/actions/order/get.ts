import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { Operation } from '../../helpers/runner';
import { positiveInteger } from '../../helpers/values';
import { unwrap } from '../../helpers/unwrap';

export const get: Operation = {
	description: [
		{
			displayName: 'Order ID',
			name: 'orderId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 432873',
			description: 'The ID of the HelloTech order',
		},
	],

	prepare(input) {
		const orderId = input.check('Order ID', () => positiveInteger(input.param('orderId')));
		return async (api) => {
			const body = await api.request({ method: 'GET', path: PATHS.order(orderId), subject: `order ${orderId}`, itemIndex: input.itemIndex });
			return unwrap(body, 'order') as IDataObject;
		};
	},
};
