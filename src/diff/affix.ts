import { splitsSurrogatePair } from '../patch/ops.js';

/** A region of `old` [o0, o1) facing a region of `now` [n0, n1), in code units. */
export interface Gap {
  o0: number;
  o1: number;
  n0: number;
  n1: number;
}

/**
 * Shrinks `gap` by the text its two sides share at the start and at the end, never cutting
 * a surrogate pair. Returns [head, tail]: the lengths trimmed.
 */
export function trimGap(old: string, now: string, gap: Gap): [head: number, tail: number] {
  const max = Math.min(gap.o1 - gap.o0, gap.n1 - gap.n0);
  let head = 0;
  while (head < max && old.charCodeAt(gap.o0 + head) === now.charCodeAt(gap.n0 + head)) head++;
  if (splitsSurrogatePair(old, gap.o0 + head) || splitsSurrogatePair(now, gap.n0 + head)) head--;
  let tail = 0;
  while (tail < max - head && old.charCodeAt(gap.o1 - 1 - tail) === now.charCodeAt(gap.n1 - 1 - tail)) tail++;
  if (splitsSurrogatePair(old, gap.o1 - tail) || splitsSurrogatePair(now, gap.n1 - tail)) tail--;
  gap.o0 += head;
  gap.n0 += head;
  gap.o1 -= tail;
  gap.n1 -= tail;
  return [head, tail];
}
