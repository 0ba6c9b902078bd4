import type { IDataObject } from 'n8n-workflow';

import { PATHS, readField } from '../../api';
import type { OrderDraft } from '../../helpers/bookingChecks';
import { createWithChecks } from '../../helpers/bookingChecks';
import type { ItemInput } from '../../helpers/input';
import { createdOrderShape } from '../../helpers/output';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { apiWords } from '../../transport/errors';
import type { HelloTechClient } from '../../transport/request';
import { createFieldsV1, orderBodyV1 } from './createV1';
import { createFieldsV2, orderDraftV2 } from './createV2';

/**
 * Order → Create. Each version reads its own fields into the Create order body (version 1: a
 * field per order field; version 2: a column mapper); Options → Validate Only / Check Availability
 * First check that body (helpers/bookingChecks.ts); then it is posted the same way.
 */
export const create: Operation = {
	description: [...createFieldsV1, ...createFieldsV2],

	prepare(input) {
		const shape = createdOrderShape(input);
		return createWithChecks(input, () => orderDraft(input), async (api, body) => shape(await postOrder(api, body, input.itemIndex)));
	},
};

/** The Create order body from one item's parameters, every field checked; nothing is sent. */
export function orderDraft(input: ItemInput): OrderDraft {
	return input.version >= 2 ? orderDraftV2(input) : { body: orderBodyV1(input) };
}

/** Creates the order: one POST, never repeated where HelloTech may have acted. */
async function postOrder(api: HelloTechClient, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const poId = body.purchase_order_id as string | undefined;
	const ifUnconfirmed = poId
		? `the order may have been created: look for purchase order ID "${poId}" in HelloTech before creating it again`
		: "the order may have been created: check the client's orders in HelloTech before creating it again (a Purchase Order ID makes this check easy)";
	const answer = await api.request({ method: 'POST', path: PATHS.orders, body, itemIndex, ifUnconfirmed });
	const order = unwrap(answer, 'order');
	if (order && typeof order === 'object' && !Array.isArray(order) && readField(order, 'id') !== undefined) return order;
	// A success status without an order (`{ "status": "error", ... }`, an empty body): the item must
	// not pass for a booking, nor be sent again blindly.
	const words = apiWords(answer);
	const error = api.error(
		{ itemIndex },
		{
			message: `HelloTech answered the create without the order${words ? ` (${words})` : ''}; ${ifUnconfirmed}`,
			description: `The answer held ${answerKeys(answer)}, and no order with an id.`,
		},
	);
	error.context.outcomeUnknown = true;
	throw error;
}

function answerKeys(answer: unknown): string {
	if (!answer || typeof answer !== 'object') return 'no JSON object';
	const keys = Object.keys(answer);
	return keys.length ? `the keys ${keys.join(', ')}` : 'nothing';
}
