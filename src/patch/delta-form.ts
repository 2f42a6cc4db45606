import { type Op, InvalidPatchError, findInvalidOp } from './ops.js';

/**
 * The delta form (docs/SPEC.md §10): copies from anywhere in the old
 * text, addressed relative to the latest copies, all literal text at the end so that gzip
 * and brotli see it as one run of source code.
 *
 *   dw2 OLDLENGTH\n INSTRUCTIONS\n LITERALS
 *
 * Numbers are base 36. An instruction is `[literal length][address]:copy length`; the last
 * instruction may be a bare literal length. Addresses are diagonals (old start - new start):
 * none = the latest diagonal, `R`/`S` = the second/third latest, `=` = the old cursor (where
 * the latest copy ended), `+N`/`-N` = the latest diagonal plus or minus N.
 */
export const DELTA_MAGIC = 'dw2';
const REPEATS = 3;
const REPEAT_MARKS = 'RS';

/**
 * Records a copy's diagonal (old start - new start) in `diagonals`, the latest copies' ones,
 * most recent first, distinct, at most REPEATS; returns where it was (-1 when new).
 */
export function useDiagonal(diagonals: number[], diagonal: number): number {
  const at = diagonals.indexOf(diagonal);
  if (at >= 0) diagonals.splice(at, 1);
  if (diagonals.unshift(diagonal) > REPEATS) diagonals.pop();
  return at;
}

const b36 = (n: number) => n.toString(36);

export function encodeDeltaPatch(ops: readonly Op[], oldLength: number): string {
  const instructions: string[] = [];
  const literals: string[] = [];
  const diagonals: number[] = [];
  let [cursor, produced, pending] = [0, 0, 0];
  for (const op of ops) {
    if (typeof op === 'string') {
      literals.push(op);
      pending += op.length;
      produced += op.length;
      continue;
    }
    const [start, length] = op;
    const diagonal = start - produced;
    const skip = diagonal - (diagonals[0] ?? 0);
    const at = useDiagonal(diagonals, diagonal);
    const address = skip === 0 ? '' : start === cursor ? '=' : at > 0 ? REPEAT_MARKS[at - 1] : skip < 0 ? `-${b36(-skip)}` : `+${b36(skip)}`;
    instructions.push(`${pending ? b36(pending) : ''}${address}:${b36(length)}`);
    [cursor, produced, pending] = [start + length, produced + length, 0];
  }
  if (pending) instructions.push(b36(pending));
  return `${DELTA_MAGIC} ${b36(oldLength)}\n${instructions.join(',')}\n${literals.join('')}`;
}

const NUMBER = '[1-9a-z][0-9a-z]*';
const HEADER = new RegExp(`^${DELTA_MAGIC} ([0-9a-z]+)\n(.*)\n`);
const INSTRUCTION = new RegExp(`^(${NUMBER})?(?:(=|[${REPEAT_MARKS}]|[+-]${NUMBER})?:(${NUMBER}))?$`);
const bad = (why: string) => new InvalidPatchError(`delta patch: ${why}`);

export interface DeltaPatch {
  oldLength: number;
  /** Code units the ops build. */
  newLength: number;
  ops: Op[];
}

/** Reads a delta-form patch without the old text. Kept small: it ships in the browser runtime. */
export function readDeltaPatch(text: string): DeltaPatch {
  const head = HEADER.exec(text);
  if (!head) throw bad('no header');
  const literals = text.slice(head[0].length);
  const list = head[2] ? head[2].split(',') : [];
  const diagonals: number[] = [];
  const ops: Op[] = [];
  let cursor = 0;
  let produced = 0;
  let taken = 0;
  // Plain indexes, no destructuring: this loop runs once per worker start, in the interpreter.
  for (let index = 0; index < list.length; index++) {
    const match = INSTRUCTION.exec(list[index]!);
    const pending = match?.[1];
    const address = match?.[2] ?? '';
    const length = match?.[3];
    if (pending) {
      const n = parseInt(pending, 36);
      ops.push(literals.slice(taken, (taken += n)));
      produced += n;
    }
    const repeat = address ? REPEAT_MARKS.indexOf(address) + 1 : 0;
    const diagonal = address === '=' ? cursor - produced : repeat ? diagonals[repeat] : (diagonals[0] ?? 0) + (parseInt(address, 36) || 0);
    if (!match?.[0] || (!length && index < list.length - 1) || diagonal === undefined) throw bad(`instruction ${index + 1}`);
    if (!length) break;
    const n = parseInt(length, 36);
    useDiagonal(diagonals, diagonal);
    ops.push([produced + diagonal, n]);
    cursor = produced + diagonal + n;
    produced += n;
  }
  if (taken !== literals.length) throw bad('literals');
  return { oldLength: parseInt(head[1]!, 36), newLength: produced, ops };
}

/** Decodes a delta-form patch into ops over `old`, checking its structure and every op. */
export function decodeDeltaPatch(text: string, old: string): Op[] {
  const { oldLength, ops } = readDeltaPatch(text);
  if (oldLength !== old.length) throw bad('old length');
  const problem = findInvalidOp(ops, old);
  if (problem) throw bad(problem);
  return ops;
}
