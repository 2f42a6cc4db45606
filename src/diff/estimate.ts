import type { Gap } from './affix.js';
import type { Budget } from './budget.js';
import { Interner } from './intern.js';
import { Level, tokenBoundaries } from './tokenize.js';

/**
 * True when even a perfect alignment would insert more than `limit` code units: the new
 * side's tokens that the old side lacks (counted as multisets, so order and moves are
 * ignored) are text that no copy can supply. Lines first (cheap); when they say yes, words
 * confirm it, since a line edited in one place still shares most of its words.
 */
export function looksTooDifferent(old: string, now: string, gap: Gap, limit: number, budget: Budget): boolean {
  if (gap.n1 - gap.n0 <= limit) return false;
  return missingLength(old, now, gap, Level.Coarse, budget) > limit && missingLength(old, now, gap, Level.Word, budget) > limit;
}

/** Total length of the tokens of now[n0, n1) not matched, by count, in old[o0, o1). */
function missingLength(old: string, now: string, gap: Gap, level: Level, budget: Budget): number {
  budget.checkTime();
  const oldBounds = tokenBoundaries(old, gap.o0, gap.o1, level);
  const newBounds = tokenBoundaries(now, gap.n0, gap.n1, level);
  budget.work += oldBounds.length + newBounds.length;
  const interner = new Interner();
  const a = interner.tokens(old, oldBounds);
  const b = interner.tokens(now, newBounds);
  const count = new Int32Array(interner.size);
  for (const id of a) count[id]!++;
  let missing = 0;
  for (let t = 0; t < b.length; t++) {
    const id = b[t]!;
    if (count[id]! > 0) count[id]!--;
    else missing += newBounds[t + 1]! - newBounds[t]!;
  }
  return missing;
}
