import type { INodeParameterResourceLocator } from 'n8n-workflow';

import type { ItemInput } from './input';
import { isBlank, positiveInteger } from './values';

const isLocator = (value: unknown): value is INodeParameterResourceLocator =>
	typeof value === 'object' && value !== null && '__rl' in value;

/** What a record picker points at: a record's ID, or (By Purchase Order ID) the purchase order ID to look the order up by. */
export type Picked = { id: number } | { purchaseOrderId: string };

/**
 * What a record picker (resource locator) holds: an ID picked From List, typed By ID, read from a
 * URL (By URL: n8n extracts it with the mode's `extractValue`), a purchase order ID (By Purchase
 * Order ID), or plain text or an expression in the picker's place. An ID is checked as a positive
 * whole number; errors name the field as `label`.
 */
export function picked(input: ItemInput, name: string, label: string): Picked {
	const raw = input.param(name);
	const locator = isLocator(raw) ? raw : undefined;
	const text = input.requiredText(label, locator ? locator.value : raw);
	if (locator?.mode === 'purchaseOrderId') return { purchaseOrderId: text };
	if (locator?.mode === 'url') {
		let extracted: unknown;
		try {
			extracted = input.fn.getNodeParameter(name, input.itemIndex, undefined, { extractValue: true });
		} catch {
			extracted = undefined;
		}
		if (isBlank(extracted)) input.fail(label, `"${text}" is not a HelloTech order URL (one with /orders/<ID> in it)`);
		return { id: input.check(label, () => positiveInteger(extracted)) };
	}
	return { id: input.check(label, () => positiveInteger(text)) };
}

/** The ID a record picker holds (a picker without By Purchase Order ID). */
export function pickedId(input: ItemInput, name: string, label: string): number {
	const result = picked(input, name, label);
	if ('id' in result) return result.id;
	return input.fail(label, 'give the record by its ID');
}
