import { type Op, normalizeOps } from '../patch/ops.js';

/**
 * Copies shorter than this become part of the surrounding insert: in the JSON form a copy
 * costs about a dozen bytes (`[12345,67],` plus splitting the insert string around it), a
 * little less once gzipped. 10 gave the smallest jQuery patches of 6 to 28.
 */
export const MIN_COPY = 10;

/**
 * Turns matched runs (oldStart, newStart, length), sorted and non-overlapping on both
 * sides, into ops building `now` from `old`: copies for runs worth a copy, inserts for the
 * rest of `now`. The ops are normalized.
 */
export function emitOps(now: string, runs: readonly number[], minCopy = MIN_COPY): Op[] {
  runs = mergeContiguous(runs);
  const ops: Op[] = [];
  let cursor = 0; // next code unit of `now` to produce
  for (let k = 0; k < runs.length; k += 3) {
    const [o, n, len] = [runs[k]!, runs[k + 1]!, runs[k + 2]!];
    if (len < minCopy) continue;
    if (n > cursor) ops.push(now.slice(cursor, n));
    ops.push([o, len]);
    cursor = n + len;
  }
  if (cursor < now.length) ops.push(now.slice(cursor));
  return normalizeOps(ops);
}

/** Joins runs that continue each other on both sides, so their lengths add up before the threshold. */
function mergeContiguous(runs: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < runs.length; k += 3) {
    const [o, n, len] = [runs[k]!, runs[k + 1]!, runs[k + 2]!];
    const last = out.length - 3;
    if (last >= 0 && out[last]! + out[last + 2]! === o && out[last + 1]! + out[last + 2]! === n) out[last + 2]! += len;
    else out.push(o, n, len);
  }
  return out;
}
