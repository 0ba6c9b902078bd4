import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { ItemInput } from '../../helpers/input';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import type { HelloTechClient } from '../../transport/request';
import { createFieldsV1, orderBodyV1 } from './createV1';
import { createFieldsV2, orderBodyV2 } from './createV2';

/**
 * Order → Create. Each version reads its own fields into the Create order body (version 1: a
 * field per order field; version 2: a column mapper); the body is then posted the same way.
 */
export const create: Operation = {
	description: [...createFieldsV1, ...createFieldsV2],

	prepare(input) {
		const body = orderBody(input);
		return async (api) => await postOrder(api, body, input.itemIndex);
	},
};

/** The Create order body from one item's parameters, every field checked; nothing is sent. */
export function orderBody(input: ItemInput): IDataObject {
	return input.version >= 2 ? orderBodyV2(input) : orderBodyV1(input);
}

async function postOrder(api: HelloTechClient, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const poId = body.purchase_order_id as string | undefined;
	const ifUnconfirmed = poId
		? `the order may have been created: look for purchase order ID "${poId}" in HelloTech before creating it again`
		: "the order may have been created: check the client's orders in HelloTech before creating it again (a Purchase Order ID makes this check easy)";
	const answer = await api.request({ method: 'POST', path: PATHS.orders, body, itemIndex, ifUnconfirmed });
	return unwrap(answer, 'order') as IDataObject;
}
