import type { INode, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RATE_LIMIT } from '../api';

/**
 * Until the first 429: the pace starts at this many requests a second and doubles every
 * RAMP_DOUBLING_MS; the ramps started at a second of the clock double every ALIGNED_DOUBLING_MS.
 * At most ALIGNED_RAMPS of those (while HelloTech takes none of them: the limit is still full).
 */
const RAMP_FROM = 20;
const RAMP_DOUBLING_MS = 100;
const ALIGNED_DOUBLING_MS = 200;
const ALIGNED_RAMPS = 3;
/** No slot is placed this close to either end of a second: a request there could count in either. */
const EDGE_MS = 10;
/** After a cut, the quota rises again after this many seconds (doubled, up to MAX_WAIT, while rises keep meeting 429s), plus as many again at random. */
const FIRST_WAIT = 1;
const MAX_WAIT = 4;
/** A 429 the run's own rise did not bring (other runs' did) takes this share off its quota. */
const PUSHED_CUT = 0.1;
/** How far one answer moves the estimate of the time a request takes to reach HelloTech. */
const DELAY_WEIGHT = 0.2;

/** A change of the pace of one node run, for n8n's debug log and the tests. */
export interface PaceChange {
	/** The requests per second the run may now start. */
	pace: number;
	/** 'slowed' after a 429 (and the first quota); 'raised' after a second in which the quota held the run back. */
	reason: 'slowed' | 'raised';
}

export interface PacerOptions {
	/** The clock, the timer and the dice; tests drive them. */
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
	/** Lets the tasks already due run (default: a zero sleep). */
	yieldTurn?: () => Promise<void>;
	random?: () => number;
	onPaceChange?: (change: PaceChange) => void;
}

/**
 * Paces every request one node run sends to HelloTech. Its rate limit is not published (api.ts
 * RATE_LIMIT): it may count requests in fixed one-second windows (Rails' rack-attack), over a
 * sliding window or in a token bucket, and other runs (other executions, other workers) may use
 * the same API key. Each run learns its share from HelloTech's answers alone:
 *
 * 1. **Ramp.** At most `maxInFlight` requests are in flight. Until HelloTech first answers 429,
 *    requests start evenly spaced at 20 a second, twice as many every 0.1 s: quick for a run
 *    alone, and runs started together meet the limit without a burst of refusals.
 * 2. **Quota.** Runs started a little apart have ramped unequally by then. So the first 429 makes
 *    the run ramp again from the start of the next second of the clock, as does every run that met
 *    the limit in the same second, side by side (doubling every 0.2 s); the first 429 of that ramp
 *    sets the run's quota: the requests HelloTech took of it since that ramp began, at most a
 *    second back (the whole limit for a run alone, its share of it when other runs use the key).
 *    (A ramp of which HelloTech takes nothing, the limit being still full, starts again at the
 *    next second, up to three times.) From then on, in each second of the clock (as requests reach
 *    HelloTech: the time sent plus half the round trip), the run starts at most its quota, at
 *    evenly spaced slots. So every window HelloTech counts, fixed or sliding, holds the same
 *    number of the run's requests, and the last request of a second is the latest for the run with
 *    the largest quota: when a second is one request too full, a fixed window refuses the largest
 *    quota first.
 * 3. **A 429** (for a request sent after the last slowdown), at most once a second: after the
 *    run's own rise, it takes one off the quota; else other runs' rises pushed the run out, and
 *    it takes a tenth off (the largest quotas are pushed out most: they give way fastest); and
 *    down to what HelloTech took of the run in the second before, if that was less (never below
 *    half). A second 429 within one second ends the run's second there. (No change in the
 *    second after the first quota: there a sliding window still echoes the ramp.) Each refused
 *    request waits as its Retry-After asks (`run`'s `notBefore`) and goes back in line.
 * 4. **Rises.** After a second in which the quota held the run back, the quota rises by one; a
 *    rise that met no 429 by the next second is followed at once by another, twice as big from
 *    the third on (so a run takes over the share of runs that have finished). After a 429, the
 *    quota rises again only after 1 s, 2 s or 4 s (doubling while its rises meet 429s) and as
 *    many seconds again at random, so that runs sharing a key rise in different seconds: each
 *    rise then pushes out the last requests of the largest quotas, and the runs even out. No
 *    rise when the run's remaining items would all start within two seconds at the quota
 *    (`itemsLeft`): a 429 there would only make the last item wait.
 * 5. A Retry-After longer than RATE_LIMIT.longWaitMs comes from a longer window (300 requests a
 *    minute, say): the run pauses as asked and its quota stays.
 */
export class Pacer {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	/** Refused requests waiting out their Retry-After before they go back in line, and who wants to know when one starts to. */
	private waitingOutCount = 0;

	private readonly waitingOutListeners = new Set<() => void>();

	/** The items of the run not started yet, when the caller says (see `itemsLeft`). */
	private itemsNotStarted = Infinity;

	/** No request starts before this time (ms since epoch): a long Retry-After's pause. */
	private pausedUntil = 0;

	/** Requests the run may start in one second; undefined while it ramps. */
	private quota?: number;

	/** The ramp: when it started, when the next request may start, how many ramps started at a second of the clock. */
	private rampStart: number;

	private rampNext = 0;

	private aligned = 0;

	/** When (on HelloTech's clock) the second the last aligned ramp started in began. */
	private rampSecondStart = -Infinity;

	/**
	 * The second (index since the epoch, on HelloTech's clock) requests now count in, the slots of
	 * it used, whether the quota held a request back in it and in the second before; the last
	 * second whose rise was decided.
	 */
	private second = -Infinity;

	private used = 0;

	private heldBack = false;

	private heldBackBefore = false;

	private decided = -Infinity;

	/** Nothing starts in the seconds up to this one. */
	private skipThrough = -Infinity;

	/** A 429 for a request sent before this time is old news. */
	private heldAt = -Infinity;

	/** The seconds of the first quota, of the last cut, of the last 429, of the last rise; the quota rises no sooner than `quietUntil`. */
	private firstSecond = -Infinity;

	private cutIn = -Infinity;

	private refusedIn = -Infinity;

	private raisedIn = -Infinity;

	private quietUntil = -Infinity;

	private wait = FIRST_WAIT;

	private step = 1;

	private cleanRises = 0;

	/** Estimated time (ms) from sending a request to its arrival at HelloTech: half the round trip. */
	private delayMs = 0;

	/** Estimated arrivals of the requests HelloTech took, the last two seconds' worth. */
	private readonly accepted: number[] = [];

	private readonly now: () => number;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly yieldTurn: () => Promise<void>;

	private readonly random: () => number;

	private readonly onPaceChange?: (change: PaceChange) => void;

	private readonly secondMs = RATE_LIMIT.windowMs;

	constructor(
		readonly maxInFlight: number,
		options: PacerOptions = {},
	) {
		this.now = options.now ?? Date.now;
		this.sleep = options.sleep ?? sleep;
		this.yieldTurn = options.yieldTurn ?? (async () => await sleep(0));
		this.random = options.random ?? Math.random;
		this.onPaceChange = options.onPaceChange;
		this.rampStart = this.now();
	}

	/** Options that write each change of the pace to n8n's debug log (N8N_LOG_LEVEL=debug), with the node and execution. */
	static loggingTo(fn: { logger?: Logger; getNode(): INode; getExecutionId(): string }): PacerOptions {
		return {
			onPaceChange: (change) =>
				fn.logger?.debug(`HelloTech: pace ${change.reason} to ${change.pace} requests/s`, {
					node: fn.getNode().name,
					executionId: fn.getExecutionId(),
					pace: change.pace,
					reason: change.reason,
				}),
		};
	}

	/** The requests per second the run is held to (its quota), or undefined while it ramps. */
	get pace(): number | undefined {
		return this.quota;
	}

	/** How many refused requests are waiting out their Retry-After (`run`'s `notBefore`) now. */
	get waitingOut(): number {
		return this.waitingOutCount;
	}

	/** Calls `listener` each time a refused request starts waiting out its Retry-After; returns what stops it. */
	onWaitingOut(listener: () => void): () => void {
		this.waitingOutListeners.add(listener);
		return () => this.waitingOutListeners.delete(listener);
	}

	/** The caller's items not started yet: the quota does not rise when they would all start within two seconds. */
	set itemsLeft(count: number) {
		this.itemsNotStarted = count;
	}

	/**
	 * Runs `send` when a slot is free and the pace allows, not before `notBefore` (when a refused
	 * request may be sent again). Returns what `send` returns; `startedAt` goes back to `accept` or
	 * `rateLimited` with the answer.
	 */
	async run<T>(send: (startedAt: number) => Promise<T>, notBefore?: number): Promise<T> {
		const wait = (notBefore ?? 0) - this.now();
		if (wait > 0) {
			this.waitingOutCount++;
			for (const listener of this.waitingOutListeners) listener();
			try {
				await this.sleep(wait);
			} finally {
				this.waitingOutCount--;
			}
		}
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
		while (this.accepted.length > 0 && this.accepted[0] < now - 2 * this.secondMs) this.accepted.shift();
	}

	/**
	 * HelloTech refused the request sent at `startedAt` with 429 and asked to wait `waitMs`
	 * (`asked` false: it named no wait, and `waitMs` is the node's own backoff).
	 */
	rateLimited(startedAt: number, waitMs: number, asked = true): void {
		const now = this.now();
		this.noteDelay(startedAt, now);
		if (asked && waitMs > RATE_LIMIT.longWaitMs) {
			// A longer window's 429: the run pauses as asked; its quota stays.
			this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
			return;
		}
		if (startedAt < this.heldAt) return;
		const arrival = (startedAt + now) / 2;
		const second = Math.floor(arrival / this.secondMs);
		const quota = this.quota;
		if (quota === undefined) {
			// What HelloTech took of the run since its ramp started (at most a second back).
			this.endRamp(second, this.tookBetween(Math.max(this.rampSecondStart, arrival - this.secondMs), arrival));
			return;
		}
		const took = this.tookBetween(arrival - this.secondMs, arrival);
		if (this.refusedIn === second) this.skipRestOf(second);
		this.refusedIn = second;
		if (second <= this.cutIn || second <= this.firstSecond + 1) return;
		this.cutIn = second;
		const ownRise = second - this.raisedIn <= 1;
		if (ownRise) this.wait = Math.min(MAX_WAIT, 2 * this.wait);
		this.step = 1;
		this.waitAfter(second);
		// A tenth off (one off with the odds of a tenth of the quota, for a small quota).
		const share = quota * PUSHED_CUT;
		const cut = ownRise ? 1 : Math.floor(share) + (this.random() < share - Math.floor(share) ? 1 : 0);
		if (cut === 0) return;
		this.setQuota(Math.max(1, Math.min(quota - cut, Math.max(took, Math.ceil(quota / 2)))), 'slowed');
	}

	/**
	 * A 429 ends a ramp. The first ramp (started whenever the run did) and one of which HelloTech
	 * took nothing in this second give way to a ramp from the start of the next second; else the
	 * quota is what HelloTech took of the run in this second.
	 */
	private endRamp(second: number, took: number): void {
		if (this.aligned === 0 || (took === 0 && this.aligned < ALIGNED_RAMPS)) {
			this.aligned++;
			this.rampSecondStart = (second + 1) * this.secondMs;
			this.rampStart = this.startOf(second + 1) + EDGE_MS;
			this.rampNext = this.rampStart;
			this.heldAt = this.rampStart;
			return;
		}
		this.skipRestOf(second);
		this.firstSecond = second;
		this.cutIn = second;
		this.waitAfter(second);
		this.setQuota(Math.max(1, took), 'slowed');
	}

	/** Nothing more starts in `second`; its 429s are old news. */
	private skipRestOf(second: number): void {
		this.skipThrough = Math.max(this.skipThrough, second);
		this.heldAt = Math.max(this.heldAt, this.startOf(second + 1));
	}

	/** After a 429 in `second`: no rise for `wait` seconds and as many again at random. */
	private waitAfter(second: number): void {
		this.quietUntil = second + 1 + this.wait + Math.floor(this.random() * (this.wait + 1));
	}

	/** When a request must be sent to reach HelloTech at the start of `second`. */
	private startOf(second: number): number {
		return second * this.secondMs - this.delayMs;
	}

	/** The run's requests HelloTech took that reached it after `from`, up to `to`. */
	private tookBetween(from: number, to: number): number {
		return this.accepted.filter((at) => at > from && at <= to).length;
	}

	private setQuota(quota: number, reason: PaceChange['reason']): void {
		this.quota = quota;
		this.onPaceChange?.({ pace: quota, reason });
	}

	private noteDelay(startedAt: number, now: number): void {
		const delay = Math.max(0, now - startedAt) / 2;
		this.delayMs = this.delayMs === 0 ? delay : this.delayMs + (delay - this.delayMs) * DELAY_WEIGHT;
	}

	/**
	 * Once the answers to the last second's requests are in: the quota rises if it held the run
	 * back in the last second, the run has waited since its last 429 and has items enough left.
	 */
	private decideRise(second: number): void {
		this.decided = second;
		const quota = this.quota as number;
		if (!this.heldBackBefore || second < this.quietUntil || this.itemsNotStarted < 2 * quota) return;
		// A rise last second that met no 429: another at once, twice as big from the third on.
		const clean = this.raisedIn === second - 1 && this.cutIn < this.raisedIn;
		this.cleanRises = clean ? this.cleanRises + 1 : 0;
		this.step = this.cleanRises >= 2 ? Math.min(2 * this.step, quota) : 1;
		if (clean) this.wait = FIRST_WAIT;
		this.raisedIn = second;
		this.quietUntil = second + 1;
		this.setQuota(quota + this.step, 'raised');
	}

	private async takeSlot(): Promise<void> {
		if (this.inFlight < this.maxInFlight) {
			this.inFlight++;
			return;
		}
		// freeSlot hands its slot straight to the first waiter, so inFlight stays counted. The waiter
		// goes on only after what the answer that freed the slot set off (a failed item halting the
		// run, say) has run.
		await new Promise<void>((resolve) => this.waiting.push(resolve));
		await this.yieldTurn();
	}

	private freeSlot(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.inFlight--;
	}

	/** Waits until the pace lets a request start; returns when it did. */
	private async waitForTurn(): Promise<number> {
		for (;;) {
			const now = this.now();
			const next = this.nextStart(now);
			if (next <= now) return now;
			this.heldBack = true;
			await this.sleep(Math.max(1, next - now));
		}
	}

	/** `now` when a request may start now (and takes its slot), else the time to look again. */
	private nextStart(now: number): number {
		if (now < this.pausedUntil) return this.pausedUntil;
		const quota = this.quota;
		if (quota === undefined) {
			if (now < this.rampNext) return this.rampNext;
			const rate = RAMP_FROM * 2 ** (Math.max(0, now - this.rampStart) / (this.aligned > 0 ? ALIGNED_DOUBLING_MS : RAMP_DOUBLING_MS));
			this.rampNext = now + 1000 / rate;
			return now;
		}
		const arrival = now + this.delayMs;
		const second = Math.floor(arrival / this.secondMs);
		if (second !== this.second) {
			this.second = second;
			this.used = 0;
			this.heldBackBefore = this.heldBack;
			this.heldBack = false;
		}
		// The rise is decided once the last second's last request has had time to be answered.
		if (this.decided < second && arrival >= second * this.secondMs + EDGE_MS + 2 * this.delayMs) this.decideRise(second);
		if (second <= this.skipThrough) return this.startOf(second + 1);
		// The slots: the middles of `quota` equal parts of the second, between its edges. A slot
		// already past is lost; one due within half a millisecond is taken.
		const quotaNow = this.quota as number;
		const part = (this.secondMs - 2 * EDGE_MS) / quotaNow;
		const first = second * this.secondMs + EDGE_MS + part / 2;
		const slot = Math.max(this.used, Math.ceil((arrival - first) / part - 0.5));
		if (slot >= quotaNow) return this.startOf(second + 1);
		const slotAt = first + slot * part;
		if (arrival < slotAt - 0.5) return slotAt - this.delayMs;
		this.used = slot + 1;
		return now;
	}
}
