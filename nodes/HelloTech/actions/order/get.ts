import type { IDataObject } from 'n8n-workflow';

import { ORDER_URL_PATTERN, PATHS } from '../../api';
import { PurchaseOrderScan, SCAN_DAYS } from '../../helpers/booked';
import { forItem, perRun } from '../../helpers/bookingChecks';
import { picked } from '../../helpers/locator';
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
			description:
				'The HelloTech order: pick a recent one, or give its ID (a number such as 432873), its HelloTech URL, or the purchase order ID it was booked with',
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
					extractValue: { type: 'regex', regex: ORDER_URL_PATTERN },
				},
				{
					displayName: 'By Purchase Order ID',
					name: 'purchaseOrderId',
					type: 'string',
					placeholder: 'e.g. PO-1234',
					hint: `The most recent order booked with this purchase order ID, among the orders of the last ${SCAN_DAYS} days`,
				},
			],
			displayOptions: fromV2,
		},
		...orderOutputFields(),
	],

	prepare(input) {
		const order =
			input.version < 2 ? { id: input.check('Order ID', () => positiveInteger(input.param('orderId'))) } : picked(input, 'orderId', 'Order ID');
		const shape = orderShape(input);
		const { itemIndex } = input;
		if ('purchaseOrderId' in order) {
			const { purchaseOrderId } = order;
			return async (api) => {
				// The items of a run share one read of the newest orders (helpers/booked.ts).
				const scan = perRun(api, 'purchaseOrderScan', () => new PurchaseOrderScan(api));
				const found = await forItem(api, itemIndex, scan.find(purchaseOrderId, itemIndex));
				if (!found) {
					throw api.error(
						{ itemIndex },
						{
							httpCode: 404,
							message: `No order with purchase order ID "${purchaseOrderId}" among the orders of the last ${SCAN_DAYS} days`,
							description: 'HelloTech has no filter by purchase order ID: the node read the orders list, newest first, back that far.',
						},
					);
				}
				return shape([found])[0];
			};
		}
		return async (api) => {
			const body = await api.request({ method: 'GET', path: PATHS.order(order.id), subject: `order ${order.id}`, itemIndex });
			return shape([unwrap(body, 'order') as IDataObject])[0];
		};
	},
};
