import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Secrets must never reach an error message or a log line: the API key, and the Stripe
 * `client_secret` / `ephemeral_key` values the client endpoints return.
 */
export class Redactor {
	private readonly secrets = new Set<string>();

	add(secret: unknown): void {
		if (typeof secret === 'string' && secret.length >= 4) this.secrets.add(secret);
	}

	clean(text: string): string {
		let result = text;
		for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
		return result
			.replace(/\b(seti|pi|si)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/g, '[redacted]')
			.replace(/\bek_(test|live)_[A-Za-z0-9_]+/g, '[redacted]')
			.replace(
				/("?(?:client_secret|ephemeral_key|api[_-]?key|authentication_token)"?\s*[:=]\s*)"[^"]*"/gi,
				'$1"[redacted]"',
			);
	}
}

export const itemSuffix = (itemIndex: number | undefined) =>
	itemIndex === undefined ? '' : ` [item ${itemIndex}]`;

/** Bad input: names the field (as the UI labels it) and the item. Never sent to the API. */
export function invalidField(
	node: INode,
	itemIndex: number | undefined,
	field: string,
	problem: string,
	description?: string,
): NodeOperationError {
	const error = new NodeOperationError(node, `${field}: ${problem}${itemSuffix(itemIndex)}`, {
		itemIndex,
		description,
	});
	// Validate Only reports a bad field as a problem { field, message } instead of failing.
	Object.assign(error.context, { field, problem });
	return error;
}

/**
 * Reads HelloTech's own words from an error body. The backend reads as a Rails app: `errors` as a
 * list of strings or as `{ field: [messages] }`, `error` as a string or `{ message }`, `message`.
 */
export function apiWords(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const record = body as Record<string, unknown>;
	const words: string[] = [];
	const add = (value: unknown, field?: string) => {
		if (typeof value === 'string' && value.trim()) {
			words.push(field && !value.toLowerCase().startsWith(field.toLowerCase()) ? `${field} ${value}` : value);
		} else if (Array.isArray(value)) {
			for (const entry of value) add(entry, field);
		} else if (typeof value === 'object' && value !== null) {
			const inner = value as Record<string, unknown>;
			if (typeof inner.message === 'string') add(inner.message, field ?? (inner.field as string));
			else for (const [key, entry] of Object.entries(inner)) add(entry, key);
		}
	};
	add(record.errors);
	add(record.error);
	if (words.length === 0) add(record.message);
	const unique = [...new Set(words)];
	return unique.length ? unique.join('; ') : undefined;
}

export interface ApiErrorDetails {
	httpCode?: number;
	message: string;
	description?: string;
	itemIndex?: number;
}

/** An API-side failure, in HelloTech's words, with no request or response object attached. */
export function apiError(node: INode, redactor: Redactor, details: ApiErrorDetails): NodeApiError {
	const message = redactor.clean(details.message) + itemSuffix(details.itemIndex);
	const description = details.description ? redactor.clean(details.description) : undefined;
	const httpCode = details.httpCode === undefined ? undefined : String(details.httpCode);
	const error = new NodeApiError(node, { message, description, httpCode } as JsonObject, {
		message,
		description,
		httpCode,
		itemIndex: details.itemIndex,
	});
	return error;
}

/** What each status means for the user, where HelloTech's body says nothing. */
export function statusMeaning(status: number): string {
	if (status === 400) return 'HelloTech rejected the request as invalid';
	if (status === 401) return 'HelloTech refused the API key';
	if (status === 403) return 'HelloTech does not allow this API key to do that';
	if (status === 404) return 'HelloTech found no such record';
	if (status === 422) return 'HelloTech could not accept the data';
	if (status === 429) return 'HelloTech is rate limiting this API key';
	if (status >= 500) return `HelloTech failed to process the request (HTTP ${status})`;
	return `HelloTech answered HTTP ${status}`;
}
