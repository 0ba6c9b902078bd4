import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HelloTechClient } from '../transport/request';
import { cleanError, itemSuffix, RunStopped } from '../transport/errors';
import { ItemInput } from './input';

/** One operation of the node: its UI fields and what it does for one input item. */
export interface Operation {
	description: INodeProperties[];
	execute(input: ItemInput, api: HelloTechClient): Promise<IDataObject | IDataObject[]>;
}

type ItemError = NodeApiError | NodeOperationError;

/**
 * Runs `operation` for every input item, up to `concurrency` items at once, and returns the
 * output in input order, each item paired to its source. With Continue On Fail, a failing
 * item becomes an error item paired to its input and the others go on; without it, the first
 * failure halts the client (no new request starts, for any item: see HelloTechClient.halt), the
 * requests already sent finish, and the node fails with that item's error.
 */
export async function runItems(
	fn: IExecuteFunctions,
	operation: Operation,
	api: HelloTechClient,
	concurrency: number,
): Promise<INodeExecutionData[]> {
	const items = fn.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	const errors: ItemError[] = [];
	const continueOnFail = fn.continueOnFail();
	let next = 0;
	// The first failing item stops the run (without Continue On Fail); held in an object so the
	// workers' writes are visible to the type checker after they finish.
	const stop: { failure?: ItemError } = {};

	const worker = async () => {
		while (stop.failure === undefined && next < items.length) {
			const itemIndex = next++;
			try {
				const output = await operation.execute(new ItemInput(fn, itemIndex), api);
				results[itemIndex] = (Array.isArray(output) ? output : [output]).map((json) => ({
					json,
					pairedItem: { item: itemIndex },
				}));
			} catch (thrown) {
				if (thrown instanceof RunStopped) continue; // halted before it could send: it did not run
				const error = asItemError(fn, thrown, itemIndex);
				if (continueOnFail) {
					errors[itemIndex] = error;
				} else {
					api.halt();
					// Several items may fail while in flight together: report the earliest.
					const earlier = stop.failure as ItemError | undefined;
					if (!earlier || itemIndex < (earlier.context.itemIndex as number)) stop.failure = error;
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

	// Secrets are cleaned from errors only now: an item may fail with a secret in its error before
	// another item's answer has taught the redactor that secret.
	const { failure } = stop;
	if (failure !== undefined) {
		const done = results.map((result, index) => (result ? index : -1)).filter((index) => index >= 0);
		if (done.length > 0) {
			const note = `Items ${done.join(', ')} had already completed before the node stopped; their results are not in the output. Turn on Settings → On Error → Continue to keep every item's result.`;
			failure.description = failure.description ? `${failure.description} ${note}` : note;
		}
		throw clean(failure, api);
	}
	errors.forEach((error, itemIndex) => {
		results[itemIndex] = [{ json: errorJson(clean(error, api)), pairedItem: { item: itemIndex } }];
	});
	return results.flat();
}

/** Every property of the error (message, description, errorResponse, messages, cause...), redacted. */
function clean(error: ItemError, api: HelloTechClient): ItemError {
	return cleanError(error, api.redactor);
}

function asItemError(fn: IExecuteFunctions, thrown: unknown, itemIndex: number): ItemError {
	let error: ItemError;
	if (thrown instanceof NodeApiError || thrown instanceof NodeOperationError) {
		error = thrown;
	} else {
		const message = thrown instanceof Error ? thrown.message : String(thrown);
		error = new NodeOperationError(fn.getNode(), message, { itemIndex });
	}
	error.context.itemIndex ??= itemIndex;
	const suffix = itemSuffix(itemIndex);
	if (!error.message.endsWith(suffix)) error.message = `${error.message}${suffix}`;
	return error;
}

function errorJson(error: ItemError): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	if (error.context.outcomeUnknown) json.outcomeUnknown = true;
	return json;
}
