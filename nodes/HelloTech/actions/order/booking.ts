import type { IDataObject, IExecuteFunctions, INodeProperties, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BOOKED, PATHS, readField } from '../../api';
import type { OrderDraft } from '../../helpers/bookingChecks';
import { forItem, perRun, settle, unlessNotFound } from '../../helpers/bookingChecks';
import { BookedIndex, LOOK_BACK_DAYS, purchaseOrderKey } from '../../helpers/booked';
import { ItemInput } from '../../helpers/input';
import { forget, recall, startBooking } from '../../helpers/recentlyBooked';
import { indexRanges, type Send } from '../../helpers/runner';
import { unwrap } from '../../helpers/unwrap';
import { boolean, isBlank, wholeNumber } from '../../helpers/values';
import { invalidField, RunStopped } from '../../transport/errors';
import type { HelloTechClient } from '../../transport/request';
import { ORDER_FIELDS } from './columns';

/**
 * Order → Create books each purchase order once: across runs (Skip Orders Already Booked: a row
 * whose Purchase Order ID HelloTech already has gives that order instead), across the executions
 * of this n8n process (helpers/recentlyBooked.ts), and within a run (two rows with one Purchase
 * Order ID: the later one is refused, gives the first one's order, or with Combine Rows of One
 * Order both are one order with the SKUs of both).
 *
 * The rows of a run that share a Purchase Order ID form a group; its first row with a readable
 * order (the leader) books, the others follow it. Rows are prepared in input order, so the leader
 * is known before its followers, and sends start in input order, so it books before they wait for
 * it.
 */

const onlyOrderCreate = { show: { '/resource': ['order'], '/operation': ['create'] } };

export const skipBookedOption: INodeProperties = {
	displayName: 'Skip Orders Already Booked',
	name: 'skipBooked',
	type: 'boolean',
	default: true,
	description:
		"Whether to book a row only when HelloTech has no order with its Purchase Order ID yet (created within Look Back): otherwise the row's item is that order, with alreadyBooked: true, so a sheet run again books only what is new. Rows without a Purchase Order ID are always booked. Without this option: on (off in nodes made before version 2).",
	displayOptions: onlyOrderCreate,
};

export const lookBackOption: INodeProperties = {
	displayName: 'Look Back (Days)',
	name: 'lookBackDays',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: LOOK_BACK_DAYS.max },
	default: 30, // LOOK_BACK_DAYS.default
	description:
		'How far back Skip Orders Already Booked looks: it reads the orders created in these last days once per run (one request per 100 orders). A row booked longer ago than this is booked again: cover the oldest row your sheet still sends.',
	displayOptions: onlyOrderCreate,
};

export const combineRowsOption: INodeProperties = {
	displayName: 'Combine Rows of One Order',
	name: 'combineRows',
	type: 'boolean',
	default: false,
	description:
		"Whether rows that share a Purchase Order ID are one order, as shop exports list each line item on a row of its own: they are booked as one order with the SKUs of all of them, and each row's item is that order. Their other fields must agree (a field left empty in a row is taken from the others).",
	displayOptions: onlyOrderCreate,
};

export interface BookingOptions {
	skip: boolean;
	lookBackDays: number;
	combine: boolean;
}

/** The booking Options, read once per run from the first item (they decide what the items share). */
export function readBookingOptions(fn: IExecuteFunctions): BookingOptions {
	const input = new ItemInput(fn, 0);
	const options = input.collection('requestOptions');
	const given = (name: string) => !isBlank(options[name]);
	return {
		skip: given('skipBooked') ? input.check('Skip Orders Already Booked', () => boolean(options.skipBooked)) : input.version >= 2,
		lookBackDays: given('lookBackDays')
			? input.check('Look Back (Days)', () => wholeNumber(options.lookBackDays, 1, LOOK_BACK_DAYS.max))
			: LOOK_BACK_DAYS.default,
		combine: given('combineRows') && input.check('Combine Rows of One Order', () => boolean(options.combineRows)),
	};
}

/** What a row's item says when it was booked, or its purchase order was: the order, and whether it was there before. */
export interface Booked {
	order: IDataObject;
	alreadyBooked: boolean;
}

/** What the rows of a run sharing a Purchase Order ID know of each other. */
interface Group {
	purchaseOrderId: string;
	/** The first row with a readable order: it books (or finds the booking) for all. */
	leader?: { itemIndex: number; draft: OrderDraft };
	/** A row that keeps the group from being booked (Combine: one of its rows could not be read or merged). */
	failure?: { itemIndex: number; message: string };
	/** The leader's outcome, which the others wait for. */
	outcome: Promise<Booked>;
	settle: { resolve: (booked: Booked) => void; reject: (error: unknown) => void };
}

/** How errors and hints name an order field of the body. */
const FIELD_NAMES = new Map(ORDER_FIELDS.map((field) => [field.id, field.displayName]));
const fieldName = (key: string) => FIELD_NAMES.get(key) ?? key;

/** What a row of the sheet is known by: its purchase order ID and customer (for errors); tolerant of bad values. */
export interface RowName {
	purchaseOrderId?: string;
	customer?: string;
}

/** "item 3: purchase order PO-1004, Maria Lopez", as errors name a row; "item 3" when nothing more is known. */
export function rowText(itemIndex: number, name?: RowName): string {
	const known = [name?.purchaseOrderId && `purchase order ${name.purchaseOrderId}`, name?.customer].filter(Boolean);
	return known.length ? `item ${itemIndex}: ${known.join(', ')}` : `item ${itemIndex}`;
}

/** The first field of two orders' bodies that differs (SKU IDs compared as sets), or undefined when they are one order. */
function firstDifference(a: IDataObject, b: IDataObject): string | undefined {
	const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
	const same = (key: string) =>
		key === 'sku_id'
			? JSON.stringify([...((a[key] as number[]) ?? [])].sort()) === JSON.stringify([...((b[key] as number[]) ?? [])].sort())
			: JSON.stringify(a[key]) === JSON.stringify(b[key]);
	return keys.find((key) => !same(key));
}

/** `into` with the row's order added (Combine): SKU IDs united, a field one of them lacks taken from the other; a field both give differently is returned. */
function merge(into: IDataObject, row: IDataObject): { merged: IDataObject; conflict?: string } {
	const merged: IDataObject = { ...into };
	for (const [key, value] of Object.entries(row)) {
		if (key === 'sku_id') {
			merged.sku_id = [...new Set([...((into.sku_id as number[]) ?? []), ...((value as number[]) ?? [])])];
		} else if (merged[key] === undefined) {
			merged[key] = value;
		} else if (JSON.stringify(merged[key]) !== JSON.stringify(value)) {
			return { merged: into, conflict: key };
		}
	}
	return { merged };
}

/** An error's message without the item it names at its end (another item's message quotes it). */
const withoutItem = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/ \[item \d+[^\]]*\]$/, '');

/** A value for a message: text in quotes, anything else as JSON; long ones cut. */
const short = (value: unknown) => {
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	if (text === undefined) return 'nothing';
	return text.length > 62 ? `${text.slice(0, 59)}...` : text;
};

/**
 * One run of Order → Create: its options, its groups, the orders already booked (read once, shared
 * by the items) and what its hints will say.
 */
export class OrderRun {
	private readonly groups = new Map<string, Group>();

	/** Items whose row had no Purchase Order ID (booked without a check), found already booked, or repeating an earlier row. */
	private readonly noPurchaseOrder: number[] = [];

	private readonly alreadyBooked: number[] = [];

	private readonly repeats: number[] = [];

	private oldestFound?: { itemIndex: number; days: number; purchaseOrderId: string };

	constructor(
		readonly fn: IExecuteFunctions,
		readonly api: HelloTechClient,
		readonly options: BookingOptions,
		/** What the user knows a row by (read again only for an error that names it). */
		private readonly nameOf: (itemIndex: number) => RowName,
	) {}

	private index(): BookedIndex {
		return perRun(this.api, 'booked', () => new BookedIndex(this.api, this.options.lookBackDays));
	}

	/** Whether rows sharing a Purchase Order ID are told apart from the first (version 2, or an option asks for it). */
	private get groupsRepeats(): boolean {
		return this.options.skip || this.options.combine || this.fn.getNode().typeVersion >= 2;
	}

	/**
	 * A row whose order could not be read (a bad field): with Combine, its purchase order's other
	 * rows are not booked either (the order would miss its SKUs).
	 */
	rowFailed(itemIndex: number, error: unknown): void {
		if (!this.options.combine) return;
		const purchaseOrderId = purchaseOrderKey(this.nameOf(itemIndex).purchaseOrderId);
		if (purchaseOrderId === undefined) return;
		const group = this.groupOf(purchaseOrderId);
		group.failure ??= { itemIndex, message: withoutItem(error) };
	}

	private groupOf(purchaseOrderId: string): Group {
		let group = this.groups.get(purchaseOrderId);
		if (!group) {
			const settle = {} as Group['settle'];
			const outcome = new Promise<Booked>((resolve, reject) => Object.assign(settle, { resolve, reject }));
			// Followers that never come to wait (a run that stopped) must not leave it unhandled.
			outcome.catch(() => {});
			group = { purchaseOrderId, outcome, settle };
			this.groups.set(purchaseOrderId, group);
		}
		return group;
	}

	/**
	 * The send of one row, whose order is `draft`: `book(draft)` creates it (with the checks the
	 * Options ask for). Called when the item is prepared, in input order; a row that repeats an
	 * earlier one in a way that cannot be booked throws now, before anything is sent.
	 */
	prepare(
		input: ItemInput,
		draft: OrderDraft,
		book: (draft: OrderDraft) => Promise<IDataObject>,
		shape: (order: IDataObject) => IDataObject = (order) => order,
	): Send {
		const { itemIndex } = input;
		const purchaseOrderId = purchaseOrderKey(draft.body.purchase_order_id);
		if (purchaseOrderId === undefined) {
			if (this.options.skip) this.noPurchaseOrder.push(itemIndex);
			return async () => this.output(shape(await book(draft)), false);
		}
		if (this.options.skip) this.index().start(itemIndex); // read while the other rows are prepared
		if (!this.groupsRepeats) return async () => shape(await book(draft));

		const group = this.groupOf(purchaseOrderId);
		const { leader } = group;
		if (!leader) {
			group.leader = { itemIndex, draft };
			return async (api) => {
				const booked = await this.lead(api, input, group, book);
				return this.output(shape(booked.order), booked.alreadyBooked);
			};
		}
		if (this.options.combine) {
			const { merged, conflict } = merge(leader.draft.body, draft.body);
			if (conflict !== undefined) {
				const error = this.repeatError(input, group, `whose ${fieldName(conflict)} is ${short(leader.draft.body[conflict])}, not ${short(draft.body[conflict])}: the rows of one order must agree`);
				group.failure ??= { itemIndex, message: withoutItem(error) };
				throw error;
			}
			leader.draft = { ...leader.draft, body: merged };
			return async () => {
				const booked = await this.follow(group, itemIndex);
				return this.output(shape(booked.order), booked.alreadyBooked);
			};
		}
		if (!this.options.skip) {
			throw this.repeatError(input, group, 'so this row would book it a second time');
		}
		const difference = firstDifference(leader.draft.body, draft.body);
		if (difference !== undefined) {
			throw this.repeatError(
				input,
				group,
				`whose ${fieldName(difference)} is ${short(leader.draft.body[difference])}, not ${short(draft.body[difference])}: a purchase order is booked once`,
			);
		}
		this.repeats.push(itemIndex);
		return async () => this.output(shape((await this.follow(group, itemIndex)).order), true);
	}

	private repeatError(input: ItemInput, group: Group, why: string): NodeOperationError {
		const leader = group.leader?.itemIndex as number;
		const { customer } = this.nameOf(leader);
		const first = customer ? `item ${leader} (${customer})` : `item ${leader}`;
		return invalidField(
			input.fn.getNode(),
			input.itemIndex,
			'Purchase Order ID',
			`"${group.purchaseOrderId}" is also the purchase order of ${first}, ${why}`,
			this.options.combine
				? 'Make the rows of one order agree, or give the rows that are another order their own Purchase Order ID.'
				: 'Remove the repeated row or give it its own Purchase Order ID. If the rows are the line items of one order, turn on Options → Combine Rows of One Order.',
		);
	}

	/** The leader's send: books the group's order once (or finds it booked), then lets the others follow. */
	private async lead(api: HelloTechClient, input: ItemInput, group: Group, book: (draft: OrderDraft) => Promise<IDataObject>): Promise<Booked> {
		const outcome = await settle(this.bookGroup(api, input, group, book));
		if (!outcome.ok) {
			group.settle.reject(outcome.error);
			throw outcome.error;
		}
		group.settle.resolve(outcome.value);
		return outcome.value;
	}

	private async bookGroup(api: HelloTechClient, input: ItemInput, group: Group, book: (draft: OrderDraft) => Promise<IDataObject>): Promise<Booked> {
		if (group.failure) {
			throw new NodeOperationError(
				input.fn.getNode(),
				`Not booked: item ${group.failure.itemIndex} is a row of the same order (purchase order ${group.purchaseOrderId}) and could not be read: ${group.failure.message}`,
				{ itemIndex: input.itemIndex, description: 'Combine Rows of One Order books the rows of one order together or not at all: fix that row and run again.' },
			);
		}
		const draft = (group.leader as { draft: OrderDraft }).draft;
		if (!this.options.skip) return { order: await book(draft), alreadyBooked: false };
		return await this.bookOnce(api, input, group.purchaseOrderId, async () => await book(draft));
	}

	/** A row that repeats its group's first: the leader's order, or why it has none. */
	private async follow(group: Group, itemIndex: number): Promise<Booked> {
		const outcome = await settle(group.outcome);
		if (outcome.ok) return outcome.value;
		const { error } = outcome;
		if (error instanceof RunStopped) throw error;
		const followed = new NodeOperationError(
			this.fn.getNode(),
			`Not booked: item ${group.leader?.itemIndex}, with the same purchase order ${group.purchaseOrderId}, was not booked: ${withoutItem(error)}`,
			{ itemIndex, description: 'A purchase order is booked by the first of its rows; this row has the same one.' },
		);
		if ((error as NodeOperationError).context?.outcomeUnknown) followed.context.outcomeUnknown = true;
		throw followed;
	}

	/**
	 * Books `purchaseOrderId` unless HelloTech lists it in the look-back or this process booked it
	 * in the last minutes; two executions of this process booking it at once book it once.
	 */
	private async bookOnce(api: HelloTechClient, input: ItemInput, purchaseOrderId: string, create: () => Promise<IDataObject>): Promise<Booked> {
		const { itemIndex } = input;
		const index = this.index();
		for (;;) {
			const listed = await this.checked(api, itemIndex, index.find(purchaseOrderId, itemIndex));
			if (listed) {
				this.found(itemIndex, purchaseOrderId, index.ageInDays(listed));
				return { order: listed, alreadyBooked: true };
			}
			// From here to startBooking nothing awaits: no other execution can slip in between.
			const recent = recall(api.account, purchaseOrderId);
			if (recent === undefined) {
				const booked = startBooking(api.account, purchaseOrderId);
				const outcome = await settle(create());
				if (outcome.ok) {
					booked({ kind: 'booked', order: outcome.value });
					return { order: outcome.value, alreadyBooked: false };
				}
				booked((outcome.error as NodeOperationError).context?.outcomeUnknown ? { kind: 'unknown' } : { kind: 'failed' });
				throw outcome.error;
			}
			if (recent.kind === 'booking') {
				const settled = await recent.settled;
				if (settled.kind === 'booked') {
					this.found(itemIndex, purchaseOrderId, 0);
					return { order: settled.order, alreadyBooked: true };
				}
				if (settled.kind === 'unknown') throw this.unlisted(input, purchaseOrderId, Date.now());
				continue; // refused, nothing created: this row may try
			}
			if (recent.kind === 'booked') {
				const order = await this.confirm(api, itemIndex, recent.orderId, purchaseOrderId);
				if (order) {
					this.found(itemIndex, purchaseOrderId, 0);
					return { order, alreadyBooked: true };
				}
				forget(api.account, purchaseOrderId, recent);
				continue;
			}
			throw this.unlisted(input, purchaseOrderId, recent.at);
		}
	}

	/** The read of the look-back, shared by the items: its failure becomes each item's own error, saying what it means. */
	private async checked<T>(api: HelloTechClient, itemIndex: number, lookup: Promise<T>): Promise<T> {
		return await forItem(api, itemIndex, lookup, (error) => `Could not check whether the order is already booked, so it was not booked: ${withoutItem(error)}`);
	}

	/** The order this process booked as `orderId`, read back (GET one order): undefined when HelloTech no longer has it with that purchase order ID. */
	private async confirm(api: HelloTechClient, itemIndex: number, orderId: unknown, purchaseOrderId: string): Promise<IDataObject | undefined> {
		const id = Number(orderId);
		if (!Number.isSafeInteger(id) || id < 1) return undefined;
		const ask = api.request({ method: 'GET', path: PATHS.order(id), subject: `order ${id}`, itemIndex });
		return await unlessNotFound(
			ask,
			(answer) => {
				const order = unwrap(answer, 'order');
				const single = order && typeof order === 'object' && !Array.isArray(order) ? order : undefined;
				return single && purchaseOrderKey(readField(single, 'purchase_order_id')) === purchaseOrderId ? single : undefined;
			},
			undefined,
		);
	}

	/** A purchase order whose create in this process got no answer, and that HelloTech does not list (yet). */
	private unlisted(input: ItemInput, purchaseOrderId: string, since: number): NodeOperationError {
		const until = new Date(since + BOOKED.listingDelayMs).toISOString().slice(11, 19);
		const error = new NodeOperationError(
			input.fn.getNode(),
			`Not booked: a create of purchase order ${purchaseOrderId} in this n8n got no answer, and HelloTech does not list an order with it yet; it may list one up to ${BOOKED.listingDelayMs / 60_000} minutes late: run the sheet again after ${until} UTC`,
			{ itemIndex: input.itemIndex, description: 'Sending it now could book it twice. Run the sheet again later: Skip Orders Already Booked then finds the order if it was created, and books it if it was not.' },
		);
		error.context.outcomeUnknown = true;
		return error;
	}

	private found(itemIndex: number, purchaseOrderId: string, days: number | undefined): void {
		this.alreadyBooked.push(itemIndex);
		if (days !== undefined && (this.oldestFound === undefined || days > this.oldestFound.days)) {
			this.oldestFound = { itemIndex, days, purchaseOrderId };
		}
	}

	/** The item of a booked row: the order, and whether it was booked before this row (when the skip is on). */
	private output(order: IDataObject, alreadyBooked: boolean | undefined): IDataObject {
		if (!this.options.skip) return alreadyBooked === undefined ? { ...order } : order;
		return { ...order, alreadyBooked: alreadyBooked ?? false };
	}

	/** What the run's hints say: rows booked without a check, rows not booked again, a look-back about to be too short. */
	hints(): NodeExecutionHint[] {
		const hints: NodeExecutionHint[] = [];
		const items = (indexes: number[]) => `${indexes.length === 1 ? 'item' : 'items'} ${indexRanges([...indexes].sort((a, b) => a - b))}`;
		if (this.noPurchaseOrder.length) {
			hints.push({
				type: 'warning',
				location: 'outputPane',
				message: `${items(this.noPurchaseOrder)} had no Purchase Order ID: booked without checking for an earlier booking, so running these rows again books them again. Give every row a Purchase Order ID.`,
			});
		}
		if (this.alreadyBooked.length || this.repeats.length) {
			const parts = [];
			if (this.alreadyBooked.length) parts.push(`${items(this.alreadyBooked)} already booked at HelloTech`);
			if (this.repeats.length) parts.push(`${items(this.repeats)} repeating an earlier row's purchase order`);
			hints.push({
				type: 'info',
				location: 'outputPane',
				message: `Not booked again (Skip Orders Already Booked): ${parts.join('; ')}. Their items are the existing orders, with alreadyBooked: true.`,
			});
		}
		const oldest = this.oldestFound;
		if (oldest && oldest.days > this.options.lookBackDays - Math.min(7, this.options.lookBackDays / 4)) {
			hints.push({
				type: 'warning',
				location: 'outputPane',
				message: `Purchase order ${oldest.purchaseOrderId} (item ${oldest.itemIndex}) was booked ${Math.floor(oldest.days)} days ago, close to Look Back (${this.options.lookBackDays} days): a row booked longer ago is no longer found and would be booked again. Raise Options → Look Back, or take booked rows out of the sheet.`,
			});
		}
		return hints;
	}
}

/** The run of Order → Create that `fn` is executing, made by its first item. */
const runs = new WeakMap<IExecuteFunctions, OrderRun>();

export function orderRun(fn: IExecuteFunctions, api: HelloTechClient, nameOf: (itemIndex: number) => RowName): OrderRun {
	let run = runs.get(fn);
	if (!run) {
		run = new OrderRun(fn, api, readBookingOptions(fn), nameOf);
		runs.set(fn, run);
	}
	return run;
}

export const knownRun = (fn: IExecuteFunctions) => runs.get(fn);
