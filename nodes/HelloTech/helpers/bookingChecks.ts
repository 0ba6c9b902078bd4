import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PATHS, readField, readZipAnswer } from '../api';
import { itemSuffix } from '../transport/errors';
import type { HelloTechClient } from '../transport/request';
import type { ItemInput } from './input';
import { listPages } from './paging';
import type { Send } from './runner';
import { boolean, isBlank, ValueProblem, zip as parseZip } from './values';

/**
 * Checks before booking (Order → Create → Options): Validate Only and Check Availability First.
 *
 * Both start from the request body Order → Create built (whatever version built it) and ask
 * HelloTech what a create would find out too late: is each SKU in the catalogue, is it offered at
 * the customer's ZIP (Check ZIP), does the client exist. The answers are shared by every item of
 * one run, and a lookup several items need at once is sent once: 300 rows with 3 SKUs and 40 ZIPs
 * cost one catalogue read and at most 120 Check ZIP requests, not 900.
 */

/** What is wrong with one order, named by the field a user would fix. */
export interface Problem {
	field: string;
	message: string;
}

/** How one version of Order → Create names the fields the checks talk about. */
export interface CheckedFields {
	skus: string;
	clientId: string;
	address: string;
	zip: string;
	/** Where a user gives a ZIP the address lacks: the end of the missing-ZIP problem. */
	zipHint: string;
}

export const V1_FIELDS: CheckedFields = {
	skus: 'SKU Names or IDs',
	clientId: 'Client ID',
	address: 'Address',
	zip: 'ZIP Code',
	zipHint: 'give it in Options → ZIP Code',
};

/** What a version's body builder hands the checks. */
export interface OrderDraft {
	/** The Create order body, every field already checked. */
	body: IDataObject;
	/** A ZIP given apart from the address (a mapped column); blank: Options → ZIP Code, then the address. */
	zip?: unknown;
	fields?: CheckedFields;
}

const onlyOrderCreate = { show: { '/resource': ['order'], '/operation': ['create'] } };
/** Order → Create and Order → Validate: what both read. */
const orderCreateOrValidate = { show: { '/resource': ['order'], '/operation': ['create', 'validate'] } };

/** Options (the node's requestOptions collection) of Order → Create, both versions. */
export const checkAvailabilityOption: INodeProperties = {
	displayName: 'Check Availability First',
	name: 'checkAvailability',
	type: 'boolean',
	default: false,
	description:
		"Whether to ask HelloTech (Check ZIP) before creating each order if every SKU is offered at the customer's ZIP. An order with a SKU not offered there is not created: its item fails, naming the SKU and the ZIP.",
	displayOptions: onlyOrderCreate,
};

/**
 * Version 1's switch. Version 2 has Order → Validate instead: an option added from the list comes
 * switched off, and a run meant to check would book for real.
 */
export const validateOnlyOption: INodeProperties = {
	displayName: 'Validate Only',
	name: 'validateOnly',
	type: 'boolean',
	default: false,
	description:
		"Whether to check each order without creating it: the field checks, each SKU in HelloTech's catalogue and offered at the customer's ZIP, the client ID known. Each item becomes { valid, problems: [{ field, message }], order }.",
	displayOptions: { show: { ...onlyOrderCreate.show, '@version': [1] } },
};

export const zipCodeOption: INodeProperties = {
	displayName: 'ZIP Code',
	name: 'zip',
	type: 'string',
	default: '',
	placeholder: 'e.g. 90017',
	description:
		"The customer's 5-digit ZIP code for Validate and Check Availability First, e.g. from a ZIP column. Leave empty to read it from the end of Address. Not sent with the order.",
	displayOptions: orderCreateOrValidate,
};

// ---- the lookups one run shares ----------------------------------------------------------------

type ZipAnswer = { known: true; offered: boolean; area?: string } | { known: false };

/**
 * HelloTech's answers for one run of the node: the catalogue, Check ZIP per (SKU, ZIP), whether
 * each client exists. Each is asked once; items that need an answer already on its way wait for
 * that request instead of sending their own. A lookup that fails fails every item that needs it
 * (the request was already retried as far as it safely can be) without being sent again.
 */
class RunLookups {
	private catalogue?: Promise<Map<number, string>>;
	private readonly zipAnswers = new Map<string, Promise<ZipAnswer>>();
	private readonly clients = new Map<number, Promise<boolean>>();

	constructor(private readonly api: HelloTechClient) {}

	/** The SKU catalogue: id → name. */
	async skus(): Promise<Map<number, string>> {
		this.catalogue ??= this.readCatalogue();
		return await this.catalogue;
	}

	/** Check ZIP for one SKU; `known: false` when HelloTech answered 404 (unknown SKU or ZIP). */
	async zipAnswer(skuId: number, zip: string): Promise<ZipAnswer> {
		return await once(this.zipAnswers, `${skuId} ${zip}`, async () => {
			const ask = this.api.request({
				method: 'POST',
				path: PATHS.skuCheckZip(skuId),
				body: { zip },
				subject: `SKU ${skuId}`,
				idempotent: true,
			});
			return await unlessNotFound(ask, (answer): ZipAnswer => ({ known: true, ...readZipAnswer(answer) }), { known: false });
		});
	}

	async clientExists(clientId: number): Promise<boolean> {
		return await once(this.clients, clientId, async () => {
			const ask = this.api.request({ method: 'GET', path: PATHS.client(clientId), subject: `client ${clientId}` });
			return await unlessNotFound(ask, () => true, false);
		});
	}

	private async readCatalogue(): Promise<Map<number, string>> {
		const names = new Map<number, string>();
		for await (const page of listPages(this.api, {}, { path: PATHS.skus, listKey: 'skus' })) {
			for (const sku of page) {
				const id = Number(readField(sku, 'id'));
				if (Number.isSafeInteger(id)) names.set(id, isBlank(sku.name) ? '' : String(sku.name));
			}
		}
		return names;
	}
}

function once<K, V>(cache: Map<K, Promise<V>>, key: K, ask: () => Promise<V>): Promise<V> {
	let answer = cache.get(key);
	if (answer === undefined) {
		answer = ask();
		cache.set(key, answer);
	}
	return answer;
}

/** What a request resolved to, or how it failed. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	return await promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
}

/** HelloTech's answer read by `found`, or `notFound` when it answered 404; other failures pass. */
export async function unlessNotFound<T>(ask: Promise<unknown>, found: (answer: unknown) => T, notFound: T): Promise<T> {
	const outcome = await settle(ask);
	if (outcome.ok) return found(outcome.value);
	if (outcome.error instanceof NodeApiError && String(outcome.error.httpCode) === '404') return notFound;
	throw outcome.error;
}

/** One HelloTechClient is made per run of the node: what its items share lives and dies with it. */
const sharedOfRun = new WeakMap<HelloTechClient, Map<string, unknown>>();

/**
 * What the items of one run share under `name` (the lookups below, the orders already booked:
 * helpers/booked.ts), made by the first item that asks.
 */
export function perRun<T>(api: HelloTechClient, name: string, make: () => T): T {
	let shared = sharedOfRun.get(api);
	if (!shared) {
		shared = new Map();
		sharedOfRun.set(api, shared);
	}
	if (!shared.has(name)) shared.set(name, make());
	return shared.get(name) as T;
}

const lookupsFor = (api: HelloTechClient) => perRun(api, 'lookups', () => new RunLookups(api));

/**
 * A shared lookup's failure, as this item's own error: each item gets a fresh error naming it
 * (the runner adds the item to the message, which must not pile up on one shared object).
 */
export async function forItem<T>(
	api: HelloTechClient,
	itemIndex: number,
	lookup: Promise<T>,
	say: (error: NodeApiError) => string = (error) => error.message,
): Promise<T> {
	const outcome = await settle(lookup);
	if (outcome.ok) return outcome.value;
	const { error } = outcome;
	if (!(error instanceof NodeApiError)) throw error;
	throw api.error(
		{ itemIndex },
		{
			httpCode: error.httpCode ? Number(error.httpCode) : undefined,
			message: say(error),
			description: error.description ?? undefined,
		},
	);
}

// ---- the checks --------------------------------------------------------------------------------

/** A 5-digit ZIP (ZIP+4 allowed) at the end of a US address, e.g. "719 Flower St, Los Angeles, CA 90017". */
const ZIP_AT_END = /(?:^|[\s,])(\d{5})(?:-\d{4})?\s*(?:,?\s*(?:USA|US|United States(?: of America)?))?[\s.]*$/i;

export function zipFromAddress(address: unknown): string | undefined {
	return typeof address === 'string' ? ZIP_AT_END.exec(address.trim())?.[1] : undefined;
}

export interface CheckRequest {
	body: IDataObject;
	/** A ZIP given apart from the address; blank: the ZIP at the end of the address. */
	zip?: unknown;
	fields: CheckedFields;
	itemIndex: number;
	/** Validate Only: the catalogue and the client too. Otherwise (Check Availability First): Check ZIP. */
	full: boolean;
}

/**
 * What HelloTech would find wrong with the order `body`: SKUs not in the catalogue, SKUs not
 * offered at the ZIP, a ZIP in no service area or none at all, an unknown client. Also returns the
 * ZIP the checks used. Failures to ask (HelloTech down, a wrong key) are thrown, not problems.
 */
export async function orderProblems(
	api: HelloTechClient,
	request: CheckRequest,
): Promise<{ problems: Problem[]; zip?: string }> {
	const { body, fields, itemIndex, full } = request;
	const lookups = lookupsFor(api);
	const problems: Problem[] = [];
	const skuIds = (Array.isArray(body.sku_id) ? body.sku_id : []).map(Number);

	let zip: string | undefined;
	const zipField = isBlank(request.zip) ? fields.address : fields.zip;
	if (!isBlank(request.zip)) {
		try {
			zip = parseZip(request.zip);
		} catch (error) {
			problems.push({ field: fields.zip, message: (error as ValueProblem).message });
		}
	} else {
		zip = zipFromAddress(body.address);
		if (zip === undefined) {
			problems.push({
				field: fields.zip,
				message: `none found: ${fields.address} does not end with a 5-digit ZIP code (as in "…, CA 90017"); ${fields.zipHint}`,
			});
		}
	}

	const clientId = body.client_id;
	const [catalogue, clientKnown] = await Promise.all([
		full ? forItem(api, itemIndex, lookups.skus()) : undefined,
		full && typeof clientId === 'number' ? forItem(api, itemIndex, lookups.clientExists(clientId)) : true,
	]);
	const name = (skuId: number) => (catalogue?.get(skuId) ? `SKU ${skuId} (${catalogue.get(skuId)})` : `SKU ${skuId}`);
	const notInCatalogue = (skuId: number): Problem => ({
		field: fields.skus,
		message: `SKU ${skuId} is not in HelloTech's catalogue`,
	});
	const listed = catalogue ? skuIds.filter((skuId) => catalogue.has(skuId)) : skuIds;
	if (catalogue) for (const skuId of skuIds.filter((id) => !catalogue.has(id))) problems.push(notInCatalogue(skuId));

	if (zip !== undefined) {
		const answers = await Promise.all(listed.map(async (skuId) => await forItem(api, itemIndex, lookups.zipAnswer(skuId, zip as string))));
		let noArea = false;
		for (const [index, skuId] of listed.entries()) {
			const answer = answers[index];
			if (!answer.known) {
				// 404: the SKU (published) or the ZIP (possible) is unknown; the catalogue tells which.
				const names = catalogue ?? (await forItem(api, itemIndex, lookups.skus()));
				if (!names.has(skuId)) problems.push(notInCatalogue(skuId));
				else noArea = true;
			} else if (!answer.offered) {
				if (answer.area === undefined) noArea = true;
				else problems.push({ field: fields.skus, message: `${name(skuId)} is not offered at ZIP ${zip} (${answer.area})` });
			}
		}
		if (noArea) {
			problems.push({ field: zipField, message: `ZIP ${zip} is in no HelloTech service area: no service can be booked there` });
		}
	}

	if (!clientKnown) problems.push({ field: fields.clientId, message: `HelloTech has no client ${clientId as number}` });
	return { problems, zip };
}

/** A field check's failure as a problem; undefined for any other error. */
function fieldProblem(error: unknown): Problem | undefined {
	if (!(error instanceof NodeOperationError)) return undefined;
	const { field, problem } = error.context;
	return typeof field === 'string' && typeof problem === 'string' ? { field, message: problem } : undefined;
}

/** The checks an item of Order → Create asks for (Options), or Order → Validate. */
export interface Checks {
	/** Order → Validate (or version 1's Validate Only): check, never create. */
	validate: boolean;
	checkAvailability: boolean;
	/** Options → ZIP Code. */
	zip: unknown;
}

/** Reads the item's Options: Validate Only (version 1), Check Availability First, ZIP Code. */
export function readChecks(input: ItemInput, validate: boolean): Checks {
	const options = input.collection('requestOptions');
	// An expression may give "true" (a sheet's TRUE): read as meant, never as off, since off books for real.
	const on = (name: string, label: string) => !isBlank(options[name]) && input.check(label, () => boolean(options[name]));
	// Saved by a version 2 node made before Order → Validate existed: still honoured, never books.
	const validating = validate || on('validateOnly', 'Validate Only');
	return {
		validate: validating,
		// Validate wins when both are on: nothing is created.
		checkAvailability: !validating && on('checkAvailability', 'Check Availability First'),
		zip: options.zip,
	};
}

/**
 * Order → Validate (and version 1's Validate Only): the item's answer { valid, problems, order,
 * zip }, plus `row` when given (what the user knows the row by). A bad field becomes the item's
 * problem; nothing is created.
 */
export function validation(input: ItemInput, checks: Checks, draft: () => OrderDraft, row?: IDataObject): Send {
	let order: OrderDraft | undefined;
	let badField: unknown;
	try {
		order = draft();
	} catch (error) {
		badField = error;
	}
	if (order === undefined) {
		const problem = fieldProblem(badField);
		if (!problem) throw badField;
		const answer = { valid: false, problems: [{ field: problem.field, message: problem.message }], order: null, zip: null, ...row };
		return async () => answer;
	}
	const request = checkRequest(input, checks, order, true);
	return async (api) => {
		const { problems, zip } = await orderProblems(api, request);
		return { valid: problems.length === 0, problems: problems as unknown as IDataObject[], order: order.body, zip: zip ?? null, ...row };
	};
}

function checkRequest(input: ItemInput, checks: Checks, order: OrderDraft, full: boolean): CheckRequest {
	return {
		body: order.body,
		zip: isBlank(order.zip) ? checks.zip : order.zip,
		fields: order.fields ?? V1_FIELDS,
		itemIndex: input.itemIndex,
		full,
	};
}

/**
 * Check Availability First: asks Check ZIP for each SKU of the order and refuses it, with nothing
 * created, when a SKU is not offered at its ZIP. Without the option, nothing is asked.
 */
export async function checkAvailability(api: HelloTechClient, input: ItemInput, checks: Checks, order: OrderDraft): Promise<void> {
	if (!checks.checkAvailability) return;
	const { problems } = await orderProblems(api, checkRequest(input, checks, order, false));
	if (problems.length > 0) {
		const text = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
		throw new NodeOperationError(input.fn.getNode(), `${text}${itemSuffix(input.itemIndex)}`, {
			itemIndex: input.itemIndex,
			description: 'Check Availability First kept this order from HelloTech: nothing was created for this item.',
		});
	}
}
