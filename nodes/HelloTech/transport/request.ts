import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiError, apiWords, Redactor, statusMeaning } from './errors';
import { Pacer } from './pacer';

export type ApiContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'helloTechApi';

/** Retry bounds. GETs are retried on transient failures; writes only where the server surely did not act. */
export const RETRY = {
	/** Attempts of one request that fails transiently (5xx, reset, timeout, refused connection). */
	maxAttempts: 5,
	backoffBaseMs: 250,
	backoffMaxMs: 4000,
	/** 429s one request may wait out, and the longest wait it accepts, in one and in total. */
	maxRateLimitWaits: 10,
	maxRateLimitWaitMs: 60_000,
	maxRateLimitTotalMs: 180_000,
	/** First wait after a 429 without Retry-After; doubles, with jitter. */
	rateLimitBackoffBaseMs: 1000,
};

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** What the path names, for a 404's message: "order 432873", "SKU 10639". */
	subject?: string;
	/** A POST that only asks a question (Check ZIP): retried like a GET. */
	idempotent?: boolean;
	/**
	 * For writes: what to tell the user when HelloTech may have acted without confirming it
	 * (a 5xx, a timeout, a reset connection, a garbled answer), e.g. which purchase order to check.
	 */
	ifUnconfirmed?: string;
}

export interface ClientOptions {
	maxConcurrent?: number;
	timeoutMs?: number;
}

type Outcome =
	| { kind: 'response'; startedAt: number; status: number; headers: IDataObject; text: string }
	| { kind: 'network'; startedAt: number; code: string; error: unknown };

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
]);

/** Connection failures where the request surely never reached HelloTech. */
const NOTHING_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN']);

function networkCode(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = String((error as Error)?.message ?? '');
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up|ECONNRESET/i.test(message)) return 'ECONNRESET';
	return 'UNKNOWN';
}

function networkMeaning(code: string, timeoutMs: number): string {
	switch (code) {
		case 'ECONNREFUSED':
			return 'HelloTech refused the connection';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection to HelloTech was reset';
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
			return `HelloTech did not answer within ${timeoutMs / 1000} s`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the Base URL host could not be found';
		default:
			return 'the request to HelloTech failed';
	}
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: IDataObject, now = Date.now()): number | undefined {
	const raw = headers['retry-after'] ?? headers['Retry-After'];
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.max(50, Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(50, date - now);
}

function backoff(attempt: number, baseMs: number, maxMs: number): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** For the error of a request that was retried: how many times it was tried before giving up. */
function gaveUp(attempts: number): string {
	return attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
}

function isWrite(method: IHttpRequestMethods): boolean {
	return method !== 'GET' && method !== 'HEAD';
}

/**
 * The one way this package talks to HelloTech. Every request goes through n8n's
 * `httpRequestWithAuthentication` (n8n's proxy, SSL and credential handling), paced by one
 * `Pacer` per node run, retried only where retrying cannot duplicate anything.
 */
export class HelloTechClient {
	readonly redactor = new Redactor();

	private constructor(
		private readonly fn: ApiContext,
		private readonly baseUrl: string,
		readonly pacer: Pacer,
		private readonly timeoutMs: number,
		private readonly credential: IAdditionalCredentialOptions,
	) {}

	static async connect(fn: ApiContext, options: ClientOptions = {}): Promise<HelloTechClient> {
		const credentials = await fn.getCredentials(CREDENTIAL_TYPE);
		const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		const reference = fn.getNode().credentials?.[CREDENTIAL_TYPE];
		const client = new HelloTechClient(
			fn,
			baseUrl,
			new Pacer(Math.max(1, Math.floor(options.maxConcurrent ?? 5)), Pacer.loggingTo(fn)),
			Math.max(1000, options.timeoutMs ?? 30_000),
			// The credential read once here is handed to every request: without it n8n reads (in n8n
			// itself: loads from the database and decrypts) the credential again for each request.
			{
				credentialsDecrypted: {
					id: reference?.id ?? '',
					name: reference?.name ?? CREDENTIAL_TYPE,
					type: CREDENTIAL_TYPE,
					data: credentials,
				},
			},
		);
		client.redactor.add(credentials.apiKey);
		if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) {
			throw apiError(fn.getNode(), client.redactor, {
				message: `The HelloTech API credential's Base URL "${baseUrl}" is not an http(s) address`,
				description: 'Set Base URL to https://apis.hellotech.com or the address HelloTech gave you.',
			});
		}
		return client;
	}

	/** Sends one API request; returns HelloTech's parsed JSON answer or throws a clean, redacted error. */
	async request(req: ApiRequest): Promise<unknown> {
		const write = isWrite(req.method) && !req.idempotent;
		let rateLimitWaits = 0;
		let rateLimitWaited = 0;
		for (let attempt = 1; ; attempt++) {
			const outcome = await this.send(req);
			const canRetry = attempt < RETRY.maxAttempts;

			if (outcome.kind === 'network') {
				if (outcome.code === 'ERR_CANCELED') throw outcome.error;
				const meaning = networkMeaning(outcome.code, this.timeoutMs);
				const nothingSent = NOTHING_SENT_CODES.has(outcome.code);
				if (TRANSIENT_NETWORK_CODES.has(outcome.code) && canRetry && (!write || nothingSent)) {
					await this.pauseBeforeRetry(req, attempt, meaning);
					continue;
				}
				if (write && !nothingSent && TRANSIENT_NETWORK_CODES.has(outcome.code)) {
					throw this.unconfirmed(req, meaning);
				}
				throw this.error(req, {
					message: `Could not reach HelloTech: ${meaning}${gaveUp(attempt)}`,
					description: `${req.method} ${this.baseUrl}${req.path} failed (${outcome.code}). Check the Base URL in the HelloTech API credential and your network.`,
				});
			}

			const { status, headers, text } = outcome;
			if (status === 429) {
				const wait =
					retryAfterMs(headers) ??
					backoff(rateLimitWaits + 1, RETRY.rateLimitBackoffBaseMs, RETRY.maxRateLimitWaitMs);
				rateLimitWaits++;
				rateLimitWaited += wait;
				if (
					wait > RETRY.maxRateLimitWaitMs ||
					rateLimitWaits > RETRY.maxRateLimitWaits ||
					rateLimitWaited > RETRY.maxRateLimitTotalMs
				) {
					throw this.error(req, {
						httpCode: 429,
						message: `HelloTech is rate limiting this API key and asked to wait ${Math.ceil(wait / 1000)} s more; gave up after ${rateLimitWaits} waits`,
						description: apiWords(parseJson(text)) ?? 'Lower Max Concurrent Requests or run the workflow later.',
					});
				}
				this.pacer.rateLimited(outcome.startedAt, wait);
				this.fn.logger?.debug(`HelloTech: 429 on ${req.method} ${req.path}, waiting ${wait} ms`);
				attempt--; // a 429 is the API's pace, not a failure of this request
				continue;
			}
			this.pacer.accept(outcome.startedAt);

			if (status >= 200 && status < 300) {
				if (text.trim() === '') return {};
				const body = parseJson(text);
				if (body !== undefined) return body;
				const meaning = 'HelloTech answered with a body that is not valid JSON';
				if (write) throw this.unconfirmed(req, meaning, status);
				if (canRetry) {
					await this.pauseBeforeRetry(req, attempt, meaning);
					continue;
				}
				throw this.error(req, { httpCode: status, message: `${meaning}${gaveUp(attempt)}` });
			}

			if (status >= 500) {
				if (!write && canRetry) {
					await this.pauseBeforeRetry(req, attempt, `HTTP ${status}`);
					continue;
				}
				if (write) throw this.unconfirmed(req, statusMeaning(status), status, text);
			}
			throw this.httpError(req, status, text, status >= 500 ? attempt : 1);
		}
	}

	private async send(req: ApiRequest): Promise<Outcome> {
		return await this.pacer.run(async (startedAt) => {
			const options: IHttpRequestOptions = {
				method: req.method,
				baseURL: this.baseUrl,
				url: req.path,
				qs: req.qs,
				arrayFormat: 'brackets',
				headers: { Accept: 'application/json' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				encoding: 'text',
				json: false,
				timeout: this.timeoutMs,
			};
			if (req.body !== undefined) {
				options.body = req.body;
				options.headers = { ...options.headers, 'Content-Type': 'application/json' };
			}
			try {
				const response = (await this.fn.helpers.httpRequestWithAuthentication.call(
					this.fn,
					CREDENTIAL_TYPE,
					options,
					this.credential,
				)) as IN8nHttpFullResponse;
				const body = response.body as unknown;
				const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
				return {
					kind: 'response',
					startedAt,
					status: response.statusCode,
					headers: (response.headers ?? {}) as IDataObject,
					text,
				};
			} catch (error) {
				return { kind: 'network', startedAt, code: networkCode(error), error };
			}
		});
	}

	private async pauseBeforeRetry(req: ApiRequest, attempt: number, reason: string): Promise<void> {
		const wait = backoff(attempt, RETRY.backoffBaseMs, RETRY.backoffMaxMs);
		this.fn.logger?.debug(`HelloTech: ${reason} on ${req.method} ${req.path}, retry ${attempt} in ${wait} ms`);
		await sleep(wait);
	}

	private httpError(req: ApiRequest, status: number, text: string, attempts = 1) {
		const words = apiWords(parseJson(text));
		if (status === 404 && req.subject) {
			const subject = req.subject.charAt(0).toUpperCase() + req.subject.slice(1);
			return this.error(req, {
				httpCode: status,
				message: `${subject} not found${words ? `: HelloTech says "${words}"` : ''}`,
				description: `${req.method} ${req.path} answered HTTP 404.`,
			});
		}
		const meaning = statusMeaning(status);
		if (status === 401) {
			return this.error(req, {
				httpCode: status,
				message: `${meaning} (HTTP 401)${words ? `: ${words}` : ''}`,
				description: 'Check the API key in the HelloTech API credential, and that its Base URL is the host the key belongs to.',
			});
		}
		return this.error(req, {
			httpCode: status,
			message: `${words ? `${meaning}: ${words}` : `${meaning} (HTTP ${status})`}${gaveUp(attempts)}`,
			description: `${req.method} ${req.path} answered HTTP ${status}.`,
		});
	}

	/** A write that HelloTech may have carried out without confirming it. Never retried. */
	private unconfirmed(req: ApiRequest, meaning: string, status?: number, text?: string) {
		const words = text ? apiWords(parseJson(text)) : undefined;
		const error = this.error(req, {
			httpCode: status,
			message: `${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}${words ? ` (${words})` : ''}; ${req.ifUnconfirmed ?? 'the request may have taken effect: check HelloTech before sending it again'}`,
			description:
				'This request changes data, so it was not retried: HelloTech may have carried it out before the failure, and sending it again could do it twice.',
		});
		error.context.outcomeUnknown = true;
		return error;
	}

	error(req: Pick<ApiRequest, 'itemIndex'>, details: { httpCode?: number; message: string; description?: string }) {
		return apiError(this.fn.getNode(), this.redactor, { ...details, itemIndex: req.itemIndex });
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
