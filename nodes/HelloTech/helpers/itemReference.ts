import type { IDataObject } from 'n8n-workflow';

/**
 * A parameter whose whole value is `{{ $json.name }}` (also `$json["a name"]`, `$json.a.b`,
 * `$json.list[0]`: what n8n's editor writes when a field of the input is dragged onto a
 * parameter) only reads a field of the item. Such a parameter is read from the item directly.
 *
 * Why: n8n 2.x evaluates every expression in an isolate, about 0.5 ms each, and a spreadsheet
 * row mapped field by field costs several per row: more than the request itself. Reading the
 * field gives the same value (`$json` is the item's JSON). Anything else, and any path that does
 * not lead through the item's own fields to an existing one, is left to n8n's expression engine.
 */
// An index only as JavaScript reads it as written: `[010]` is 8 there, so leading zeros go to n8n.
const REFERENCE = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*'|0|[1-9]\d*)\s*\])+)\s*\}\}$/;
const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)'|(0|[1-9]\d*))\s*\]/g;

/**
 * Names n8n's expression sandbox refuses to read (n8n-workflow's unsafe object properties): a
 * reference through one of them is left to n8n, which fails it as it always does.
 */
const REFUSED_BY_N8N = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

/** Parsed references by parameter text; a workflow has few distinct ones. */
const parsed = new Map<string, string[] | null>();
const MAX_PARSED = 1000;

/** The path of fields `raw` reads from the item, or undefined when it is anything else. */
export function itemReference(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string' || !raw.startsWith('={{')) return undefined;
	let path = parsed.get(raw);
	if (path === undefined) {
		const match = REFERENCE.exec(raw);
		path = match ? [...match[1].matchAll(SEGMENT)].map((segment) => segment[1] ?? segment[2] ?? segment[3] ?? segment[4]) : null;
		if (path?.some((key) => REFUSED_BY_N8N.has(key))) path = null;
		if (parsed.size >= MAX_PARSED) parsed.clear();
		parsed.set(raw, path);
	}
	return path ?? undefined;
}

/** Marks a reference n8n must evaluate itself. */
export const EVALUATE = Symbol('evaluate with n8n');

/**
 * The value `path` leads to in `json`, or EVALUATE when a step is not an own field of an object
 * or array (a missing field, a property of a text): then n8n's engine says what it means.
 */
export function readReference(json: IDataObject, path: string[]): unknown {
	let value: unknown = json;
	for (const key of path) {
		if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) {
			return EVALUATE;
		}
		value = (value as IDataObject)[key];
	}
	return value;
}
