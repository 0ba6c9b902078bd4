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

import { apiError, apiWords, Redactor, RunStopped, statusMeaning } from './errors';
import { Pacer } from './pacer';

export type ApiContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'helloTechApi';

/** Retry bounds. GETs are retried on transient failures; writes only where the server surely did not act. */
export const RETRY = {
	/** Attempts of one request that fails transiently (5xx, reset, timeout, refused connection). */
	maxAttempts: 5,
	backoffBaseMs: 250,
	backoffMaxMs: 4000,
	/**
	 * A request's failed attempts and the pauses between them stop at this many Timeouts in total:
	 * a hung HelloTech fails a read after 2 × Timeout (1 minute by default), not 5. A later attempt
	 * gets only the time left (at least `minAttemptMs`).
	 */
	retryBudgetTimeouts: 2,
	minAttemptMs: 500,
	/** 429s one request may wait out; their total wait is bounded by the Max Rate Limit Wait option. */
	maxRateLimitWaits: 10,
	/** The default of Max Rate Limit Wait: the longest total wait for 429s per request. */
	defaultRateLimitWaitMs: 300_000,
	/** First wait after a 429 without Retry-After; doubles, with jitter, up to the max. */
	rateLimitBackoffBaseMs: 1000,
	rateLimitBackoffMaxMs: 60_000,
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
	/** The longest total time one request may wait as HelloTech's 429s ask (Max Rate Limit Wait). */
	maxRateLimitWaitMs?: number;
}

type Outcome =
	| { kind: 'response'; startedAt: number; finishedAt: number; status: number; headers: IDataObject; text: string }
	| { kind: 'network'; startedAt: number; finishedAt: number; code: string; error: unknown }
	| { kind: 'stopped' };

const STOPPED: Outcome = { kind: 'stopped' };

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
]);

/** The attempt ran out of its Timeout. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

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

/** Retry-After as seconds or an HTTP date: the seconds HelloTech asked for, and the wait in ms. */
export function retryAfter(headers: IDataObject, now = Date.now()): { seconds: number; ms: number } | undefined {
	const raw = headers['retry-after'] ?? headers['Retry-After'];
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return { seconds: Number(text), ms: Math.max(50, Number(text) * 1000) };
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return { seconds: Math.max(0, Math.ceil((date - now) / 1000)), ms: Math.max(50, date - now) };
}

function backoff(attempt: number, baseMs: number, maxMs: number): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Milliseconds as seconds for a message, to a tenth: "2", "0.5". */
const secondsText = (ms: number) => String(Math.round(ms / 100) / 10);

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** For the error of a request that was retried: how many times it was tried, and in how long when time ran out. */
function gaveUp(attempts: number, spentMs?: number): string {
	if (attempts <= 1) return '';
	return spentMs === undefined ? ` (gave up after ${attempts} attempts)` : ` (gave up after ${attempts} attempts in ${secondsText(spentMs)} s)`;
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

	/** Set by `halt`: no request starts any more. */
	private halted = false;

	private readonly haltListeners = new Set<() => void>();

	/** Requests sent or waiting for a slot or their pace. */
	private underWay = 0;

	/**
	 * The HelloTech account the run talks to: its Base URL and a fingerprint of its API key (never
	 * the key), so that what one account booked is not taken for another's.
	 */
	readonly account: string;

	private constructor(
		private readonly fn: ApiContext,
		private readonly baseUrl: string,
		readonly pacer: Pacer,
		private readonly timeoutMs: number,
		private readonly maxRateLimitWaitMs: number,
		private readonly credential: IAdditionalCredentialOptions,
	) {
		this.account = `${baseUrl} ${fingerprint(String(credential.credentialsDecrypted?.data?.apiKey ?? ''))}`;
	}

	/** Whether any request of this run is under way. */
	get busy(): boolean {
		return this.underWay > 0;
	}

	private readonly idleListeners = new Set<() => void>();

	/** Resolves once no request of this run is under way: none goes on after the node has returned. */
	async idle(): Promise<void> {
		if (this.underWay === 0) return;
		await new Promise<void>((resolve) => this.idleListeners.add(resolve));
	}

	static async connect(fn: ApiContext, options: ClientOptions = {}): Promise<HelloTechClient> {
		const credentials = await fn.getCredentials(CREDENTIAL_TYPE);
		const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		const reference = fn.getNode().credentials?.[CREDENTIAL_TYPE];
		const client = new HelloTechClient(
			fn,
			baseUrl,
			new Pacer(Math.max(1, Math.floor(options.maxConcurrent ?? 5)), Pacer.loggingTo(fn)),
			Math.max(1000, options.timeoutMs ?? 30_000),
			Math.max(0, options.maxRateLimitWaitMs ?? RETRY.defaultRateLimitWaitMs),
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

	/**
	 * Stops the run's requests: from now on none starts, also none waiting for a slot, for its pace
	 * or to be retried (each fails with `RunStopped`). Requests already sent finish. Called when an
	 * item fails without Continue On Fail.
	 */
	halt(): void {
		if (this.halted) return;
		this.halted = true;
		for (const listener of this.haltListeners) listener();
		this.haltListeners.clear();
	}

	private stopIfHalted(): void {
		if (this.halted) throw new RunStopped();
	}

	/** A promise that resolves when the run halts (never, if it does not); `dispose` forgets it. */
	private whenHalted(): { halted: Promise<void>; dispose: () => void } {
		let listener = () => {};
		const halted = new Promise<void>((resolve) => (listener = resolve));
		this.haltListeners.add(listener);
		return { halted, dispose: () => this.haltListeners.delete(listener) };
	}

	/** Sends one API request; returns HelloTech's parsed JSON answer or throws a clean, redacted error. */
	async request(req: ApiRequest): Promise<unknown> {
		const write = isWrite(req.method) && !req.idempotent;
		const budgetMs = RETRY.retryBudgetTimeouts * this.timeoutMs;
		let spentMs = 0; // on failed attempts and the pauses after them
		let rateLimitWaits = 0;
		let rateLimitWaitedMs = 0;
		/** After a 429: the request is not sent again before this time (ms since epoch). */
		let notBefore: number | undefined;

		for (let attempt = 1; ; attempt++) {
			const attemptTimeoutMs = Math.min(this.timeoutMs, Math.max(RETRY.minAttemptMs, budgetMs - spentMs));
			const outcome = await this.send(req, attemptTimeoutMs, notBefore);
			notBefore = undefined;
			if (outcome.kind === 'stopped') throw new RunStopped();

			/**
			 * After a transient failure: the pause before the next attempt, or undefined when the
			 * attempts or the time are used up (`outOfTime` then says which).
			 */
			let outOfTime = false;
			const retryPause = (failedMs: number): number | undefined => {
				spentMs += failedMs;
				const pause = backoff(attempt, RETRY.backoffBaseMs, RETRY.backoffMaxMs);
				if (attempt >= RETRY.maxAttempts) return undefined;
				if (spentMs + pause + RETRY.minAttemptMs > budgetMs) {
					outOfTime = true;
					return undefined;
				}
				return pause;
			};
			const gaveUpText = () => gaveUp(attempt, outOfTime ? spentMs : undefined);

			if (outcome.kind === 'network') {
				if (outcome.code === 'ERR_CANCELED') throw outcome.error;
				const meaning = networkMeaning(outcome.code, this.timeoutMs);
				const nothingSent = NOTHING_SENT_CODES.has(outcome.code);
				const transient = TRANSIENT_NETWORK_CODES.has(outcome.code);
				if (transient && (!write || nothingSent)) {
					const timedOut = TIMEOUT_CODES.has(outcome.code);
					const pause = retryPause(timedOut ? attemptTimeoutMs : outcome.finishedAt - outcome.startedAt);
					if (pause !== undefined) {
						await this.pauseBeforeRetry(req, attempt, meaning, pause);
						continue;
					}
				}
				if (write && !nothingSent && transient) throw this.unconfirmed(req, meaning);
				throw this.error(req, {
					message: `Could not reach HelloTech: ${meaning}${gaveUpText()}`,
					description: `${req.method} ${this.baseUrl}${req.path} failed (${outcome.code}). Check the Base URL in the HelloTech API credential and your network.`,
				});
			}

			const { status, headers, text } = outcome;
			const body = parseJson(text);
			this.redactor.learn(body);
			if (status === 429) {
				const asked = retryAfter(headers);
				const wait = asked?.ms ?? backoff(rateLimitWaits + 1, RETRY.rateLimitBackoffBaseMs, RETRY.rateLimitBackoffMaxMs);
				if (rateLimitWaits >= RETRY.maxRateLimitWaits || rateLimitWaitedMs + wait > this.maxRateLimitWaitMs) {
					throw this.error(req, {
						httpCode: 429,
						message: this.rateLimitMessage(rateLimitWaits, rateLimitWaitedMs, asked?.seconds),
						description:
							this.words(body) ??
							'Lower Max Concurrent Requests, raise Max Rate Limit Wait (Options), or run the workflow later.',
					});
				}
				rateLimitWaits++;
				rateLimitWaitedMs += wait;
				this.pacer.rateLimited(outcome.startedAt, wait, asked !== undefined);
				notBefore = outcome.finishedAt + wait;
				this.fn.logger?.debug(`HelloTech: 429 on ${req.method} ${req.path}, waiting ${wait} ms`);
				attempt--; // a 429 is the API's pace, not a failure of this request
				continue;
			}
			this.pacer.accept(outcome.startedAt);
			if (status >= 300 && status < 400 && isWrite(req.method)) throw this.redirected(req, status, headers);

			if (status >= 200 && status < 300) {
				if (text.trim() === '') return {};
				if (body !== undefined) return body;
				const meaning = 'HelloTech answered with a body that is not valid JSON';
				if (write) throw this.unconfirmed(req, meaning, status);
				const pause = retryPause(outcome.finishedAt - outcome.startedAt);
				if (pause !== undefined) {
					await this.pauseBeforeRetry(req, attempt, meaning, pause);
					continue;
				}
				throw this.error(req, { httpCode: status, message: `${meaning}${gaveUpText()}` });
			}

			if (status >= 500) {
				if (write) throw this.unconfirmed(req, statusMeaning(status), status, body);
				const pause = retryPause(outcome.finishedAt - outcome.startedAt);
				if (pause !== undefined) {
					await this.pauseBeforeRetry(req, attempt, `HTTP ${status}`, pause);
					continue;
				}
				throw this.httpError(req, status, body, gaveUpText());
			}
			throw this.httpError(req, status, body);
		}
	}

	/**
	 * The 429 message, exact: the waits made and what they took, and what HelloTech asked for
	 * (when it said: a 429 without Retry-After names no wait).
	 */
	private rateLimitMessage(waits: number, waitedMs: number, askedSeconds: number | undefined): string {
		const bound = `${secondsText(this.maxRateLimitWaitMs)} s per request`;
		const made = `${plural(waits, 'wait')} (${secondsText(waitedMs)} s)`;
		if (waits >= RETRY.maxRateLimitWaits) {
			const asks = askedSeconds === undefined ? '' : `; it asks to wait ${askedSeconds} s more`;
			return `HelloTech is still rate limiting this API key after ${made}${asks}`;
		}
		if (askedSeconds === undefined) {
			return waits === 0
				? `HelloTech is rate limiting this API key without saying how long to wait, and Max Rate Limit Wait allows ${bound}`
				: `HelloTech is still rate limiting this API key after ${made} without saying how long to wait, and Max Rate Limit Wait allows ${bound}`;
		}
		const after = waits === 0 ? '' : ` more after ${made}`;
		return `HelloTech is rate limiting this API key and asked to wait ${askedSeconds} s${after}, more than Max Rate Limit Wait allows (${bound})`;
	}

	/** HelloTech's own words from a parsed answer, with the values of secret-named fields redacted. */
	private words(body: unknown): string | undefined {
		return apiWords(this.redactor.redactAnswer(body));
	}

	private async send(req: ApiRequest, timeoutMs: number, notBefore?: number): Promise<Outcome> {
		this.stopIfHalted();
		let started = false;
		const sending = this.pacer.run(async (startedAt): Promise<Outcome> => {
			// Waiting for a slot or for the pace may end after the run halted: then nothing is sent.
			if (this.halted) return STOPPED;
			started = true;
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
				timeout: timeoutMs,
				// A redirect is followed with the body dropped and a POST turned into a GET (n8n does as
				// browsers do): a create would come back as the orders list, nothing created. Not followed.
				disableFollowRedirect: isWrite(req.method),
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
					finishedAt: Date.now(),
					status: response.statusCode,
					headers: (response.headers ?? {}) as IDataObject,
					text,
				};
			} catch (error) {
				return { kind: 'network', startedAt, finishedAt: Date.now(), code: networkCode(error), error };
			}
		}, notBefore);
		// A halt while this request still waits for the pacer ends the wait at once; one already sent is awaited.
		const { halted, dispose } = this.whenHalted();
		this.underWay++;
		try {
			return await Promise.race([sending, halted.then(async () => (started ? await sending : STOPPED))]);
		} finally {
			this.underWay--;
			dispose();
			if (this.underWay === 0) {
				for (const listener of this.idleListeners) listener();
				this.idleListeners.clear();
			}
		}
	}

	private async pauseBeforeRetry(req: ApiRequest, attempt: number, reason: string, pauseMs: number): Promise<void> {
		this.stopIfHalted();
		this.fn.logger?.debug(`HelloTech: ${reason} on ${req.method} ${req.path}, retry ${attempt} in ${pauseMs} ms`);
		const { halted, dispose } = this.whenHalted();
		try {
			await Promise.race([sleep(pauseMs), halted]);
		} finally {
			dispose();
		}
		this.stopIfHalted();
	}

	private httpError(req: ApiRequest, status: number, body: unknown, gaveUpText = '') {
		const words = this.words(body);
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
			message: `${words ? `${meaning}: ${words}` : `${meaning} (HTTP ${status})`}${gaveUpText}`,
			description: `${req.method} ${req.path} answered HTTP ${status}.`,
		});
	}

	/** A write answered with a redirect (not followed: see send): it reached no endpoint. Names the Base URL to use. */
	private redirected(req: ApiRequest, status: number, headers: IDataObject) {
		const request = `${this.baseUrl}${req.path}`;
		const raw = headers.location ?? headers.Location;
		let target: string | undefined;
		try {
			target = typeof raw === 'string' && raw.trim() !== '' ? new URL(raw.trim(), request).href : undefined;
		} catch {
			target = undefined;
		}
		const path = target?.split(/[?#]/)[0];
		const baseUrl = path?.endsWith(req.path) ? path.slice(0, -req.path.length) : undefined;
		return this.error(req, {
			httpCode: status,
			message: `HelloTech redirected ${req.method} ${req.path}${target ? ` to ${target}` : ''} (HTTP ${status}), so it was not sent: ${
				baseUrl ? `set the HelloTech API credential's Base URL to ${baseUrl}` : "check the HelloTech API credential's Base URL"
			}`,
			description: `${req.method} ${request} answered with a redirect. Following it would drop the request's body (a create would become a list read), so the node does not follow redirects for requests that change data; nothing was changed at HelloTech.`,
		});
	}

	/** A write that HelloTech may have carried out without confirming it. Never retried. */
	private unconfirmed(req: ApiRequest, meaning: string, status?: number, body?: unknown) {
		const words = body === undefined ? undefined : this.words(body);
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

/** Two 32-bit FNV-1a hashes of `text`, as hex: tells API keys apart without holding them. */
function fingerprint(text: string): string {
	let a = 0x811c9dc5;
	let b = 0x01000193;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		a = Math.imul(a ^ code, 0x01000193) >>> 0;
		b = Math.imul(b ^ code, 0x811c9dc5 | 1) >>> 0;
	}
	return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
