import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { HelloTechClient } from '../transport/request';
import { cleanError, itemSuffix, RunStopped } from '../transport/errors';
import { ItemInput } from './input';

/**
 * One operation of the node: its UI fields, and what it does for one input item, in two steps.
 * `prepare` reads and checks the item's parameters (nothing is sent yet; bad input throws an
 * error naming the field) and returns the request ready to send. The runner sends it when a
 * request slot is free. `prepare` gets the run's client for what the items share (a read it may
 * start early); it must not send the item's own request.
 */
export interface Operation {
	description: INodeProperties[];
	prepare(input: ItemInput, api: HelloTechClient): Send;
	/** Whether every item is prepared (its fields checked) before the first request goes out. */
	checkAllFirst?(fn: IExecuteFunctions): boolean;
	/** What the user knows the item by, for its errors: "item 3: purchase order PO-1004, Maria Lopez". */
	rowName?(input: ItemInput): string | undefined;
	/** What the error of a run that stopped says of the items done before it stopped. */
	stoppedAfter?(fn: IExecuteFunctions, done: Array<{ itemIndex: number; json: IDataObject }>): string | undefined;
	/** After every item ran, the run not stopped: hints about the run. */
	finish?(fn: IExecuteFunctions): void;
}

/** A prepared item: sends its request(s) to HelloTech and resolves with the item's output. */
export type Send = (api: HelloTechClient) => Promise<IDataObject | IDataObject[]>;

type ItemError = NodeApiError | NodeOperationError;

/** At most this many items per request slot are under way: the ones beyond the slots stand in for items waiting out a 429. */
const ITEMS_UNDER_WAY_PER_REQUEST = 2;

/**
 * Runs `operation` for every input item and returns the output in input order, each item paired
 * to its source.
 *
 * Items are prepared (their parameters read and checked) in input order, outside the request
 * slots: while `concurrency` requests are in flight, the next items are prepared, so a freed
 * slot is filled at once. `concurrency` items are under way at once, and one more for each item
 * waiting out a 429's Retry-After (up to twice `concurrency` in all; requests in flight stay
 * bounded by the client's pacer), so that items waiting out a 429 do not hold back the rest,
 * while without 429s an item's requests (a check, then the create) go before the next item's.
 * At most `concurrency` more prepared items wait to start, so memory holds a window of
 * requests, not the whole input. Requests start in input order. Preparing gives way
 * to the requests in flight every millisecond, so that reading parameters (in n8n 2.x each
 * expression is an isolate call) and talking to HelloTech overlap instead of taking turns.
 *
 * With Continue On Fail, a failing item becomes an error item paired to its input and the others
 * go on. Without it, the first failure (a bad item found while preparing, or a request that
 * failed) halts the client: no new request starts, for any item (see HelloTechClient.halt); the
 * requests already sent finish, and the node fails with the error of the earliest failing item.
 *
 * An operation may ask for every item to be prepared before the first request (checkAllFirst):
 * then a bad item anywhere stops the node with nothing sent (its error also names the other bad
 * items), and memory holds every prepared request. Reads the operation starts while preparing (a
 * lookup the items share) go on meanwhile.
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
	const toErrorOutput = fn.getNode().onError === 'continueErrorOutput';
	// Held in an object so the callbacks' writes are visible to the type checker after the loops.
	const stop: { failure?: ItemError; others: string[] } = { others: [] };
	const lookahead = concurrency;
	const underWay = () => concurrency + Math.min((ITEMS_UNDER_WAY_PER_REQUEST - 1) * concurrency, api.pacer.waitingOut);
	const prepared: Array<{ itemIndex: number; send: Send }> = [];
	let inFlight = 0;
	// Wakes the loops below when a request finishes.
	let wake = () => {};
	const requestFinished = () => new Promise<void>((resolve) => (wake = resolve));

	const failed = (itemIndex: number, thrown: unknown) => {
		if (thrown instanceof RunStopped) return; // halted before it could send: it did not run
		const error = asItemError(fn, operation, thrown, itemIndex);
		if (continueOnFail) {
			errors[itemIndex] = error;
			return;
		}
		api.halt();
		// Several items may fail while in flight together: report the earliest.
		const earlier = stop.failure;
		if (!earlier || itemIndex < (earlier.context.itemIndex as number)) stop.failure = error;
	};

	/** An item read after the run stopped while checking every item first: its problem, for the error. */
	const laterFailure = (itemIndex: number) => {
		if (stop.others.length >= MAX_OTHER_FAILURES) return;
		try {
			operation.prepare(new ItemInput(fn, itemIndex), api);
		} catch (thrown) {
			if (!(thrown instanceof RunStopped)) stop.others.push(clean(asItemError(fn, operation, thrown, itemIndex), api).message);
		}
	};

	const fillSlots = () => {
		while (stop.failure === undefined && inFlight < underWay() && prepared.length > 0) {
			const { itemIndex, send } = prepared.shift() as { itemIndex: number; send: Send };
			inFlight++;
			// The pace does not rise when the run is about to end (see Pacer.itemsLeft).
			api.pacer.itemsLeft = items.length - itemIndex - 1;
			new Promise<IDataObject | IDataObject[]>((resolve) => resolve(send(api)))
				.then(
					(output) => {
						results[itemIndex] = (Array.isArray(output) ? output : [output]).map((json) => ({
							json,
							pairedItem: { item: itemIndex },
						}));
					},
					(thrown) => failed(itemIndex, thrown),
				)
				.finally(() => {
					inFlight--;
					fillSlots();
					wake();
				});
		}
	};

	// An item that starts waiting out a 429 lets one more item under way.
	const stopListening = api.pacer.onWaitingOut(() => {
		fillSlots();
		wake();
	});

	const prepare = (itemIndex: number) => {
		try {
			prepared.push({ itemIndex, send: operation.prepare(new ItemInput(fn, itemIndex), api) });
		} catch (thrown) {
			failed(itemIndex, thrown);
		}
	};

	let next = 0;
	let lastYield = Date.now();
	if (operation.checkAllFirst?.(fn)) {
		// Every item first. Without Continue On Fail a bad item halts the client, so nothing is sent;
		// the rest are still read, so that the error can name every bad item at once.
		for (; next < items.length; next++) {
			if (stop.failure === undefined) prepare(next);
			else laterFailure(next);
			if (api.busy && Date.now() - lastYield >= 1) {
				await sleep(0);
				lastYield = Date.now();
			}
		}
	}
	while (stop.failure === undefined && next < items.length) {
		if (prepared.length >= lookahead) {
			await requestFinished();
			lastYield = Date.now();
			continue;
		}
		prepare(next++);
		fillSlots();
		// Preparing is synchronous: while it runs, no request goes out and no answer is read. After
		// a millisecond of it with requests in flight, let them move before preparing more.
		if (inFlight > 0 && Date.now() - lastYield >= 1) {
			await sleep(0);
			lastYield = Date.now();
		}
	}
	fillSlots();
	while (inFlight > 0 || (stop.failure === undefined && prepared.length > 0)) await requestFinished();
	stopListening();
	// A read the items shared (started while preparing) may still be under way after a stop.
	await api.idle();

	// Secrets are cleaned from errors only now: an item may fail with a secret in its error before
	// another item's answer has taught the redactor that secret.
	const { failure } = stop;
	if (failure !== undefined) {
		const notes = [];
		if (stop.others.length > 0) {
			notes.push(`Other items with problems, none sent: ${stop.others.join('; ')}${stop.others.length >= MAX_OTHER_FAILURES ? '; and maybe more' : ''}.`);
		}
		const done = results.map((result, index) => (result ? index : -1)).filter((index) => index >= 0);
		if (done.length > 0) {
			notes.push(
				operation.stoppedAfter?.(fn, done.map((itemIndex) => ({ itemIndex, json: results[itemIndex][0].json }))) ??
					`Items ${indexRanges(done)} had already completed before the node stopped; their results are not in the output. Turn on Settings → On Error → Continue to keep every item's result.`,
			);
		}
		if (notes.length) failure.description = [failure.description, ...notes].filter(Boolean).join(' ');
		throw clean(failure, api);
	}
	errors.forEach((error, itemIndex) => {
		results[itemIndex] = [{ json: errorJson(clean(error, api), toErrorOutput), pairedItem: { item: itemIndex } }];
	});
	operation.finish?.(fn);
	return results.flat();
}

/** The most other bad items the error of a run stopped before sending names. */
const MAX_OTHER_FAILURES = 20;

/** Item indexes, ascending, as runs: `0-499, 501, 503-510` (a sheet of thousands stays one line). */
export function indexRanges(indexes: number[]): string {
	const runs: string[] = [];
	for (let start = 0; start < indexes.length; ) {
		let end = start;
		while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end++;
		runs.push(end > start ? `${indexes[start]}-${indexes[end]}` : String(indexes[start]));
		start = end + 1;
	}
	return runs.join(', ');
}

/** Every property of the error (message, description, errorResponse, messages, cause...), redacted. */
function clean(error: ItemError, api: HelloTechClient): ItemError {
	return cleanError(error, api.redactor);
}

/**
 * The failure of an item as its error, whose message ends by naming the item: `[item 3]`, or what
 * the operation knows it by (`[item 3: purchase order PO-1004, Maria Lopez]`).
 */
function asItemError(fn: IExecuteFunctions, operation: Operation, thrown: unknown, itemIndex: number): ItemError {
	let error: ItemError;
	if (thrown instanceof NodeApiError || thrown instanceof NodeOperationError) {
		error = thrown;
	} else {
		const message = thrown instanceof Error ? thrown.message : String(thrown);
		error = new NodeOperationError(fn.getNode(), message, { itemIndex });
	}
	error.context.itemIndex ??= itemIndex;
	const suffix = itemSuffix(itemIndex);
	const bare = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
	let name: string | undefined;
	try {
		name = operation.rowName?.(new ItemInput(fn, itemIndex));
	} catch {
		name = undefined; // what the item is known by is a courtesy: it never replaces its error
	}
	error.message = name ? `${bare} [${name}]` : `${bare}${suffix}`;
	return error;
}

/**
 * An error item's JSON: `{ error, description, httpCode, outcomeUnknown }` (what is known). With On
 * Error → Continue (using error output), n8n sends an item down the error output only when its
 * JSON holds nothing but `error`, `message` and `details` (an item that carries its error object
 * instead has its JSON replaced by the message alone, losing outcomeUnknown): there the same
 * facts go under `details`.
 */
function errorJson(error: ItemError, toErrorOutput: boolean): IDataObject {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	if (error.context.outcomeUnknown) details.outcomeUnknown = true;
	if (!toErrorOutput) return { error: error.message, ...details };
	return Object.keys(details).length > 0 ? { error: error.message, details } : { error: error.message };
}
