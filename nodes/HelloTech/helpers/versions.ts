import type { IDisplayOptions } from 'n8n-workflow';

/**
 * The HelloTech node's versions. A parameter that old workflows would read differently lives only
 * in the version that introduced it; the others keep theirs. Shown per version with these
 * display options (merged into a field's own `displayOptions`).
 */
export const LATEST_VERSION = 2;

/** Only in version 1 (workflows saved before version 2). */
export const onlyV1: IDisplayOptions = { show: { '@version': [1] } };

/** From version 2 on. */
export const fromV2: IDisplayOptions = { show: { '@version': [{ _cnd: { gte: 2 } }] } };

/**
 * As an AI Agent tool ("HelloTech Tool", the twin n8n makes of a node that is `usableAsTool`) or
 * not. `@tool` is n8n's own display condition for this: the node type's name ends in "Tool".
 */
export const asTool: IDisplayOptions = { show: { '@tool': [true] } };
export const notAsTool: IDisplayOptions = { show: { '@tool': [false] } };

/** Display options that hold when all of `options` hold (their `show` conditions merged). */
export function allOf(...options: IDisplayOptions[]): IDisplayOptions {
	return { show: Object.assign({}, ...options.map((option) => option.show)) };
}
