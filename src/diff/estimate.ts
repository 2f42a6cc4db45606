import type { Gap } from './affix.js';
import type { Budget } from './budget.js';
import { Level, tokenBoundaries } from './tokenize.js';

/**
 * True when the patch would clearly insert more than `limit` code units: the new side's
 * tokens that the old side lacks (counted as multisets, so order and moves are ignored) are
 * text that, at that granularity, no copy can supply. Lines first (cheap); when they say
 * yes, words confirm it, since a line edited in one place still shares most of its words.
 * Only code-point refinement inside changed words could do better, and it rarely finds
 * copies long enough to matter.
 */
export function looksTooDifferent(old: string, now: string, gap: Gap, limit: number, budget: Budget): boolean {
  if (gap.n1 - gap.n0 <= limit) return false;
  return missingLength(old, now, gap, Level.Coarse, budget) > limit && missingLength(old, now, gap, Level.Word, budget) > limit;
}

/**
 * Total length of the tokens of now[n0, n1) not matched, by count, in old[o0, o1). Tokens are
 * counted by a 32-bit hash in a fixed table: a collision can only merge counts, which can
 * only make the estimate lower (more lenient).
 */
function missingLength(old: string, now: string, gap: Gap, level: Level, budget: Budget): number {
  budget.checkTime();
  const oldBounds = tokenBoundaries(old, gap.o0, gap.o1, level);
  const newBounds = tokenBoundaries(now, gap.n0, gap.n1, level);
  budget.work += oldBounds.length + newBounds.length;
  const size = tableSize(oldBounds.length + newBounds.length);
  const count = new Int32Array(size);
  for (let t = 0; t + 1 < oldBounds.length; t++) count[hash(old, oldBounds[t]!, oldBounds[t + 1]!) & (size - 1)]!++;
  let missing = 0;
  for (let t = 0; t + 1 < newBounds.length; t++) {
    const slot = hash(now, newBounds[t]!, newBounds[t + 1]!) & (size - 1);
    if (count[slot]! > 0) count[slot]!--;
    else missing += newBounds[t + 1]! - newBounds[t]!;
  }
  return missing;
}

/** A power of two at least twice `n`. */
function tableSize(n: number): number {
  let size = 1024;
  while (size < 2 * n) size *= 2;
  return size;
}

/** FNV-1a over the code units of text[from, to). */
function hash(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
