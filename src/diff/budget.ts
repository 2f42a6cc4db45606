/**
 * Limits on one diff. Work (comparisons, tokens) is counted so that every quality decision
 * depends only on the inputs, never on the machine: the same pair always gives the same
 * patch bytes. Wall time is only a hard stop (the pair then gets no patch).
 */
export class OverBudget extends Error {
  override name = 'OverBudget';
}

/** Rough comparisons per millisecond on a slow CI machine; turns a time budget into work. */
const WORK_PER_MS = 40_000;

export class Budget {
  /** Comparisons and token steps spent so far. */
  work = 0;
  readonly workLimit: number;
  private readonly deadline: number;

  constructor(readonly budgetMs: number) {
    this.deadline = performance.now() + budgetMs;
    this.workLimit = Math.max(1, budgetMs) * WORK_PER_MS;
  }

  get workLeft(): number {
    return this.workLimit - this.work;
  }

  /** Throws OverBudget when the wall-clock deadline has passed. */
  checkTime(): void {
    if (performance.now() > this.deadline) throw new OverBudget(`over time budget (${this.budgetMs} ms)`);
  }
}
