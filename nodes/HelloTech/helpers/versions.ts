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
