import type { IPollFunctions } from 'n8n-workflow';

/**
 * n8n's time budget for one poll. n8n-workflow 2.x gives polling nodes `getPollBudgetMs()`: "the
 * milliseconds this poll may spend before the engine abandons the tick; a node draining a large
 * backlog should stop fetching before the budget runs out, return what it has, and leave the rest
 * to the next poll". n8n 2.41 computes it from its scheduler's poll timeout and lease (the
 * shorter, less a fifth, at least 5 s) and gives 5 minutes where no lease is held. An n8n without
 * it gets no budget: the trigger reads to the end of the list, as it always did.
 *
 * The trigger asks for the next page of new orders only while the time spent, plus the slowest
 * page so far, stays within the budget less a tenth kept for the rest of the poll (the events,
 * the stored state, a status watch's lookups). The first page is always asked for, so each poll
 * moves on.
 */

/** The clock the budget is measured on. Tests put a controllable one here. */
export const pollClock = { now: (): number => Date.now() };

/** The share of the budget kept for the rest of the poll once the reading stops. */
const KEPT_FOR_THE_REST = 0.1;

export class PollBudget {
	private readonly startedAt = pollClock.now();
	private lastPageAt = this.startedAt;
	private slowestPageMs = 0;

	/** `budgetMs` undefined: no budget, every page may be asked for. */
	constructor(private readonly budgetMs?: number) {}

	/** The budget n8n gives this poll, from now on. */
	static of(fn: IPollFunctions): PollBudget {
		const getBudget = (fn as Partial<Pick<IPollFunctions, 'getPollBudgetMs'>>).getPollBudgetMs;
		const budgetMs = typeof getBudget === 'function' ? Number(getBudget.call(fn)) : NaN;
		return new PollBudget(Number.isFinite(budgetMs) && budgetMs > 0 ? budgetMs : undefined);
	}

	/** Whether the poll has a budget at all. */
	get limited(): boolean {
		return this.budgetMs !== undefined;
	}

	/** Called as the reading of pages starts: the first page is timed from now. */
	startReading(): void {
		this.lastPageAt = pollClock.now();
	}

	/**
	 * Called as each page has come in: whether the next one may be asked for, that is, whether
	 * it would come in (as slowly as the slowest so far) before the reading must stop.
	 */
	allowsAnotherPage(): boolean {
		const now = pollClock.now();
		this.slowestPageMs = Math.max(this.slowestPageMs, now - this.lastPageAt);
		this.lastPageAt = now;
		if (this.budgetMs === undefined) return true;
		return now - this.startedAt + this.slowestPageMs <= this.budgetMs * (1 - KEPT_FOR_THE_REST);
	}
}
