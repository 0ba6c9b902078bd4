import type { INode, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RATE_LIMIT } from '../api';

/** Smooth: a 429 takes a tenth off the pace, or undoes the rise that met it; never more than half (both modes). */
const SMOOTH_CUT = 0.9;
const DEEPEST_CUT = 0.5;
/** Smooth, once fixed windows are disproven: a rise adds a twentieth of the highest pace so far (at least one request a window). */
const SMOOTH_FIRST_STEP = 0.05;
/** Smooth: after a 429, one request starts per eighth of a window until HelloTech takes one again. */
const PROBE_SHARE = 1 / 8;
/** The test of fixed windows: a pace of a fiftieth (at least one request) a window more than HelloTech took. */
const TEST_STEP = 0.02;
/** Fixed windows are taken as proven by this many windows that refused the run to their end and took it at the next. */
const PROOFS = 2;
/** Windows: after a slowdown the pace holds at least this long (plus up to half again, at random) before it rises. */
const HOLD_MS = 2000;
const HOLD_JITTER = 0.5;
/** Windows: a rise that meets the limit the last one met (within a twentieth) doubles the hold, up to this long. */
const MAX_HOLD_MS = 8000;
const SAME_LIMIT = 0.05;
/** A rise adds a tenth of the quota (at least one request), each further rise twice as much as the last. */
const FIRST_STEP = 0.1;
const STEP_GROWTH = 2;
/**
 * No request is aimed this close to the edge of a window (a fixed part plus a share of the
 * estimated time a request takes to reach HelloTech): it could count in either window there.
 */
const EDGE_MS = 5;
const EDGE_SHARE = 0.25;
/** How far one answer moves the estimates of the time a request takes to reach HelloTech and of its spread. */
const DELAY_WEIGHT = 0.2;

/** How a run spends its pace: see the Pacer. */
export type PaceMode = 'smooth' | 'windows';

/** A change of the pace of one node run, for n8n's debug log and the tests. */
export interface PaceChange {
	/** The requests per second the run may now start. */
	pace: number;
	/**
	 * 'slowed' after a 429 (and the first pace); 'raised' after a window in which the pace held the
	 * run back without a 429; 'windows' when HelloTech proved to count in fixed windows;
	 * 'spread' when it proved not to (the pace itself is unchanged).
	 */
	reason: 'slowed' | 'raised' | 'windows' | 'spread';
	mode: PaceMode;
}

export interface PacerOptions {
	/** The clock, the timer and the dice; tests drive them. */
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
	/** Lets the tasks already due run (default: a zero sleep). */
	yieldTurn?: () => Promise<void>;
	random?: () => number;
	onPaceChange?: (change: PaceChange) => void;
	/** The limiter's window (api.ts RATE_LIMIT). */
	windowMs?: number;
}

/** One answer of HelloTech: when its request was sent and answered, its estimated arrival, whether it was taken. */
interface Answer {
	sentAt: number;
	answeredAt: number;
	arrival: number;
	taken: boolean;
}

/**
 * Paces every request one node run sends to HelloTech. Its rate limit is not published (api.ts
 * RATE_LIMIT): it may count requests in fixed windows aligned to the clock (Rails' rack-attack),
 * over a sliding window, or in a token bucket (nginx, API gateways), per second or per minute.
 * The pace learns which from HelloTech's 429s.
 *
 * - At most `maxInFlight` requests are in flight at once, across all items.
 * - Until HelloTech first answers 429, nothing else holds requests back. A first 429 with none of
 *   the run's requests taken in the second before it tells nothing (other runs had the limit):
 *   the run comes back at the start of the next window, still unpaced (its refused requests wait
 *   out their Retry-After). Refused there again with nothing taken (a sliding window or a token
 *   bucket that the other runs keep empty), it paces smoothly from one request an eighth of a
 *   window, doubling each window until a 429 says more, instead of bursting again.
 * - The pace is a quota of requests per one-second window: at first what HelloTech took of the
 *   run in the second before its first 429 (the whole limit for a run alone, its share when
 *   other runs use the same key), and one in fifty more, a test of fixed windows.
 * - **Smooth** (from the first 429 until fixed windows are proven): requests start evenly
 *   spaced, one every window / quota. A refused request waits as its Retry-After asks (`run`'s
 *   `notBefore`) while the run's other requests go on at the pace; until HelloTech takes one of
 *   those again, one starts per eighth of a window, and one at the very start of the next
 *   window. A 429 takes a tenth off the pace, or undoes the rise that met it (once fixed windows
 *   are disproven, it also brings it down to about what HelloTech took of the run in the window
 *   before, if that was less), never more than halving it, at most once a window; a
 *   Retry-After of two seconds or more (a slow bucket) caps the pace at one request per
 *   Retry-After. The pace rises after a whole window at it in which it held the run back without
 *   a 429: by a tenth, then by twice as much as the last rise each window; once fixed windows are
 *   disproven, it first doubles each window until a rise meets a 429, then rises by a twentieth
 *   of the highest pace, twice as much each further window. So a run takes over the share of
 *   runs that have finished.
 * - Fixed windows are **proven** when a window refuses the run from a 429 to its end (its
 *   requests kept reaching HelloTech until within an eighth of a window of the end) and the next
 *   window takes its first request, twice; and **disproven** for good by a request taken that
 *   reached HelloTech after one it refused, in the same window, which no fixed window does (a
 *   sliding window or a token bucket, where bursts at the start of a window are refused).
 * - **Windows** (once proven): the run starts its quota at the start of each window, as fast as
 *   the in-flight bound allows, and pauses as each 429's Retry-After asks; runs sharing a key
 *   meet at the start of each window, where each gets about the same number through. A 429 sets
 *   the quota to what HelloTech took of the run in its window, at most halving it (one that
 *   tells nothing of its share, as after coming back in the middle of a window, keeps it and
 *   brings the run back at a window's start). The quota rises by a tenth, then by twice as much
 *   each window, two seconds or more after the last 429's pause (up to 8 s while rises keep
 *   meeting the same limit).
 * - A Retry-After longer than RATE_LIMIT.longWaitMs comes from a longer window (300 requests a
 *   minute, say): the run pauses as asked and its pace stays.
 * - A 429 for a request sent before the last one was answered is old news: it does not change
 *   the pace.
 */
export class Pacer {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	/** Refused requests waiting out their Retry-After before they go back in line, and who wants to know when one starts to. */
	private waitingOutCount = 0;

	private readonly waitingOutListeners = new Set<() => void>();

	/** No request starts before this time (ms since epoch): a pause for a long 429, or any 429 in windows mode. */
	private pausedUntil = 0;

	/** Requests the run may start in one window; undefined until HelloTech first refuses one. */
	private quota?: number;

	private mode: PaceMode = 'smooth';

	/** HelloTech took a request that reached it after one it refused in the same window: not fixed windows. */
	private notFixed = false;

	/** Windows refused to their end and open at the next, seen so far. */
	private proofs = 0;

	/** Smooth: the earliest start of the next request. */
	private nextStartAt = 0;

	/** Smooth: probing after a 429, until HelloTech takes a request again; when the last cut was. */
	private afterRefusal = false;

	private cutAt = -Infinity;

	/** Unpaced: a 429 that told nothing (none of the run taken) brought the run back at a window's start. */
	private cameBack = false;

	/** Smooth: doubling the pace each window until the next 429. */
	private slowStart = false;

	/** Smooth: the window of the last fresh 429 and its latest refusal, for the proof of fixed windows. */
	private episode?: { window: number; lastRefused: number };

	/** Smooth: when the pace last changed, and whether it held a request back since. */
	private changedAt = 0;

	private heldSince = false;

	/** The window requests now count in (its index since the epoch), how many started in it, and whether the pace held one back. */
	private window = -1;

	private startedInWindow = 0;

	private heldBack = false;

	/** When the last fresh 429 was answered (0: never), and the window it counted in. */
	private refusedAt = 0;

	private refusedWindow = -1;

	/** The pace does not rise before this time, and rises by `step` more than it last did. */
	private holdUntil = 0;

	private holdMs = HOLD_MS;

	private step = 0;

	/** Windows: the limit met at the last slowdown. Both: whether the pace rose since, from what, and the highest pace so far. */
	private lastLimit = 0;

	private raisedSince = false;

	private beforeRise = 0;

	private peak = 0;

	/** Estimated time (ms) from sending a request to its arrival at HelloTech (half the round trip), and its spread. */
	private delayMs = 0;

	private spreadMs = 0;

	private answered = false;

	/** Estimated arrivals of the requests HelloTech took, the last few windows' worth. */
	private readonly accepted: number[] = [];

	/** The answers of the last two windows or so: evidence of how HelloTech counts. */
	private readonly answers: Answer[] = [];

	private readonly now: () => number;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly yieldTurn: () => Promise<void>;

	private readonly random: () => number;

	private readonly onPaceChange?: (change: PaceChange) => void;

	private readonly windowMs: number;

	constructor(
		readonly maxInFlight: number,
		options: PacerOptions = {},
	) {
		this.now = options.now ?? Date.now;
		this.sleep = options.sleep ?? sleep;
		this.yieldTurn = options.yieldTurn ?? (async () => await sleep(0));
		this.random = options.random ?? Math.random;
		this.onPaceChange = options.onPaceChange;
		this.windowMs = options.windowMs ?? RATE_LIMIT.windowMs;
	}

	/** Options that write each change of the pace to n8n's debug log (N8N_LOG_LEVEL=debug), with the node and execution. */
	static loggingTo(fn: { logger?: Logger; getNode(): INode; getExecutionId(): string }): PacerOptions {
		return {
			onPaceChange: (change) =>
				fn.logger?.debug(
					`HelloTech: pace ${change.reason} to ${Math.round(change.pace * 10) / 10} requests/s (${change.mode === 'windows' ? 'from the start of each second' : 'evenly spaced'})`,
					{
						node: fn.getNode().name,
						executionId: fn.getExecutionId(),
						pace: change.pace,
						reason: change.reason,
						mode: change.mode,
					},
				),
		};
	}

	/** The requests per second the run is held to, or undefined while unpaced. */
	get pace(): number | undefined {
		return this.quota === undefined ? undefined : (this.quota * 1000) / this.windowMs;
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

	/** 'smooth' (evenly spaced) or 'windows' (a quota from the start of each window, once fixed windows were proven). */
	get paceMode(): PaceMode {
		return this.mode;
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
		const arrival = (startedAt + now) / 2;
		this.accepted.push(arrival);
		while (this.accepted.length > 0 && this.accepted[0] < now - 3 * this.windowMs) this.accepted.shift();
		if (startedAt >= this.refusedAt) this.afterRefusal = false;
		this.noteAnswer({ sentAt: startedAt, answeredAt: now, arrival, taken: true });
	}

	/**
	 * HelloTech refused the request sent at `startedAt` with 429 and asked to wait `waitMs`
	 * (`asked` false: it named no wait, and `waitMs` is the node's own backoff).
	 */
	rateLimited(startedAt: number, waitMs: number, asked = true): void {
		const now = this.now();
		this.noteDelay(startedAt, now);
		const arrival = (startedAt + now) / 2;
		this.noteAnswer({ sentAt: startedAt, answeredAt: now, arrival, taken: false });
		const resumeAt = now + waitMs;
		const fresh = startedAt >= this.refusedAt;
		if (asked && waitMs > RATE_LIMIT.longWaitMs) {
			// A longer window's 429: the run pauses as asked; the pace per second stays.
			if (fresh) this.refusedAt = now;
			this.pausedUntil = Math.max(this.pausedUntil, resumeAt);
			return;
		}
		if (!fresh) {
			// (Unpaced, the run's other requests need not wait for this one: see the first 429 below.)
			if (this.mode === 'windows') this.pausedUntil = Math.max(this.pausedUntil, resumeAt);
			return;
		}
		const lastResumed = this.pausedUntil;
		this.refusedAt = now;
		const window = Math.floor(arrival / this.windowMs);
		this.refusedWindow = window;
		if (this.mode === 'windows') {
			this.windowsRefused(arrival, resumeAt, lastResumed);
			return;
		}
		const quota = this.quota;
		if (quota === undefined) {
			const took = this.tookSince(arrival - this.windowMs, arrival);
			if (took === 0 && !this.cameBack) {
				// Nothing of the run was taken: this tells nothing of its share (others had the limit). The
				// run comes back at the start of the next window, still unpaced: a fixed window is new there.
				// (The refused requests themselves wait out their Retry-After.)
				this.cameBack = true;
				this.pausedUntil = Math.max(this.pausedUntil, this.nextWindowStart(now));
				return;
			}
			if (took === 0) {
				// Refused again with nothing taken, at the start of a window: not a fixed window that others
				// filled at its start, or not only. Bursts meet a sliding window or an empty token bucket
				// again: the run probes, one request an eighth of a window, doubling each window until a 429
				// says more.
				this.setQuota(1 / PROBE_SHARE, 'slowed');
				this.slowStart = true;
			} else {
				// What HelloTech took of the run in the last window, and a little more: a test for fixed windows.
				this.setQuota(took + this.testStep(took), 'slowed');
				this.slowStart = this.notFixed;
			}
			this.cutAt = now;
		} else if (now - this.cutAt < this.windowMs) {
			// The pace was cut less than a window ago.
			this.episode ??= { window, lastRefused: arrival };
			return;
		} else {
			this.cutAt = now;
			// A tenth off, or back to before the last rise. Once fixed windows are disproven, also no more
			// than HelloTech took of the run in the last window (and a little more), when the run sent
			// fewer than its pace allowed. (Before, runs that share fixed windows take what they meet
			// there, more or less than their pace: cutting each to its take would favour the lucky.)
			const took = this.tookSince(arrival - this.windowMs, arrival);
			const cut = this.raisedSince ? this.beforeRise : quota * SMOOTH_CUT;
			const limit = this.notFixed ? Math.min(cut, took + this.testStep(took)) : cut;
			if (this.raisedSince) this.slowStart = false;
			this.raisedSince = false;
			this.setQuota(Math.max(Math.min(1, quota), limit, quota * DEEPEST_CUT), 'slowed');
		}
		// A Retry-After of whole seconds more than one: HelloTech frees a request that seldom (a slow token bucket).
		if (asked && waitMs >= 2 * this.windowMs && (this.quota as number) > this.windowMs / waitMs) this.setQuota(this.windowMs / waitMs, 'slowed');
		this.step = 0;
		this.afterRefusal = true;
		this.holdUntil = now + this.windowMs;
		this.episode = { window, lastRefused: arrival };
	}

	/** Windows: a fresh 429 sets the quota to what HelloTech took of the run in its window, unless that tells nothing. */
	private windowsRefused(arrival: number, resumeAt: number, lastResumed: number): void {
		const quota = this.quota as number;
		const windowStart = Math.floor(arrival / this.windowMs) * this.windowMs;
		const took = this.tookSince(windowStart - 1e-3, arrival);
		this.step = 0;
		if (took > 0 && lastResumed <= windowStart) {
			this.pausedUntil = Math.max(this.pausedUntil, resumeAt);
			const sameLimit = this.raisedSince && Math.abs(took - this.lastLimit) <= Math.max(1, this.lastLimit * SAME_LIMIT);
			this.holdMs = sameLimit ? Math.min(2 * this.holdMs, MAX_HOLD_MS) : HOLD_MS;
			this.lastLimit = took;
			this.raisedSince = false;
			this.setQuota(Math.max(1, Math.min(took, quota - 1), Math.ceil(quota * DEEPEST_CUT)), 'slowed');
		} else {
			// None of the run's requests was taken in this window before it, or the run came back in
			// the middle of it: this tells nothing of its share. Come back at the start of a window.
			this.pausedUntil = Math.max(this.pausedUntil, this.nextWindowStart(resumeAt));
		}
		this.holdUntil = this.pausedUntil + this.holdMs * (1 + HOLD_JITTER * this.random());
	}

	/** The run's requests HelloTech took that reached it after `from`, up to `to`. */
	private tookSince(from: number, to: number): number {
		return this.accepted.filter((at) => at > from && at <= to).length;
	}

	private testStep(took: number): number {
		return Math.max(1, Math.round(took * TEST_STEP));
	}

	private setQuota(quota: number, reason: PaceChange['reason']): void {
		this.quota = quota;
		this.changedAt = this.now();
		this.heldSince = false;
		this.peak = Math.max(this.peak, quota);
		this.onPaceChange?.({ pace: this.pace as number, reason, mode: this.mode });
	}

	private noteDelay(startedAt: number, now: number): void {
		const delay = Math.max(0, now - startedAt) / 2;
		if (this.answered) {
			this.spreadMs += (Math.abs(delay - this.delayMs) - this.spreadMs) * DELAY_WEIGHT;
			this.delayMs += (delay - this.delayMs) * DELAY_WEIGHT;
		} else {
			this.delayMs = delay;
		}
		this.answered = true;
	}

	/**
	 * Keeps the answers of the last two windows and reads them for how HelloTech counts. (It is
	 * taken to count requests in the order they reach it, which is the order of their estimated
	 * arrivals give or take the spread of the delay.)
	 */
	private noteAnswer(answer: Answer): void {
		const answers = this.answers;
		answers.push(answer);
		while (answers.length > 0 && answers[0].answeredAt < answer.answeredAt - 2 * this.windowMs) answers.shift();
		const windowOf = (time: number) => Math.floor(time / this.windowMs);
		const margin = EDGE_MS + 2 * this.spreadMs;
		// Taken, though it reached HelloTech after one refused, both sent and answered within one window.
		const contradicts = (refused: Answer, taken: Answer) =>
			taken.arrival - refused.arrival > margin && windowOf(refused.sentAt) === windowOf(taken.answeredAt);
		const proof = answer.taken
			? answers.some((each) => !each.taken && contradicts(each, answer))
			: answers.some((each) => each.taken && contradicts(answer, each));
		if (proof) {
			this.notFixedWindows();
			return;
		}
		const episode = this.episode;
		if (this.mode !== 'smooth' || this.notFixed || episode === undefined || this.quota === undefined) return;
		const window = windowOf(answer.arrival);
		if (!answer.taken) {
			if (window === episode.window) episode.lastRefused = Math.max(episode.lastRefused, answer.arrival);
			return;
		}
		if (window <= episode.window) return;
		this.episode = undefined;
		// Refused to the end of its window, taken at the start of the next: what a fixed window does.
		const windowStart = window * this.windowMs;
		const reach = this.windowMs * PROBE_SHARE + margin;
		const refusedInWindow = answers.some((each) => !each.taken && each.arrival > windowStart + margin && each.arrival < answer.arrival - margin);
		if (window !== episode.window + 1 || refusedInWindow || episode.lastRefused < windowStart - reach || answer.arrival > windowStart + reach) return;
		// The quota: what HelloTech took of the run in the refused window (a run alone: the limit), or
		// the pace the run had, if more (a window other runs filled first says little of its share).
		const took = this.tookSince(windowStart - this.windowMs - 1e-3, windowStart - 1e-3);
		const quota = Math.max(1, took, Math.round(this.quota));
		this.raisedSince = false;
		if (++this.proofs < PROOFS) {
			this.setQuota(Math.max(quota, took + this.testStep(took)), 'slowed');
			return;
		}
		this.mode = 'windows';
		this.slowStart = false;
		this.lastLimit = quota;
		this.holdMs = HOLD_MS;
		this.holdUntil = this.now() + HOLD_MS;
		this.setQuota(quota, 'windows');
	}

	/** HelloTech does not count in fixed windows: the run paces smoothly from now on. */
	private notFixedWindows(): void {
		if (this.notFixed) return;
		this.notFixed = true;
		this.episode = undefined;
		if (this.quota === undefined) return;
		// From the quota, doubling each window until a rise meets a 429.
		this.slowStart = true;
		this.step = 0;
		this.raisedSince = false;
		if (this.mode === 'windows') {
			this.mode = 'smooth';
			this.nextStartAt = 0;
			this.holdUntil = 0;
		}
		this.onPaceChange?.({ pace: this.pace as number, reason: 'spread', mode: 'smooth' });
	}

	private edgeMs(): number {
		return EDGE_MS + EDGE_SHARE * this.delayMs;
	}

	/** The first time from `time` on when a request sent reaches HelloTech just after a window began. */
	private nextWindowStart(time: number): number {
		const edge = this.edgeMs();
		return Math.ceil((time + this.delayMs - edge) / this.windowMs) * this.windowMs + edge - this.delayMs;
	}

	/** Called when the requests start counting in a new window. */
	private enterWindow(window: number, now: number): void {
		if (this.mode === 'windows') this.windowsRise(window, now);
		this.window = window;
		this.startedInWindow = 0;
		this.heldBack = false;
	}

	/** Windows: the quota rises after a window in which it held the run back, with no 429 and past the hold. */
	private windowsRise(window: number, now: number): void {
		const quota = this.quota;
		if (quota === undefined || window !== this.window + 1 || !this.heldBack || this.refusedWindow === this.window || now < this.holdUntil) return;
		this.step = this.step > 0 ? this.step * STEP_GROWTH : Math.max(1, quota * FIRST_STEP);
		this.raisedSince = true;
		this.setQuota(quota + Math.min(quota, Math.ceil(this.step)), 'raised');
	}

	/**
	 * Smooth: the pace rises once a whole window has passed at it (and its answers are in) in
	 * which it held the run back, with no 429.
	 */
	private smoothRise(now: number): void {
		const quota = this.quota;
		if (quota === undefined || !this.heldSince || now < this.holdUntil) return;
		// A whole window at this pace, and one with no 429, have passed, and their answers are in.
		const settled = now - 2 * this.delayMs - EDGE_MS;
		const changedWindow = Math.floor((this.changedAt + this.delayMs) / this.windowMs);
		if (settled < (changedWindow + 2) * this.windowMs || settled - this.refusedAt < this.windowMs) return;
		// While fixed windows are neither proven nor disproven, a rise adds a tenth (as in windows
		// mode); after, a twentieth of the highest pace so far (or doubles it, in a slow start); each
		// further rise twice as much as the last.
		const first = this.notFixed ? this.peak * SMOOTH_FIRST_STEP : quota * FIRST_STEP;
		this.step = this.slowStart ? quota : this.step > 0 ? this.step * STEP_GROWTH : Math.max(1, first);
		this.beforeRise = quota;
		this.raisedSince = true;
		this.setQuota(quota + Math.min(quota, this.step), 'raised');
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
			if (this.mode === 'smooth' && this.quota !== undefined) {
				if (now < this.nextStartAt) {
					this.heldBack = true;
					this.heldSince = true;
					await this.sleep(this.nextStartAt - now);
					continue;
				}
				if (window !== this.window) this.enterWindow(window, now);
				this.smoothRise(now);
				const spacing = this.windowMs / this.quota;
				// After a 429, until HelloTech takes a request again: while fixed windows are neither proven
				// nor disproven, one request an eighth of a window (to see the refused window to its end);
				// after that, at the pace, but never more than one an eighth of a window.
				const probe = this.windowMs * PROBE_SHARE;
				this.nextStartAt = now + (!this.afterRefusal ? spacing : this.notFixed ? Math.max(spacing, probe) : probe);
				// ... and the first request of the next window at its very start.
				const episode = this.episode;
				if (this.afterRefusal && !this.notFixed && episode !== undefined && window === episode.window) {
					this.nextStartAt = Math.min(this.nextStartAt, (episode.window + 1) * this.windowMs + this.edgeMs() - this.delayMs);
				}
				this.startedInWindow++;
				return now;
			}
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
			this.heldBack = true;
			await this.sleep(Math.max(1, (window + 1) * this.windowMs + edge - arrival));
		}
	}
}
