import { RepeatDiagonals } from '../patch/delta-form.js';
import { type Op, splitsSurrogatePair } from '../patch/ops.js';
import { type Budget, GiveUp } from './budget.js';

/**
 * Finds copies from anywhere in the old text, as xdelta and zstd do: a hash index over every
 * position of `old`, greedy matching along `now`. Copies may go backwards (moved blocks).
 * Before the index, the old cursor and the latest diagonals are tried, since edits (renamed
 * identifiers in minified code above all) mostly leave the text around them where it was;
 * those copies are cheap in the delta form. Work is counted, not timed, so the output
 * depends only on the inputs.
 */

/** Code units hashed per position. */
const SEED = 8;
const HASH_BITS = 17;
/** Hash-chain candidates looked at per position. */
const CHAIN_DEPTH = 64;
/** Shortest copy at the old cursor or on a latest diagonal. */
const MIN_NEAR = 4;
/**
 * A copy from elsewhere must be this much longer than the cost of its address (ADDRESS_COST
 * per base-36 digit of its distance from the latest diagonal). The constants gave the
 * smallest gzipped jQuery patches (bench/patch-size.ts).
 */
const MIN_FAR_GAIN = 2;
const ADDRESS_COST = 5;
/**
 * In a long run without copies, positions are skipped faster and faster (as zstd does): one
 * more per 2^SKIP_SHIFT code units of the run. Unrelated texts then cost little.
 */
const SKIP_SHIFT = 5;
/** Positions between wall-clock checks. */
const CLOCK_EVERY = 4096;

interface Index {
  head: Int32Array;
  prev: Int32Array;
}

type Match = [start: number, from: number, length: number];

export function matchCopies(old: string, now: string, budget: Budget): Op[] {
  const index = buildIndex(old);
  budget.work += old.length;
  const ops: Op[] = [];
  const diagonals = new RepeatDiagonals();
  let cursor = 0; // old position after the latest copy
  let literalStart = 0;
  let steps = 0;
  for (let i = 0; i < now.length; ) {
    if (++steps % CLOCK_EVERY === 0) budget.checkTime();
    const found = bestMatch(old, now, i, [cursor, ...diagonals.list.map((d) => i + d)], index, budget);
    const match = found && wholeCodePoints(old, now, extendBack(old, now, found, literalStart));
    if (!match || match[2] < MIN_NEAR) {
      i += 1 + ((i - literalStart) >> SKIP_SHIFT);
      continue;
    }
    const [start, from, length] = match;
    if (from > literalStart) ops.push(now.slice(literalStart, from));
    ops.push([start, length]);
    diagonals.use(start - from);
    cursor = start + length;
    i = literalStart = from + length;
  }
  if (literalStart < now.length) ops.push(now.slice(literalStart));
  return ops;
}

function hashAt(text: string, at: number): number {
  let h = 0;
  for (let k = 0; k < SEED; k++) h = Math.imul(h ^ text.charCodeAt(at + k), 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> (32 - HASH_BITS);
}

/** Chains of positions by hash; each chain lists the latest position first. */
function buildIndex(old: string): Index {
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(Math.max(old.length, 1));
  for (let j = 0; j + SEED <= old.length; j++) {
    const h = hashAt(old, j);
    prev[j] = head[h]!;
    head[h] = j;
  }
  return { head, prev };
}

function matchLength(old: string, start: number, now: string, from: number): number {
  if (start < 0) return 0;
  let n = 0;
  while (start + n < old.length && from + n < now.length && old.charCodeAt(start + n) === now.charCodeAt(from + n)) n++;
  return n;
}

/**
 * The copy for now[from...] that saves the most: the longest near copy, or a copy from the
 * index whose length minus its address cost is higher. `near[1]`, when present, is on the
 * latest diagonal, the base of far addresses.
 */
function bestMatch(old: string, now: string, from: number, near: number[], index: Index, budget: Budget): Match | undefined {
  let [bestStart, bestLength, bestScore] = [-1, 0, 0];
  for (const start of near) {
    const length = matchLength(old, start, now, from);
    if (length >= MIN_NEAR && length > bestLength) [bestStart, bestLength, bestScore] = [start, length, length];
  }
  if (from + SEED > now.length) return bestLength > 0 ? [bestStart, from, bestLength] : undefined;
  const base = near[1] ?? from;
  let depth = 0;
  for (let start = index.head[hashAt(now, from)]!; start >= 0 && depth < CHAIN_DEPTH; depth++, start = index.prev[start]!) {
    if (old.charCodeAt(start + bestScore) !== now.charCodeAt(from + bestScore)) continue;
    const length = matchLength(old, start, now, from);
    const cost = addressCost(start - base);
    if (length >= MIN_FAR_GAIN + cost && length - cost > bestScore) [bestStart, bestLength, bestScore] = [start, length, length - cost];
  }
  budget.work += 1 + depth;
  if (budget.workLeft < 0) throw new GiveUp(`over the work budget (${budget.workLimit} steps)`);
  return bestLength > 0 ? [bestStart, from, bestLength] : undefined;
}

function addressCost(skip: number): number {
  let digits = 1;
  for (let n = Math.abs(skip); n >= 36; n = Math.floor(n / 36)) digits++;
  return ADDRESS_COST * digits;
}

/** Grows a copy backwards over the pending literal text while both sides agree. */
function extendBack(old: string, now: string, [start, from, length]: Match, literalStart: number): Match {
  while (from > literalStart && start > 0 && old.charCodeAt(start - 1) === now.charCodeAt(from - 1)) [start, from, length] = [start - 1, from - 1, length + 1];
  return [start, from, length];
}

/** Trims a copy so that it neither starts nor ends inside a surrogate pair on either side. */
function wholeCodePoints(old: string, now: string, [start, from, length]: Match): Match {
  while (length > 0 && (splitsSurrogatePair(old, start) || splitsSurrogatePair(now, from))) [start, from, length] = [start + 1, from + 1, length - 1];
  while (length > 0 && (splitsSurrogatePair(old, start + length) || splitsSurrogatePair(now, from + length))) length--;
  return [start, from, length];
}
