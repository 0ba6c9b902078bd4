import type { INode, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RATE_LIMIT } from '../api';

/** After a slowdown, the pace holds at least this long (plus up to half again, at random) before it rises. */
const HOLD_MS = 2000;
const HOLD_JITTER = 0.5;
/**
 * When a rise meets a 429 at about the same pace as the last one did (within a twentieth), the
 * limit is where it was: the hold doubles, up to this long, so that a run alone at its limit
 * stops paying for a refused request every few seconds.
 */
const MAX_HOLD_MS = 8000;
const SAME_LIMIT = 0.05;
/** A rise adds a tenth of the pace (at least one request per window); each further rise twice as much as the last. */
const FIRST_STEP = 0.1;
const STEP_GROWTH = 2;
/** One 429 at most halves the pace. */
const DEEPEST_CUT = 0.5;
/**
 * No request is aimed this close to the edge of a window (a fixed part plus a share of the
 * estimated time a request takes to reach HelloTech): it could count in either window there.
 */
const EDGE_MS = 5;
const EDGE_SHARE = 0.25;
/** How far one answer moves the estimate of the time a request takes to reach HelloTech. */
const DELAY_WEIGHT = 0.2;

/** A change of the pace of one node run, for n8n's debug log and the tests. */
export interface PaceChange {
	/** The requests per second the run may now start. */
	pace: number;
	/** 'slowed' after a 429, 'raised' after a window with no 429 in which the pace held the run back. */
	reason: 'slowed' | 'raised';
}

export interface PacerOptions {
	/** The clock, the timer and the dice; tests drive them. */
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
	onPaceChange?: (change: PaceChange) => void;
	/** The limiter's window (api.ts RATE_LIMIT). */
	windowMs?: number;
}

/**
 * Paces every request one node run sends to HelloTech.
 *
 * - At most `maxInFlight` requests are in flight at once, across all items.
 * - Until HelloTech first answers 429, nothing else holds requests back.
 * - HelloTech is taken to count an API key's requests in fixed windows aligned to the clock
 *   (api.ts RATE_LIMIT). A 429 pauses the run as its Retry-After asks, and from then on the run
 *   starts at most its quota of requests in each window, as fast as the in-flight bound allows,
 *   then waits for the next window. The quota is the number of this run's requests HelloTech took
 *   in the window it refused one: the whole limit for a run alone, its share of it when other runs
 *   use the same key. Each later 429 sets the quota the same way, at most halving it.
 * - The pace recovers: after a window with no 429 in which the quota held the run back, and at
 *   least two seconds (and a random bit) after the last 429's pause, the quota rises by a tenth,
 *   then by twice as much as the last time each further window (never more than doubling), until
 *   HelloTech refuses a request again. So a
 *   run takes over the share of runs that have finished instead of keeping the share it had. When
 *   rises keep meeting the same limit, the run waits longer (up to 8 s) before the next try.
 * - A 429 that tells nothing of this run's share (none of its requests was taken in that window
 *   before it, or the run only came back from a pause in the middle of the window) keeps the pace,
 *   and the run comes back at the start of a window after the pause: so runs that share a key meet
 *   at the start of each window, where each gets about the same number of requests through.
 * - A 429 for a request sent before the last one was answered is old news: it only pauses.
 */
export class Pacer {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	/** No request starts before this time (ms since epoch). Set by a 429. */
	private pausedUntil = 0;

	/** Requests the run may start in one window; undefined until HelloTech first refuses one. */
	private quota?: number;

	/** The window requests now count in (its index since the epoch) and how many started in it. */
	private window = -1;

	private startedInWindow = 0;

	/** When the last fresh 429 was answered; 0 while HelloTech never refused one. */
	private refusedAt = 0;

	/** The window that 429 counted in: the quota does not rise right after it. */
	private refusedWindow = -1;

	/** The quota does not rise before this time, and rises by `step` more than it last did. */
	private holdUntil = 0;

	private holdMs = HOLD_MS;

	private step = 0;

	/** What HelloTech took in the window of the last slowdown, and whether the quota rose since. */
	private lastLimit = 0;

	private raisedSince = false;

	/** Estimated time (ms) from sending a request to its arrival at HelloTech: half the round trip. */
	private delayMs = 0;

	private answered = false;

	/** Estimated arrival times at HelloTech of the requests it took, the last few windows' worth. */
	private readonly accepted: number[] = [];

	private readonly now: () => number;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly random: () => number;

	private readonly onPaceChange?: (change: PaceChange) => void;

	private readonly windowMs: number;

	constructor(
		readonly maxInFlight: number,
		options: PacerOptions = {},
	) {
		this.now = options.now ?? Date.now;
		this.sleep = options.sleep ?? sleep;
		this.random = options.random ?? Math.random;
		this.onPaceChange = options.onPaceChange;
		this.windowMs = options.windowMs ?? RATE_LIMIT.windowMs;
	}

	/** Options that write each change of the pace to n8n's debug log (N8N_LOG_LEVEL=debug), with the node and execution. */
	static loggingTo(fn: { logger?: Logger; getNode(): INode; getExecutionId(): string }): PacerOptions {
		return {
			onPaceChange: (change) =>
				fn.logger?.debug(`HelloTech: pace ${change.reason} to ${Math.round(change.pace * 10) / 10} requests/s`, {
					node: fn.getNode().name,
					executionId: fn.getExecutionId(),
					pace: change.pace,
					reason: change.reason,
				}),
		};
	}

	/** The requests per second the run is held to, or undefined while unpaced. */
	get pace(): number | undefined {
		return this.quota === undefined ? undefined : (this.quota * 1000) / this.windowMs;
	}

	/**
	 * Runs `send` when a slot is free and the pace allows. Returns what it returns; `startedAt`
	 * goes back to `accept` or `rateLimited` with the answer.
	 */
	async run<T>(send: (startedAt: number) => Promise<T>): Promise<T> {
		await this.takeSlot();
		try {
			const startedAt = await this.waitForTurn();
			return await send(startedAt);
		} finally {
			this.freeSlot();
		}
	}

	/** HelloTech took (did not refuse) the request sent at `startedAt`. */
	accept(startedAt = this.now()): void {
		const now = this.now();
		this.noteDelay(startedAt, now);
		this.accepted.push((startedAt + now) / 2);
		while (this.accepted.length > 0 && this.accepted[0] < now - 3 * this.windowMs) this.accepted.shift();
	}

	/** HelloTech refused the request sent at `startedAt` with 429 and asked to wait `waitMs`. */
	rateLimited(startedAt: number, waitMs: number): void {
		const now = this.now();
		this.noteDelay(startedAt, now);
		const resumeAt = now + waitMs;
		if (startedAt < this.refusedAt) {
			this.pausedUntil = Math.max(this.pausedUntil, resumeAt);
			return;
		}
		const lastResumed = this.pausedUntil;
		this.refusedAt = now;
		const arrival = (startedAt + now) / 2;
		const window = Math.floor(arrival / this.windowMs);
		const windowStart = window * this.windowMs;
		this.refusedWindow = window;
		this.step = 0;
		const took = this.accepted.filter((at) => at >= windowStart && at <= arrival).length;
		if (took > 0 && (this.quota === undefined || lastResumed <= windowStart)) {
			this.pausedUntil = Math.max(this.pausedUntil, resumeAt);
			const sameLimit = this.raisedSince && Math.abs(took - this.lastLimit) <= Math.max(1, this.lastLimit * SAME_LIMIT);
			this.holdMs = sameLimit ? Math.min(2 * this.holdMs, MAX_HOLD_MS) : HOLD_MS;
			this.lastLimit = took;
			this.raisedSince = false;
			const quota = this.quota === undefined ? took : Math.max(Math.min(took, this.quota - 1), Math.ceil(this.quota * DEEPEST_CUT));
			this.setQuota(Math.max(1, quota), 'slowed');
		} else {
			this.pausedUntil = Math.max(this.pausedUntil, this.nextWindowStart(resumeAt));
		}
		this.holdUntil = this.pausedUntil + this.holdMs * (1 + HOLD_JITTER * this.random());
	}

	private setQuota(quota: number, reason: PaceChange['reason']): void {
		this.quota = quota;
		this.onPaceChange?.({ pace: (quota * 1000) / this.windowMs, reason });
	}

	private noteDelay(startedAt: number, now: number): void {
		const delay = Math.max(0, now - startedAt) / 2;
		this.delayMs = this.answered ? this.delayMs + (delay - this.delayMs) * DELAY_WEIGHT : delay;
		this.answered = true;
	}

	private edgeMs(): number {
		return EDGE_MS + EDGE_SHARE * this.delayMs;
	}

	/** The first time from `time` on when a request sent reaches HelloTech just after a window began. */
	private nextWindowStart(time: number): number {
		const edge = this.edgeMs();
		return Math.ceil((time + this.delayMs - edge) / this.windowMs) * this.windowMs + edge - this.delayMs;
	}

	/** Called when the requests start counting in a new window: raises the quota where it is due. */
	private enterWindow(window: number, now: number): void {
		const quota = this.quota;
		if (
			quota !== undefined &&
			window === this.window + 1 &&
			this.startedInWindow >= quota &&
			this.refusedWindow !== this.window &&
			now >= this.holdUntil
		) {
			this.step = this.step > 0 ? this.step * STEP_GROWTH : Math.max(1, quota * FIRST_STEP);
			this.raisedSince = true;
			this.setQuota(quota + Math.min(quota, Math.ceil(this.step)), 'raised');
		}
		this.window = window;
		this.startedInWindow = 0;
	}

	private async takeSlot(): Promise<void> {
		if (this.inFlight < this.maxInFlight) {
			this.inFlight++;
			return;
		}
		// freeSlot hands its slot straight to the first waiter, so inFlight stays counted.
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private freeSlot(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.inFlight--;
	}

	private async waitForTurn(): Promise<number> {
		for (;;) {
			const now = this.now();
			if (now < this.pausedUntil) {
				await this.sleep(this.pausedUntil - now);
				continue;
			}
			if (this.refusedAt === 0) return now;
			const arrival = now + this.delayMs;
			const window = Math.floor(arrival / this.windowMs);
			const into = arrival - window * this.windowMs;
			const edge = this.edgeMs();
			if (into < edge || into > this.windowMs - edge) {
				const next = (into < edge ? window : window + 1) * this.windowMs + edge;
				await this.sleep(Math.max(1, next - arrival));
				continue;
			}
			if (window !== this.window) this.enterWindow(window, now);
			if (this.quota === undefined || this.startedInWindow < this.quota) {
				this.startedInWindow++;
				return now;
			}
			await this.sleep(Math.max(1, (window + 1) * this.windowMs + edge - arrival));
		}
	}
}
