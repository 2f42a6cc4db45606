/**
 * Limits on one diff. Work (comparisons, tokens) is counted so that every quality decision
 * depends only on the inputs, never on the machine: the same pair always gives the same
 * patch bytes. Wall time is only a hard stop (the pair then gets no patch).
 */

/** Thrown to stop a diff early; the message is the reason given in the outcome. */
export class GiveUp extends Error {
  override name = 'GiveUp';
}

/**
 * Work units per millisecond of budget: a Myers comparison costs 20-50 ns here, so the work
 * limit is normally reached at a quarter to a half of the time budget.
 */
const WORK_PER_MS = 10_000;

export class Budget {
  /** Comparisons and token steps spent so far. */
  work = 0;
  readonly workLimit: number;
  private readonly deadline: number;

  /** New text left to inserts so far: a lower bound of the final patch's inserts. */
  private unmatched = 0;

  constructor(
    budgetMs: number,
    /** Wall-clock hard stop; far above what the work limit allows, so it decides only on a starved machine. */
    readonly timeLimitMs: number,
    /** Most code units of the new text that inserts may carry. */
    private readonly insertLimit: number,
    private readonly tooDifferent: string,
  ) {
    this.deadline = performance.now() + timeLimitMs;
    this.workLimit = Math.max(1, budgetMs) * WORK_PER_MS;
  }

  /** Records new text that no copy will supply; gives up as soon as it is over the limit. */
  addUnmatched(length: number): void {
    this.unmatched += length;
    if (this.unmatched > this.insertLimit) throw new GiveUp(this.tooDifferent);
  }

  get workLeft(): number {
    return this.workLimit - this.work;
  }

  /** Gives up when the wall-clock deadline has passed. */
  checkTime(): void {
    if (performance.now() > this.deadline) throw new GiveUp(`over time limit (${this.timeLimitMs} ms)`);
  }
}
