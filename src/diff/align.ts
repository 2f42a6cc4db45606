import { uniqueAnchors } from './anchors.js';
import type { Budget } from './budget.js';
import { cappedMyers } from './myers.js';

/** Most comparisons one Myers call may spend before the region is split at anchors. */
const MYERS_CAP = 2_000_000;

/** Myers calls estimated under this many comparisons always run. */
const SMALL_MYERS = 1_000;
/**
 * Larger ones run only when they may pay off: at most this many comparisons per token
 * that could match at all. Mostly rewritten regions go to anchors instead, which is far
 * cheaper and loses almost nothing (measured on jQuery releases).
 */
const COST_PER_MATCH = 64;

/**
 * Regions with more tokens than this are split at patience anchors before any Myers: the
 * pieces cost far fewer comparisons than the whole. On the jQuery pairs 100 needs 40% less
 * work than Myers first, for the same patch sizes (within 0.1%).
 */
const PATIENCE_FIRST = 100;

interface Scratch {
  countA: Int32Array;
  countB: Int32Array;
}

/**
 * Aligns two token id sequences: matched runs as flat triples (ai, bi, length), sorted
 * and non-overlapping on both sides. Each region is trimmed of its common ends, then
 * diffed with Myers when that looks affordable, else split at patience anchors (tokens
 * unique on both sides) and the pieces aligned the same way. A region with neither stays
 * unmatched.
 */
export function alignTokens(a: Int32Array, b: Int32Array, idCount: number, budget: Budget): number[] {
  const scratch: Scratch = { countA: new Int32Array(idCount), countB: new Int32Array(idCount) };
  const runs: number[] = [];
  const regions: number[] = [0, a.length, 0, b.length];
  while (regions.length > 0) {
    const b1 = regions.pop() as number;
    const b0 = regions.pop() as number;
    const a1 = regions.pop() as number;
    const a0 = regions.pop() as number;
    alignRegion(a, a0, a1, b, b0, b1, budget, scratch, runs, regions);
  }
  return sortRuns(runs);
}

function alignRegion(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  budget: Budget, scratch: Scratch, runs: number[], regions: number[],
): void {
  let head = 0;
  while (a0 + head < a1 && b0 + head < b1 && a[a0 + head] === b[b0 + head]) head++;
  if (head > 0) runs.push(a0, b0, head);
  a0 += head;
  b0 += head;
  let tail = 0;
  while (a0 < a1 - tail && b0 < b1 - tail && a[a1 - 1 - tail] === b[b1 - 1 - tail]) tail++;
  if (tail > 0) runs.push(a1 - tail, b1 - tail, tail);
  a1 -= tail;
  b1 -= tail;
  if (a0 === a1 || b0 === b1) return;
  budget.work += a1 - a0 + (b1 - b0);
  const big = a1 - a0 + (b1 - b0) > PATIENCE_FIRST;
  let anchors = big ? uniqueAnchors(a, a0, a1, b, b0, b1, scratch) : [];
  if (anchors.length === 0) {
    if (tryMyers(a, a0, a1, b, b0, b1, budget, scratch, runs)) return;
    if (!big) anchors = uniqueAnchors(a, a0, a1, b, b0, b1, scratch);
  }
  if (anchors.length === 0) return;
  let [ai, bi] = [a0, b0];
  for (let k = 0; k < anchors.length; k += 2) {
    const [aa, bb] = [anchors[k] as number, anchors[k + 1] as number];
    runs.push(aa, bb, 1);
    regions.push(ai, aa, bi, bb);
    [ai, bi] = [aa + 1, bb + 1];
  }
  regions.push(ai, a1, bi, b1);
}

function tryMyers(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  budget: Budget, scratch: Scratch, runs: number[],
): boolean {
  const cap = Math.min(MYERS_CAP, budget.workLeft);
  const d = multisetDistance(a, a0, a1, b, b0, b1, scratch.countA);
  const size = a1 - a0 + (b1 - b0);
  const estimate = size + (d * d) / 2;
  const matchable = (size - d) / 2;
  if (estimate > SMALL_MYERS && estimate > COST_PER_MATCH * matchable) return false;
  return estimate <= cap && cappedMyers(a, a0, a1, b, b0, b1, cap, budget, runs);
}

/** Tokens that cannot be matched by count alone: a lower bound of Myers' D. */
function multisetDistance(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  count: Int32Array,
): number {
  for (let i = a0; i < a1; i++) count[a[i] as number]!++;
  for (let j = b0; j < b1; j++) count[b[j] as number]!--;
  let d = 0;
  for (let i = a0; i < a1; i++) {
    const id = a[i] as number;
    d += Math.abs(count[id] as number);
    count[id] = 0;
  }
  for (let j = b0; j < b1; j++) {
    const id = b[j] as number;
    d += Math.abs(count[id] as number);
    count[id] = 0;
  }
  return d;
}

function sortRuns(runs: number[]): number[] {
  const count = runs.length / 3;
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  order.sort((x, y) => runs[3 * x]! - runs[3 * y]!);
  const out = new Array<number>(runs.length);
  for (let k = 0; k < count; k++) {
    const from = 3 * order[k]!;
    out[3 * k] = runs[from]!;
    out[3 * k + 1] = runs[from + 1]!;
    out[3 * k + 2] = runs[from + 2]!;
  }
  return out;
}
