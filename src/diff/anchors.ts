/**
 * Patience anchors: tokens that occur exactly once in a[a0, a1) and once in b[b0, b1),
 * reduced to the longest chain increasing on both sides. Returns flat pairs (ai, bi) in
 * increasing order. `scratch` holds two zeroed Int32Arrays indexed by token id and is left
 * zeroed.
 */
export function uniqueAnchors(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  scratch: { countA: Int32Array; countB: Int32Array },
): number[] {
  const { countA, countB } = scratch;
  // countA[id]: occurrences in a (capped at 2); countB[id]: 1 + position in b when unique,
  // -1 when repeated.
  for (let i = a0; i < a1; i++) if (countA[a[i] as number]! < 2) countA[a[i] as number]!++;
  for (let j = b0; j < b1; j++) {
    const id = b[j] as number;
    countB[id] = countB[id] === 0 ? j + 1 : -1;
  }
  const pairs: number[] = [];
  for (let i = a0; i < a1; i++) {
    const id = a[i] as number;
    if (countA[id] === 1 && countB[id]! > 0) pairs.push(i, countB[id]! - 1);
  }
  for (let i = a0; i < a1; i++) countA[a[i] as number] = 0;
  for (let j = b0; j < b1; j++) countB[b[j] as number] = 0;
  return longestIncreasingChain(pairs);
}

/** Longest subsequence of the (ai, bi) pairs (given by increasing ai) with increasing bi. */
function longestIncreasingChain(pairs: number[]): number[] {
  const n = pairs.length / 2;
  if (n === 0) return [];
  const tails: number[] = []; // tails[k]: index of the pair ending the best chain of length k + 1
  const prev = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) {
    const bi = pairs[2 * p + 1] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[2 * (tails[mid] as number) + 1] as number) < bi) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[p] = tails[lo - 1] as number;
    tails[lo] = p;
  }
  const chain: number[] = [];
  for (let p = tails[tails.length - 1] as number; p >= 0; p = prev[p] as number) {
    chain.push(pairs[2 * p + 1] as number, pairs[2 * p] as number);
  }
  return chain.reverse();
}
