import type { IDataObject } from 'n8n-workflow';

import { ORDER_URL_PATTERN, PATHS } from '../../api';
import { pickedId } from '../../helpers/locator';
import { orderOutputFields, orderShape } from '../../helpers/output';
import type { Operation } from '../../helpers/runner';
import { positiveInteger } from '../../helpers/values';
import { unwrap } from '../../helpers/unwrap';
import { fromV2, onlyV1 } from '../../helpers/versions';

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
			displayOptions: onlyV1,
		},
		{
			displayName: 'Order ID',
			name: 'orderId',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: 'The HelloTech order: pick a recent one, or give its ID (a number such as 432873) or its HelloTech URL',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchOrders', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. 432873',
					validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Not an order ID' } }],
				},
				{
					displayName: 'By URL',
					name: 'url',
					type: 'string',
					placeholder: 'e.g. https://www.hellotech.com/orders/432873',
					validation: [
						{
							type: 'regex',
							properties: { regex: ORDER_URL_PATTERN, errorMessage: 'Not a HelloTech order URL (…/orders/<ID>)' },
						},
					],
				},
			],
			displayOptions: fromV2,
		},
		...orderOutputFields(),
	],

	prepare(input) {
		const orderId =
			input.version < 2
				? input.check('Order ID', () => positiveInteger(input.param('orderId')))
				: pickedId(input, 'orderId', 'Order ID', ORDER_URL_PATTERN);
		const shape = orderShape(input);
		return async (api) => {
			const body = await api.request({ method: 'GET', path: PATHS.order(orderId), subject: `order ${orderId}`, itemIndex: input.itemIndex });
			const [order] = shape([unwrap(body, 'order') as IDataObject]);
			return order;
		};
	},
};
