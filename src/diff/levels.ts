import { type Gap, trimGap } from './affix.js';
import { alignTokens } from './align.js';
import type { Budget } from './budget.js';
import { Interner } from './intern.js';
import { Level, tokenBoundaries } from './tokenize.js';

/**
 * Regions whose shorter side is below this are not refined: a copy found inside would be
 * short and rarely pay for itself (emitOps drops copies under MIN_COPY). Measured on jQuery,
 * 20 costs nothing in size against MIN_COPY and saves many small alignments.
 */
const MIN_REFINE = 20;

/** Regions larger than this (code units, both sides) are not refined to single code points. */
const CHAR_LEVEL_MAX = 2_000;

/**
 * Aligns old[o0, o1) with now[n0, n1) at `level`, then refines each changed region one
 * level finer while the work budget lasts. Pushes matched runs (oldStart, newStart, length)
 * in code units onto `out`, in order.
 */
export function alignLevels(old: string, now: string, gap: Gap, level: Level, budget: Budget, out: number[]): void {
  budget.checkTime();
  const oldBounds = tokenBoundaries(old, gap.o0, gap.o1, level);
  const newBounds = tokenBoundaries(now, gap.n0, gap.n1, level);
  budget.work += oldBounds.length + newBounds.length;
  const interner = new Interner();
  const a = interner.tokens(old, oldBounds);
  const b = interner.tokens(now, newBounds);
  const runs = alignTokens(a, b, interner.size, budget);
  let [ai, bi] = [0, 0];
  for (let k = 0; k <= runs.length; k += 3) {
    const [ra, rb, len] = k < runs.length ? [runs[k]!, runs[k + 1]!, runs[k + 2]!] : [a.length, b.length, 0];
    refine(old, now, { o0: oldBounds[ai]!, o1: oldBounds[ra]!, n0: newBounds[bi]!, n1: newBounds[rb]! }, level, budget, out);
    if (len > 0) out.push(oldBounds[ra]!, newBounds[rb]!, oldBounds[ra + len]! - oldBounds[ra]!);
    [ai, bi] = [ra + len, rb + len];
  }
}

/**
 * Refines a changed region one level finer. Its common ends extend the neighbouring copies;
 * what remains is worth a finer look only when a copy long enough to pay for itself fits.
 * New text left unmatched at the finest level is reported to the budget, which gives up
 * once the patch is sure to be too large.
 */
function refine(old: string, now: string, gap: Gap, level: Level, budget: Budget, out: number[]): void {
  const [head, tail] = trimGap(old, now, gap);
  if (head > 0) out.push(gap.o0 - head, gap.n0 - head, head);
  if (level < Level.Char && budget.workLeft > 0 && worthRefining(gap, level + 1)) {
    alignLevels(old, now, gap, level + 1, budget, out);
  } else {
    budget.addUnmatched(gap.n1 - gap.n0);
  }
  if (tail > 0) out.push(gap.o1, gap.n1, tail);
}

/** Only a region where a copy long enough to pay for itself fits; code points only for small ones. */
function worthRefining(gap: Gap, level: Level): boolean {
  if (Math.min(gap.o1 - gap.o0, gap.n1 - gap.n0) < MIN_REFINE) return false;
  return level !== Level.Char || gap.o1 - gap.o0 + (gap.n1 - gap.n0) <= CHAR_LEVEL_MAX;
}
