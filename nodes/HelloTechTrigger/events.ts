import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { orderStatusCode, statusName } from './orders';
import type { StatusChange } from './statusChanges';

/**
 * The items the trigger emits: the order as HelloTech lists it, plus what happened.
 * New Order: `event: "newOrder"`, `status_code`.
 * Order Status Changed: `event: "statusChanged"`, `status_code`, `previous_status` ("Pending")
 * and `previous_status_code` (0), both null when the trigger never saw the order's earlier status.
 */

export function newOrderItem(order: IDataObject): INodeExecutionData {
	return { json: { ...order, event: 'newOrder', status_code: orderStatusCode(order) ?? null } };
}

export function statusChangedItem({ order, previous }: StatusChange): INodeExecutionData {
	return {
		json: {
			...order,
			event: 'statusChanged',
			status_code: orderStatusCode(order) ?? null,
			previous_status: statusName(previous),
			previous_status_code: previous ?? null,
		},
	};
}
