import { type Op, applyOps, findInvalidOp } from '../patch/ops.js';
import { trimGap } from './affix.js';
import { Budget, GiveUp } from './budget.js';
import { matchCopies } from './copy-match.js';
import { emitOps } from './emit.js';
import { looksTooDifferent } from './estimate.js';
import { alignLevels } from './levels.js';
import { Level } from './tokenize.js';

export interface DiffOptions {
  /** Per-pair budget in ms of counted work (default 400): decides the patch, the same on every machine. */
  budgetMs?: number;
  /** Per-pair wall-clock hard stop in ms (default 10000): far beyond what the work budget allows, so it acts only on a starved machine. */
  timeLimitMs?: number;
  /** Give up when the inserted text alone would exceed this fraction of the new text (default 0.5). */
  maxPatchRatio?: number;
}

export type DiffOutcome = { ok: true; ops: Op[] } | { ok: false; reason: string };

const DEFAULT_BUDGET_MS = 400;
const DEFAULT_TIME_LIMIT_MS = 10_000;
const DEFAULT_MAX_PATCH_RATIO = 0.5;

/**
 * Computes ops turning `oldText` into `newText` (SPEC §3): copies in increasing,
 * non-overlapping order on whole code points, normalized. The output depends only on the
 * inputs and options (work is counted, not timed); wall time only decides ok:false.
 */
export function diffTexts(oldText: string, newText: string, options: DiffOptions = {}): DiffOutcome {
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const ratio = options.maxPatchRatio ?? DEFAULT_MAX_PATCH_RATIO;
  if (oldText === newText) return { ok: true, ops: oldText === '' ? [] : [[0, oldText.length]] };
  const tooDifferent = `texts too different: estimated patch > ${ratio} x file`;
  const limit = ratio * newText.length;
  const budget = new Budget(budgetMs, options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, limit, tooDifferent);
  try {
    const gap = { o0: 0, o1: oldText.length, n0: 0, n1: newText.length };
    const [head, tail] = trimGap(oldText, newText, gap);
    if (looksTooDifferent(oldText, newText, gap, limit, budget)) return { ok: false, reason: tooDifferent };
    const runs: number[] = [];
    if (head > 0) runs.push(0, 0, head);
    alignLevels(oldText, newText, gap, Level.Coarse, budget, runs);
    if (tail > 0) runs.push(gap.o1, gap.n1, tail);
    const ops = emitOps(newText, runs);
    if (insertedLength(ops) > limit) return { ok: false, reason: tooDifferent };
    return checked(oldText, newText, ops);
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Computes ops turning `oldText` into `newText` with copies from anywhere in the old text
 * (the delta form's engine). Whether the patch is worth it is decided on its compressed size
 * by the caller; this only gives up when the work budget or the hard stop is reached.
 */
export function diffTextsAnywhere(oldText: string, newText: string, options: Omit<DiffOptions, 'maxPatchRatio'> = {}): DiffOutcome {
  const budget = new Budget(options.budgetMs ?? DEFAULT_BUDGET_MS, options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, Number.POSITIVE_INFINITY, '');
  try {
    return checked(oldText, newText, matchCopies(oldText, newText, budget), false);
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.message };
    throw error;
  }
}

function insertedLength(ops: readonly Op[]): number {
  let n = 0;
  for (const op of ops) if (typeof op === 'string') n += op.length;
  return n;
}

/** A last guard: ops that do not rebuild the new text are a bug, never a patch. */
function checked(oldText: string, newText: string, ops: Op[], inOrder = true): DiffOutcome {
  const problem = findInvalidOp(ops, oldText) ?? (inOrder ? findBackwardCopy(ops) : undefined);
  if (problem) return { ok: false, reason: `internal error: ${problem}` };
  if (applyOps(oldText, ops) !== newText) return { ok: false, reason: 'internal error: ops do not rebuild the new text' };
  return { ok: true, ops };
}

function findBackwardCopy(ops: readonly Op[]): string | undefined {
  let end = 0;
  for (const op of ops) {
    if (typeof op === 'string') continue;
    if (op[0] < end) return `copy at ${op[0]} goes back before ${end}`;
    end = op[0] + op[1];
  }
  return undefined;
}
