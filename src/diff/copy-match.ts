import { deflateRawSync } from 'node:zlib';
import { useDiagonal } from '../patch/delta-form.js';
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

/**
 * Code units hashed per position, one index each. The long seed goes first: in repetitive
 * text (CSS) the short-seed chains are crowded with lookalikes.
 */
const SEEDS = [24, 8];
const HASH_BITS = 17;
/** Hash-chain candidates looked at per position. */
const CHAIN_DEPTH = 32;
/** Shortest copy at the old cursor or on a latest diagonal. */
const MIN_NEAR = 4;
/**
 * A copy from elsewhere must be this much longer than the cost of its address (ADDRESS_COST
 * per base-36 digit of its distance from the latest diagonal). The constants gave the
 * smallest gzipped jQuery patches (bench/patch-size.ts).
 */
const MIN_FAR_GAIN = 2;
const ADDRESS_COST = 5;
/** jQuery's deflate ratio (level 1), where the thresholds were tuned; see costsFor. */
const TUNED_RATIO = 0.4;
/**
 * In a long run without copies, positions are skipped faster and faster (as zstd does): one
 * more per 2^SKIP_SHIFT code units of the run. Unrelated texts then cost little.
 */
const SKIP_SHIFT = 5;
/** Positions between wall-clock checks. */
const CLOCK_EVERY = 4096;

interface Index {
  seed: number;
  head: Int32Array;
  prev: Int32Array;
}

type Match = [start: number, from: number, length: number];

export function matchCopies(old: string, now: string, budget: Budget): Op[] {
  const costs = costsFor(now);
  const indexes = SEEDS.map((seed) => buildIndex(old, seed));
  budget.work += old.length * indexes.length;
  const ops: Op[] = [];
  const diagonals: number[] = [];
  let cursor = 0; // old position after the latest copy
  let literalStart = 0;
  let steps = 0;
  for (let i = 0; i < now.length; ) {
    if (++steps % CLOCK_EVERY === 0) budget.checkTime();
    const found = bestMatch(old, now, i, [cursor, ...diagonals.map((d) => i + d)], indexes, costs, budget);
    const match = found && wholeCodePoints(old, now, extendBack(old, now, found, literalStart));
    if (!match || match[2] < costs.minNear) {
      i += 1 + ((i - literalStart) >> SKIP_SHIFT);
      continue;
    }
    const [start, from, length] = match;
    if (from > literalStart) ops.push(now.slice(literalStart, from));
    ops.push([start, length]);
    useDiagonal(diagonals, start - from);
    cursor = start + length;
    i = literalStart = from + length;
  }
  if (literalStart < now.length) ops.push(now.slice(literalStart));
  return ops;
}

const BASE = 0x01000193;

/** Polynomial hash of text[at, at + seed), spread over HASH_BITS bits. */
function hashAt(text: string, at: number, seed: number): number {
  let h = 0;
  for (let k = 0; k < seed; k++) h = (Math.imul(h, BASE) + text.charCodeAt(at + k)) | 0;
  return spread(h);
}

const spread = (h: number) => Math.imul(h ^ (h >>> 15), 0x9e3779b1) >>> (32 - HASH_BITS);

/** Chains of positions by hash of their first `seed` code units (a rolling hash); each chain lists the latest position first. */
function buildIndex(old: string, seed: number): Index {
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(Math.max(old.length, 1));
  let top = 1; // BASE ** (seed - 1)
  for (let k = 1; k < seed; k++) top = Math.imul(top, BASE);
  let h = 0;
  for (let k = 0; k < seed && k < old.length; k++) h = (Math.imul(h, BASE) + old.charCodeAt(k)) | 0;
  for (let j = 0; j + seed <= old.length; j++) {
    if (j > 0) h = (Math.imul(h - Math.imul(old.charCodeAt(j - 1), top), BASE) + old.charCodeAt(j + seed - 1)) | 0;
    const slot = spread(h);
    prev[j] = head[slot]!;
    head[slot] = j;
  }
  return { seed, head, prev };
}

function matchLength(old: string, start: number, now: string, from: number): number {
  if (start < 0) return 0;
  let n = 0;
  while (start + n < old.length && from + n < now.length && old.charCodeAt(start + n) === now.charCodeAt(from + n)) n++;
  return n;
}

interface Best {
  start: number;
  length: number;
  /** Length minus address cost. */
  score: number;
}

/**
 * The copy for now[from...] that saves the most: the longest near copy, or a copy from an
 * index whose length minus its address cost is higher; the short-seed index is only asked
 * when the long one found nothing as long as its seed. `near[1]`, when present, is on the
 * latest diagonal, the base of far addresses.
 */
function bestMatch(old: string, now: string, from: number, near: number[], indexes: Index[], costs: Costs, budget: Budget): Match | undefined {
  const best: Best = { start: -1, length: 0, score: 0 };
  for (const start of near) {
    const length = matchLength(old, start, now, from);
    if (length >= costs.minNear && length > best.length) [best.start, best.length, best.score] = [start, length, length];
  }
  for (const index of indexes) {
    if (best.length >= index.seed || from + index.seed > now.length) continue;
    budget.work += 1 + walkChain(old, now, from, near[1] ?? from, index, costs, best);
  }
  if (budget.workLeft < 0) throw new GiveUp(`over the work budget (${budget.workLimit} steps)`);
  return best.length > 0 ? [best.start, from, best.length] : undefined;
}

/** Looks at the candidates of one hash chain; returns how many. */
function walkChain(old: string, now: string, from: number, base: number, index: Index, costs: Costs, best: Best): number {
  let depth = 0;
  for (let start = index.head[hashAt(now, from, index.seed)]!; start >= 0 && depth < CHAIN_DEPTH; depth++, start = index.prev[start]!) {
    if (old.charCodeAt(start + best.score) !== now.charCodeAt(from + best.score)) continue;
    const length = matchLength(old, start, now, from);
    const cost = addressCost(start - base, costs);
    if (length >= costs.minFarGain + cost && length - cost > best.score) [best.start, best.length, best.score] = [start, length, length - cost];
  }
  return depth;
}

function addressCost(skip: number, costs: Costs): number {
  let digits = 1;
  for (let n = Math.abs(skip); n >= 36; n = Math.floor(n / 36)) digits++;
  return costs.perDigit * digits;
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

interface Costs {
  minNear: number;
  minFarGain: number;
  perDigit: number;
}

/**
 * Copy thresholds in code units of literal text. A literal code unit costs fewer bits the
 * better the new text compresses (CSS far better than minified JS), so a copy must be longer
 * to be worth its instruction: the thresholds grow as the deflate ratio of the new text (its
 * first 64 KB) falls below TUNED_RATIO. This took the Bootstrap set from 1.51x to 1.33x zstd.
 */
function costsFor(now: string): Costs {
  const sample = now.length > 65536 ? now.slice(0, 65536) : now;
  const ratio = sample.length === 0 ? 1 : deflateRawSync(sample, { level: 1 }).length / Buffer.byteLength(sample);
  const scale = Math.max(1, TUNED_RATIO / Math.max(ratio, 0.01));
  return { minNear: Math.round(MIN_NEAR * scale), minFarGain: Math.round(MIN_FAR_GAIN * scale), perDigit: ADDRESS_COST * scale };
}
