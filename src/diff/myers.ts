import { diff_core } from 'fast-myers-diff';
import type { Budget } from './budget.js';

const OVER_CAP = Symbol('over cap');

/**
 * Myers (fast-myers-diff) over a[a0, a1) and b[b0, b1), stopped after `cap` comparisons.
 * On success pushes the matched runs as triples (ai, bi, length) onto `out` and returns
 * true; over the cap returns false and leaves `out` alone. Spent comparisons go to the
 * budget's work either way; the wall clock is checked every 64 K comparisons.
 */
export function cappedMyers(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  cap: number, budget: Budget, out: number[],
): boolean {
  let left = cap;
  const eq = (i: number, j: number): boolean => {
    if (--left < 0) throw OVER_CAP;
    if ((left & 0xffff) === 0) budget.checkTime();
    return a[i] === b[j];
  };
  const runs: number[] = [];
  try {
    let ai = a0;
    let bi = b0;
    for (const [sx, ex, , ey] of diff_core(a0, a1 - a0, b0, b1 - b0, eq)) {
      if (sx > ai) runs.push(ai, bi, sx - ai);
      ai = ex;
      bi = ey;
    }
    if (ai < a1) runs.push(ai, bi, a1 - ai);
  } catch (error) {
    if (error !== OVER_CAP) throw error;
    budget.work += cap;
    return false;
  }
  budget.work += cap - left;
  for (const x of runs) out.push(x);
  return true;
}
