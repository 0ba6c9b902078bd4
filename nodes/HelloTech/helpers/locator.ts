import type { INodeParameterResourceLocator } from 'n8n-workflow';

import type { ItemInput } from './input';
import { positiveInteger } from './values';

const isLocator = (value: unknown): value is INodeParameterResourceLocator =>
	typeof value === 'object' && value !== null && '__rl' in value;

/**
 * The ID a record picker (resource locator) holds: picked From List, typed By ID, read from a URL
 * (By URL, with `urlPattern`), or given as plain text or an expression in the picker's place.
 * Checked as a positive whole number; errors name the field as `label`.
 */
export function pickedId(input: ItemInput, name: string, label: string, urlPattern?: string): number {
	const raw = input.param(name);
	const locator = isLocator(raw) ? raw : undefined;
	const text = input.requiredText(label, locator ? locator.value : raw);
	if (locator?.mode === 'url' && urlPattern) {
		const match = new RegExp(urlPattern).exec(text);
		if (!match) input.fail(label, `"${text}" is not a HelloTech order URL (one with /orders/<ID> in it)`);
		return input.check(label, () => positiveInteger(match[1]));
	}
	return input.check(label, () => positiveInteger(text));
}

