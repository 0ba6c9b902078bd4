import { sleep } from 'n8n-workflow';

/** A pace is at most this share of the number of requests the API accepted in the last second. */
const MARGIN = 0.97;
/** ...and at most this share of the rate the node was sending at when the 429 came. */
const SLOWDOWN = 0.8;
/** The slowest pace, in requests per second. */
const MIN_RATE = 0.5;

/**
 * Paces every request one node run sends to HelloTech.
 *
 * - At most `maxInFlight` requests are in flight at once, across all items.
 * - A 429 pauses every request until the API's Retry-After has passed, and from then on the run
 *   keeps a slower pace: just under the number of requests the API accepted in the second before
 *   it refused, and at least a fifth below the rate the node was sending at. The first bound is
 *   the API's allowance when it counts over a sliding second; the second matters with fixed
 *   windows (Rails' rack-attack), where the last second may hold the end of the previous window
 *   too, so that it counts the node's own speed rather than the limit. Each further 429 slows the
 *   pace again. It never speeds up within the run: a bulk run finishes at the API's pace instead
 *   of hammering it.
 * - A 429 before anything was accepted in that second (the key's allowance was used up by someone
 *   else) says nothing about the rate: it pauses, and sets no pace.
 */
export class Pacer {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	/** No request starts before this time (ms since epoch). Set by a 429. */
	private pausedUntil = 0;

	/** Minimum time between two request starts, once a 429 has been seen. 0 means unpaced. */
	private intervalMs = 0;

	private nextStartAt = 0;

	/** When the pace was last slowed: a 429 for a request started before then is old news. */
	private slowedAt = 0;

	/** Times of the accepted (not 429) responses of the last second, oldest first. */
	private readonly accepted: number[] = [];

	/** Start times of the requests of the last second, oldest first. */
	private readonly started: number[] = [];

	private firstStartAt?: number;

	constructor(
		readonly maxInFlight: number,
		private readonly now: () => number = Date.now,
	) {}

	/** The requests per second the run is held to, or undefined while unpaced. */
	get pace(): number | undefined {
		return this.intervalMs > 0 ? 1000 / this.intervalMs : undefined;
	}

	/**
	 * Runs `send` when a slot is free and the pace allows. Returns what it returns; `startedAt`
	 * tells `rateLimited` whether a 429 answers a request sent before the last slowdown.
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

	/** Notes an accepted response, for the estimate of the rate the API takes. */
	accept(): void {
		const now = this.now();
		this.accepted.push(now);
		this.forgetBefore(now - 1000);
	}

	/** A 429: pause everyone for `waitMs`, and slow down unless this 429 is old news. */
	rateLimited(startedAt: number, waitMs: number): void {
		const now = this.now();
		const previousPauseEnd = this.pausedUntil;
		this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
		if (startedAt < this.slowedAt) return;
		this.slowedAt = now;
		this.forgetBefore(now - 1000);
		const acceptedLastSecond = this.accepted.length;
		if (this.intervalMs === 0 && acceptedLastSecond === 0) return;
		const sending = this.intervalMs > 0 ? 1000 / this.intervalMs : this.sendingRate(now, previousPauseEnd);
		const rate = Math.min(sending * SLOWDOWN, acceptedLastSecond > 0 ? acceptedLastSecond * MARGIN : Infinity);
		this.intervalMs = 1000 / Math.max(rate, MIN_RATE);
	}

	/** Requests per second started over the last second, or since sending began or last resumed. */
	private sendingRate(now: number, previousPauseEnd: number): number {
		const since = Math.max(now - 1000, this.firstStartAt ?? now, Math.min(previousPauseEnd, now));
		const count = this.started.filter((time) => time >= since).length;
		return (count * 1000) / Math.max(now - since, 1);
	}

	private forgetBefore(time: number): void {
		while (this.accepted.length > 0 && this.accepted[0] <= time) this.accepted.shift();
		while (this.started.length > 0 && this.started[0] <= time) this.started.shift();
	}

	private noteStart(time: number): number {
		this.firstStartAt ??= time;
		this.started.push(time);
		this.forgetBefore(time - 1000);
		return time;
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
			const at = Math.max(now, this.pausedUntil, this.nextStartAt);
			this.nextStartAt = at + this.intervalMs;
			if (at <= now) return this.noteStart(now);
			await sleep(at - now);
			// A 429 that arrived while we slept moves pausedUntil: take a new turn after it.
			if (this.now() >= this.pausedUntil) return this.noteStart(this.now());
		}
	}
}
