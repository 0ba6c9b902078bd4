import { sleep } from 'n8n-workflow';

/** The first pace: this share of the rate the API accepted in the second before its first 429. */
const MARGIN = 0.97;
/** Each further 429 while paced: the pace times this. */
const SLOWDOWN = 0.8;
/** The slowest pace, in requests per second. */
const MIN_RATE = 0.5;

/**
 * Paces every request one node run sends to HelloTech.
 *
 * - At most `maxInFlight` requests are in flight at once, across all items.
 * - A 429 pauses every request until the API's Retry-After has passed, and from then on the run
 *   keeps a slower pace: just under the rate the API accepted in the second before it refused.
 *   Each further 429 that arrives while paced slows it by a fifth. The pace never speeds up again
 *   within the run: a bulk run finishes at the API's pace instead of hammering it.
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
		this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
		if (startedAt < this.slowedAt) return;
		this.slowedAt = now;
		this.forgetBefore(now - 1000);
		const acceptedLastSecond = this.accepted.length;
		if (this.intervalMs === 0 && acceptedLastSecond === 0) return;
		const rate = this.intervalMs > 0 ? (1000 / this.intervalMs) * SLOWDOWN : acceptedLastSecond * MARGIN;
		this.intervalMs = 1000 / Math.max(rate, MIN_RATE);
	}

	private forgetBefore(time: number): void {
		while (this.accepted.length > 0 && this.accepted[0] <= time) this.accepted.shift();
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
			if (at <= now) return now;
			await sleep(at - now);
			// A 429 that arrived while we slept moves pausedUntil: take a new turn after it.
			if (this.now() >= this.pausedUntil) return this.now();
		}
	}
}
