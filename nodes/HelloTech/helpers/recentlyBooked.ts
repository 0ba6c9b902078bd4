import type { IDataObject } from 'n8n-workflow';

import { BOOKED, readField } from '../api';

/**
 * The purchase order IDs this n8n process booked in the last minutes, per HelloTech account (Base
 * URL and API key), shared by every execution in the process: what the orders list may not show
 * yet (BOOKED.listingDelayMs in api.ts). Two executions that book the same purchase order ID at
 * once book it once: the second waits for the first's create. Other processes (queue mode's other
 * workers, this one after a restart) do not see this; the README says so.
 *
 * An entry is one of:
 * - `booking`: a create is under way; `settled` says how it ended;
 * - `booked`: created, with the order's ID;
 * - `unknown`: the create got no answer (a timeout, a 5xx): the order may exist.
 * Entries are forgotten BOOKED.listingDelayMs after they settle: by then the list shows the order.
 */

export type Settled = { kind: 'booked'; order: IDataObject } | { kind: 'failed' } | { kind: 'unknown' };

export type Entry =
	| { kind: 'booking'; settled: Promise<Settled> }
	| { kind: 'booked'; orderId: unknown; at: number }
	| { kind: 'unknown'; at: number };

const accounts = new Map<string, Map<string, Entry>>();

/** Entries kept at most per account: older ones go first (a process that books faster than this every 10 minutes). */
const MAX_ENTRIES = 100_000;

function entriesOf(account: string): Map<string, Entry> {
	let entries = accounts.get(account);
	if (!entries) {
		entries = new Map();
		accounts.set(account, entries);
	}
	return entries;
}

function expired(entry: Entry, now: number): boolean {
	return entry.kind !== 'booking' && now - entry.at > BOOKED.listingDelayMs;
}

/** What this process knows of `purchaseOrderId` in `account`, if anything recent. */
export function recall(account: string, purchaseOrderId: string, now = Date.now()): Entry | undefined {
	const entries = accounts.get(account);
	const entry = entries?.get(purchaseOrderId);
	if (entry && expired(entry, now)) {
		entries?.delete(purchaseOrderId);
		return undefined;
	}
	return entry;
}

/**
 * Marks `purchaseOrderId` as being booked by the caller, who must call the returned `settle` once
 * the create has ended. Only call it after `recall` found nothing, in the same synchronous step.
 */
export function startBooking(account: string, purchaseOrderId: string): (outcome: Settled) => void {
	const entries = entriesOf(account);
	let settle: (outcome: Settled) => void = () => {};
	const settled = new Promise<Settled>((resolve) => (settle = resolve));
	entries.delete(purchaseOrderId); // re-inserted last: the Map keeps insertion order, oldest first
	entries.set(purchaseOrderId, { kind: 'booking', settled });
	prune(entries);
	return (outcome) => {
		const at = Date.now();
		if (entries.get(purchaseOrderId)?.kind === 'booking') {
			if (outcome.kind === 'booked') entries.set(purchaseOrderId, { kind: 'booked', orderId: readField(outcome.order, 'id'), at });
			else if (outcome.kind === 'unknown') entries.set(purchaseOrderId, { kind: 'unknown', at });
			else entries.delete(purchaseOrderId);
		}
		settle(outcome);
	};
}

/**
 * Forgets `entry`, which HelloTech proved wrong (the order is gone), unless another has taken its
 * place meanwhile (another execution started booking).
 */
export function forget(account: string, purchaseOrderId: string, entry: Entry): void {
	const entries = accounts.get(account);
	if (entries?.get(purchaseOrderId) === entry) entries.delete(purchaseOrderId);
}

function prune(entries: Map<string, Entry>): void {
	const now = Date.now();
	for (const [key, entry] of entries) {
		if (entries.size <= MAX_ENTRIES && !expired(entry, now)) break;
		if (entry.kind !== 'booking') entries.delete(key);
	}
}
