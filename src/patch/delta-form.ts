import { type Op, InvalidPatchError, findInvalidOp } from './ops.js';

/**
 * The delta form (docs/SPEC.md, "Patch form v2: delta"): copies from anywhere in the old
 * text, addressed relative to the latest copies, all literal text at the end so that gzip
 * and brotli see it as one run of source code.
 *
 *   dw2 OLDLENGTH NEWLENGTH\n INSTRUCTIONS\n LITERALS
 *
 * Numbers are base 36. An instruction is `[literal length][address]:copy length`; the last
 * instruction may be a bare literal length. Addresses are diagonals (old start - new start):
 * none = the latest diagonal, `R`/`S` = the second/third latest, `=` = the old cursor (where
 * the latest copy ended), `+N`/`-N` = the latest diagonal plus or minus N.
 */
export const DELTA_MAGIC = 'dw2';
const REPEATS = 3;
const REPEAT_MARKS = 'RS';

/** Diagonals (old start - new start) of the latest copies, most recent first, distinct. */
export class RepeatDiagonals {
  readonly list: number[] = [];

  get latest(): number {
    return this.list[0] ?? 0;
  }

  /** Records a copy's diagonal; returns where it was in the list (-1 when new). */
  use(diagonal: number): number {
    const at = this.list.indexOf(diagonal);
    if (at >= 0) this.list.splice(at, 1);
    this.list.unshift(diagonal);
    if (this.list.length > REPEATS) this.list.pop();
    return at;
  }
}

const b36 = (n: number) => n.toString(36);

export function encodeDeltaPatch(ops: readonly Op[], oldLength: number): string {
  const instructions: string[] = [];
  const literals: string[] = [];
  const diagonals = new RepeatDiagonals();
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
    const skip = diagonal - diagonals.latest;
    const at = diagonals.use(diagonal);
    const address = skip === 0 ? '' : start === cursor ? '=' : at > 0 ? REPEAT_MARKS[at - 1] : skip < 0 ? `-${b36(-skip)}` : `+${b36(skip)}`;
    instructions.push(`${pending ? b36(pending) : ''}${address}:${b36(length)}`);
    [cursor, produced, pending] = [start + length, produced + length, 0];
  }
  if (pending) instructions.push(b36(pending));
  return `${DELTA_MAGIC} ${b36(oldLength)} ${b36(produced)}\n${instructions.join(',')}\n${literals.join('')}`;
}

const NUMBER = '[1-9a-z][0-9a-z]*';
const HEADER = new RegExp(`^${DELTA_MAGIC} (0|${NUMBER}) (0|${NUMBER})\n([^\n]*)\n`);
const INSTRUCTION = new RegExp(`^(${NUMBER})?(?:(=|[${REPEAT_MARKS}]|[+-]${NUMBER})?:(${NUMBER}))?$`);
const bad = (why: string) => new InvalidPatchError(`delta patch: ${why}`);

export interface DeltaPatch {
  oldLength: number;
  newLength: number;
  ops: Op[];
}

/** Reads a delta-form patch without the old text: its header, and ops that build newLength code units. */
export function readDeltaPatch(text: string): DeltaPatch {
  const head = HEADER.exec(text);
  if (!head) throw bad(`no ${DELTA_MAGIC} header`);
  const literals = text.slice(head[0].length);
  const list = head[3] ? head[3].split(',') : [];
  const diagonals = new RepeatDiagonals();
  const ops: Op[] = [];
  let [cursor, produced, taken] = [0, 0, 0];
  for (const [index, instruction] of list.entries()) {
    const match = INSTRUCTION.exec(instruction);
    const [, pending, address, length] = match ?? [];
    if (!match || !instruction || (!length && index < list.length - 1)) throw bad(`bad instruction ${index + 1}`);
    if (pending) {
      const n = parseInt(pending, 36);
      ops.push(literals.slice(taken, (taken += n)));
      produced += n;
    }
    if (!length) break;
    const repeat = address ? REPEAT_MARKS.indexOf(address) : -1;
    const diagonal = !address ? diagonals.latest : address === '=' ? cursor - produced : repeat >= 0 ? diagonals.list[repeat + 1] : diagonals.latest + parseInt(address, 36);
    if (diagonal === undefined) throw bad(`instruction ${index + 1} repeats a copy that does not exist`);
    const [start, n] = [produced + diagonal, parseInt(length, 36)];
    diagonals.use(diagonal);
    ops.push([start, n]);
    [cursor, produced] = [start + n, produced + n];
  }
  if (taken !== literals.length) throw bad(`the instructions take ${taken} code units of literals, the patch has ${literals.length}`);
  const [oldLength, newLength] = [parseInt(head[1]!, 36), parseInt(head[2]!, 36)];
  if (produced !== newLength) throw bad(`ops build ${produced} code units, the header says ${newLength}`);
  return { oldLength, newLength, ops };
}

/** Decodes a delta-form patch into ops over `old`, checking its structure and every op. */
export function decodeDeltaPatch(text: string, old: string): Op[] {
  const { oldLength, ops } = readDeltaPatch(text);
  if (oldLength !== old.length) throw bad(`made for an old text of ${oldLength} code units, not ${old.length}`);
  const problem = findInvalidOp(ops, old);
  if (problem) throw bad(problem);
  return ops;
}
