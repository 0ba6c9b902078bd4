import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Whether a field of a HelloTech answer holds a secret, by its name: `client_secret`,
 * `ephemeral_key`, `secret`, `token`, `authentication_token`, `api_key`, `password` and the like,
 * in snake_case, camelCase or kebab-case.
 */
export function isSecretName(name: string): boolean {
	let secret = secretNames.get(name);
	if (secret === undefined) {
		const snake = name
			.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
			.replace(/[-\s]+/g, '_')
			.toLowerCase();
		secret = /(^|_)(secret|token|password|passwd|api_?key|ephemeral_key|private_key|credentials?)$/.test(snake);
		// Answers repeat the same few field names thousands of times: each is judged once.
		if (secretNames.size < 10_000) secretNames.set(name, secret);
	}
	return secret;
}

const secretNames = new Map<string, boolean>();

const SECRET_FIELD_IN_TEXT =
	/("?[A-Za-z0-9_-]*(?:secret|token|password|passwd|api[_-]?key|apiKey|ephemeral[_-]?key|private[_-]?key)"?\s*[:=]\s*)("[^"]*"|[^\s,;&"}]+)/gi;

/** The shortest secret the redactor takes: shorter values would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * The shortest value of a secret-named field it learns from an answer ("true", "1234" are not
 * secrets worth blanking everywhere). Error bodies have such fields' values redacted whatever
 * their length (`redactAnswer`).
 */
const MIN_LEARNED_LENGTH = 8;

/**
 * Secrets must never reach an error message or a log line: the API key, and the values of the
 * secret-named fields HelloTech's answers carry (the Stripe `client_secret` / `ephemeral_key` of
 * the client endpoints, a client's `authentication_token`...). The redactor learns them as the
 * answers arrive and replaces them by `[redacted]` wherever they appear; it also knows Stripe's
 * shapes, for a secret echoed before the answer that carries it has arrived.
 */
export class Redactor {
	/**
	 * The secrets learned, by their first characters (8 for most, 4 for shorter ones), so that
	 * cleaning is one pass over the text however many secrets a run learns (Get Many learns a token
	 * per order).
	 */
	private readonly byPrefix = new Map<number, Map<string, Set<string>>>([
		[MIN_LEARNED_LENGTH, new Map()],
		[MIN_SECRET_LENGTH, new Map()],
	]);

	private size = 0;

	/** Answers not read for secrets yet (see `learn`). */
	private readonly unread: unknown[] = [];

	add(secret: unknown): void {
		if (typeof secret === 'number' && Number.isFinite(secret)) secret = String(secret);
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
		const width = secret.length >= MIN_LEARNED_LENGTH ? MIN_LEARNED_LENGTH : MIN_SECRET_LENGTH;
		const index = this.byPrefix.get(width) as Map<string, Set<string>>;
		const prefix = secret.slice(0, width);
		const bucket = index.get(prefix) ?? new Set<string>();
		if (!bucket.has(secret)) this.size++;
		index.set(prefix, bucket.add(secret));
	}

	/** The longest secret that starts at `position` in `text`. */
	private secretAt(text: string, position: number): string | undefined {
		let found: string | undefined;
		for (const [width, index] of this.byPrefix) {
			if (position + width > text.length) continue;
			for (const secret of index.get(text.slice(position, position + width)) ?? []) {
				if ((found === undefined || secret.length > found.length) && text.startsWith(secret, position)) found = secret;
			}
		}
		return found;
	}

	/**
	 * Learns the values of every secret-named field in an answer (any depth). Lazily: the answers
	 * are read when something is to be cleaned, so a run without an error pays nothing for it (a
	 * Get Many's answers are its output anyway, so holding them costs no memory).
	 */
	learn(body: unknown): void {
		if (typeof body === 'object' && body !== null) this.unread.push(body);
	}

	private catchUp(): void {
		for (let body = this.unread.pop(); body !== undefined; body = this.unread.pop()) {
			walk(body, (key, value) => {
				if (!isSecretName(key)) return true;
				walk(value, (_, leaf) => {
					if ((typeof leaf === 'string' || typeof leaf === 'number') && String(leaf).length >= MIN_LEARNED_LENGTH) {
						this.add(leaf);
					}
					return true;
				});
				return false;
			});
		}
	}

	clean(text: string): string {
		this.catchUp();
		let result = text;
		if (this.size > 0 && result.length >= MIN_SECRET_LENGTH) {
			let out = '';
			let copied = 0;
			for (let i = 0; i <= result.length - MIN_SECRET_LENGTH; ) {
				const match = this.secretAt(result, i);
				if (match) {
					out += `${result.slice(copied, i)}[redacted]`;
					i += match.length;
					copied = i;
				} else {
					i++;
				}
			}
			result = out + result.slice(copied);
		}
		return result
			.replace(/\b(seti|pi|si)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/g, '[redacted]')
			.replace(/\bek_(test|live)_[A-Za-z0-9_]+/g, '[redacted]')
			.replace(SECRET_FIELD_IN_TEXT, (_, name: string, value: string) => `${name}${value.startsWith('"') ? '"[redacted]"' : '[redacted]'}`);
	}

	/** A copy of a parsed answer with every secret-named field's value replaced by "[redacted]". */
	redactAnswer(body: unknown): unknown {
		const copy = (value: unknown, depth: number): unknown => {
			if (depth > 20 || typeof value !== 'object' || value === null) return value;
			if (Array.isArray(value)) return value.map((entry) => copy(entry, depth + 1));
			return Object.fromEntries(
				Object.entries(value as Record<string, unknown>).map(([key, entry]) => [
					key,
					isSecretName(key) ? '[redacted]' : copy(entry, depth + 1),
				]),
			);
		};
		return copy(body, 0);
	}
}

/** Visits every field of a parsed answer, depth first; `visit` returns false to skip a field's inside. */
function walk(value: unknown, visit: (key: string, value: unknown) => boolean, depth = 0): void {
	if (depth > 20 || typeof value !== 'object' || value === null) {
		if (depth === 0) visit('', value);
		return;
	}
	if (Array.isArray(value)) {
		for (const entry of value) {
			if (typeof entry === 'object' && entry !== null) walk(entry, visit, depth + 1);
			else visit('', entry);
		}
		return;
	}
	const record = value as Record<string, unknown>;
	for (const key in record) {
		const entry = record[key];
		if (visit(key, entry) && typeof entry === 'object' && entry !== null) walk(entry, visit, depth + 1);
	}
}

/** The properties of an n8n error that hold the workflow's own objects, not text of ours. */
const NOT_CLEANED = new Set(['node']);

/**
 * Cleans every property of an error the node throws or outputs, in place: message, description,
 * stack, errorResponse, messages, context, cause (and its own), extra... and so its JSON form.
 * Needed when the run ends: an error may hold a secret that another item's answer taught the
 * redactor only after the error was made.
 */
export function cleanError<T extends Error>(error: T, redactor: Redactor): T {
	const seen = new WeakSet<object>();
	const cleanValue = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return redactor.clean(value);
		if (typeof value !== 'object' || value === null || depth > 10 || seen.has(value)) return value;
		seen.add(value);
		if (Array.isArray(value)) {
			value.forEach((entry, index) => (value[index] = cleanValue(entry, depth + 1)));
			return value;
		}
		const prototype = Object.getPrototypeOf(value) as unknown;
		if (!(value instanceof Error) && prototype !== Object.prototype && prototype !== null) return value; // sockets, buffers...
		for (const key of Object.getOwnPropertyNames(value)) {
			if (depth === 0 && NOT_CLEANED.has(key)) continue;
			const descriptor = Object.getOwnPropertyDescriptor(value, key);
			const settable = descriptor && ('value' in descriptor ? descriptor.writable : descriptor.set !== undefined);
			if (!settable) continue; // e.g. a stack only a getter serves
			const current = (value as Record<string, unknown>)[key];
			const cleaned = cleanValue(current, depth + 1);
			if (cleaned !== current) (value as Record<string, unknown>)[key] = cleaned;
		}
		return value;
	};
	cleanValue(error, 0);
	return error;
}

/**
 * A request that was not sent because the run had already stopped at another item's failure
 * (`HelloTechClient.halt`). Not a failure of its own item: that item simply did not run.
 */
export class RunStopped extends Error {
	constructor() {
		super('Not sent: the node stopped at an earlier failure');
		this.name = 'RunStopped';
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
