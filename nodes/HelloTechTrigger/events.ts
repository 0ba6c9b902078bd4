import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { simplifyOrder } from '../HelloTech/helpers/output';
import { orderStatusCode, statusName } from './orders';
import type { StatusChange } from './statusChanges';

/**
 * The items the trigger emits: the order as HelloTech lists it (version 2 with Simplify on: the
 * simplified order, see SIMPLE_ORDER_FIELDS), plus what happened.
 * New Order: `event: "newOrder"`, `status_code`.
 * Order Status Changed: `event: "statusChanged"`, `status_code`, `previous_status` ("Pending")
 * and `previous_status_code` (0), both null when the trigger never saw the order's earlier status.
 */

const asEmitted = (order: IDataObject, simplify: boolean) => (simplify ? simplifyOrder(order) : order);

export function newOrderItem(order: IDataObject, simplify = false): INodeExecutionData {
	return { json: { ...asEmitted(order, simplify), event: 'newOrder', status_code: orderStatusCode(order) ?? null } };
}

export function statusChangedItem({ order, previous }: StatusChange, simplify = false): INodeExecutionData {
	return {
		json: {
			...asEmitted(order, simplify),
			event: 'statusChanged',
			status_code: orderStatusCode(order) ?? null,
			previous_status: statusName(previous),
			previous_status_code: previous ?? null,
		},
	};
}
