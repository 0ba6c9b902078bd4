import type { IDataObject } from 'n8n-workflow';

import { PATHS, readField } from '../../api';
import type { OrderDraft } from '../../helpers/bookingChecks';
import { checkAvailability, readChecks, validation } from '../../helpers/bookingChecks';
import { ItemInput } from '../../helpers/input';
import { createdOrderShape } from '../../helpers/output';
import type { Operation } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { isBlank, text } from '../../helpers/values';
import { apiWords } from '../../transport/errors';
import type { HelloTechClient } from '../../transport/request';
import type { RowName } from './booking';
import { knownRun, orderRun, readBookingOptions, rowText } from './booking';
import { createFieldsV1, orderBodyV1 } from './createV1';
import { createFieldsV2, orderDraftV2 } from './createV2';
import { readItem } from './reading';

/**
 * Order → Create. Each version reads its own fields into the Create order body (version 1: a
 * field per order field; version 2: a column mapper); each purchase order is booked once
 * (booking.ts); Options → Check Availability First checks the body first (helpers/bookingChecks.ts);
 * then it is posted. Order → Validate reads the same fields and checks instead of booking.
 */
export const create: Operation = {
	description: [...createFieldsV1, ...createFieldsV2],

	prepare(input, api) {
		const checks = readChecks(input, false);
		if (checks.validate) return validation(input, checks, () => orderDraft(input));
		const run = orderRun(input.fn, api, (itemIndex) => orderRowName(new ItemInput(input.fn, itemIndex)));
		let draft: OrderDraft | undefined;
		let badField: unknown;
		try {
			draft = orderDraft(input);
		} catch (error) {
			badField = error;
		}
		if (draft === undefined) {
			run.rowFailed(input.itemIndex, badField);
			throw badField;
		}
		const post = async (order: OrderDraft) => await postOrder(api, order.body, input.itemIndex, run.options.skip);
		const book = checks.checkAvailability
			? async (order: OrderDraft) => {
					await checkAvailability(api, input, checks, order);
					return await post(order);
				}
			: post;
		return run.prepare(input, draft, book, createdOrderShape(input));
	},

	// Version 2 (or Combine Rows of One Order) reads every row before booking any: a bad row stops
	// the node with nothing booked. With On Error → Continue, rows go out as they are read.
	checkAllFirst(fn) {
		const { combine } = readBookingOptions(fn);
		return combine || (fn.getNode().typeVersion >= 2 && !fn.continueOnFail());
	},

	// As an AI tool, a call is one item: the model knows what it sent.
	rowName(input) {
		return input.version >= 2 && !input.asTool ? rowText(input.itemIndex, orderRowName(input)) : undefined;
	},

	stoppedAfter(fn, done) {
		if (fn.getNode().typeVersion < 2) return undefined;
		const named = done.map(({ itemIndex, json }) => {
			const po = readField(json, 'purchase_order_id');
			const order = `order ${String(readField(json, 'id'))}${isBlank(po) ? '' : ` (purchase order ${String(po)})`}`;
			return `item ${itemIndex}: ${json.alreadyBooked === true ? `${order}, booked before` : order}`;
		});
		const shown = named.slice(0, MAX_LISTED);
		const more = named.length > shown.length ? `, and ${named.length - shown.length} more` : '';
		const again = knownRun(fn)?.options.skip
			? 'Run the sheet again: Skip Orders Already Booked gives these rows their orders and books the rest.'
			: 'Running the sheet again would book them again: take these rows out of it first, or turn on Options → Skip Orders Already Booked.';
		return `Before the node stopped, these rows were done; their items are not in the output: ${shown.join('; ')}${more}. ${again}`;
	},

	finish(fn) {
		const hints = knownRun(fn)?.hints() ?? [];
		if (hints.length) fn.addExecutionHints(...hints);
	},
};

/** Order → Validate: checks each row as a create would, books nothing; each item names its row. */
export const validate: Operation = {
	description: create.description,

	prepare(input) {
		const row = orderRowName(input);
		return validation(input, readChecks(input, true), () => orderDraft(input), {
			item: input.itemIndex,
			purchase_order_id: row.purchaseOrderId ?? null,
			customer: row.customer ?? null,
		});
	},

	rowName(input) {
		return input.asTool ? undefined : rowText(input.itemIndex, orderRowName(input));
	},
};

/** The most rows the error of a stopped run lists by name. */
const MAX_LISTED = 100;

/** The Create order body from one item's parameters, every field checked; nothing is sent. */
export function orderDraft(input: ItemInput): OrderDraft {
	return input.version >= 2 ? orderDraftV2(input) : { body: orderBodyV1(input) };
}

/**
 * What the user knows the item's row by: its purchase order ID and its customer (name, else
 * business, else email, else client ID). Read leniently, for errors and Validate: a value that
 * cannot be read is left out, never an error of its own.
 */
export function orderRowName(input: ItemInput): RowName {
	const { fn, itemIndex } = input;
	const attempt = <T>(get: () => T): T | undefined => {
		try {
			return get();
		} catch {
			return undefined;
		}
	};
	const read = (get: () => unknown): string | undefined => {
		const value = attempt(get);
		return isBlank(value) ? undefined : attempt(() => text(value)) || undefined;
	};
	let field: (v2: string, v1: string) => string | undefined;
	if (input.version < 2) {
		field = (_, name) => read(() => fn.getNodeParameter(name, itemIndex, ''));
	} else if (input.saved('columns.mappingMode') === 'defineBelow') {
		field = (id) => read(() => fn.getNodeParameter(`columns.value.${id}`, itemIndex, '', { skipValidation: true }));
	} else {
		// Columns the mapper refuses (two that disagree) leave the row known by the item number alone.
		const fields = attempt(() => readItem(fn.getInputData()[itemIndex]?.json ?? {}).fields);
		field = (id) => read(() => fields?.get(id)?.value);
	}
	const person = [field('first_name', 'firstName'), field('last_name', 'lastName')].filter(Boolean).join(' ');
	const clientId = field('client_id', 'clientId');
	return {
		purchaseOrderId: field('purchase_order_id', 'purchaseOrderId'),
		customer: person || field('business_name', 'additionalFields.businessName') || field('email', 'email') || (clientId && `client ${clientId}`),
	};
}

/** Creates the order: one POST, never repeated where HelloTech may have acted. */
async function postOrder(api: HelloTechClient, body: IDataObject, itemIndex: number, skip: boolean): Promise<IDataObject> {
	const poId = body.purchase_order_id as string | undefined;
	const ifUnconfirmed = !poId
		? "the order may have been created: check the client's orders in HelloTech before creating it again (a Purchase Order ID makes this check easy)"
		: skip
			? `the order may have been created: run the sheet again, and Skip Orders Already Booked finds purchase order ${poId} if it was created, or books it if it was not`
			: `the order may have been created: look for purchase order ID "${poId}" in HelloTech before creating it again`;
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
