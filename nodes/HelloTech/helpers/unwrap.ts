import type { IDataObject } from 'n8n-workflow';

/** HelloTech wraps records as `{ status, order }`, `{ status, orders }`...: the record itself, or the body when unwrapped. */
export function unwrap(body: unknown, key: string): IDataObject | IDataObject[] {
	if (body && typeof body === 'object' && !Array.isArray(body) && key in body) {
		return (body as IDataObject)[key] as IDataObject | IDataObject[];
	}
	return body as IDataObject;
}
