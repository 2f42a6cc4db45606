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

const NUMBER = '(0|[1-9a-z][0-9a-z]*)';
const HEADER = new RegExp(`^${DELTA_MAGIC} ${NUMBER} ${NUMBER}$`);
const INSTRUCTION = new RegExp(`^([1-9a-z][0-9a-z]*)?(?:(=|[${REPEAT_MARKS}]|[+-][1-9a-z][0-9a-z]*)?:([1-9a-z][0-9a-z]*))?$`);

export interface DeltaPatch {
  oldLength: number;
  newLength: number;
  ops: Op[];
}

/** Reads a delta-form patch without the old text: its header, and ops that build newLength code units. */
export function readDeltaPatch(text: string): DeltaPatch {
  const headerEnd = text.indexOf('\n');
  const instructionsEnd = text.indexOf('\n', headerEnd + 1);
  const header = HEADER.exec(text.slice(0, Math.max(headerEnd, 0)));
  if (!header || instructionsEnd < 0) throw new InvalidPatchError(`patch is not in the ${DELTA_MAGIC} delta form`);
  const [oldLength, newLength] = [parseInt(header[1]!, 36), parseInt(header[2]!, 36)];
  const line = text.slice(headerEnd + 1, instructionsEnd);
  const ops = decodeInstructions(line === '' ? [] : line.split(','), text.slice(instructionsEnd + 1));
  const built = ops.reduce((n, op) => n + (typeof op === 'string' ? op.length : op[1]), 0);
  if (built !== newLength) throw new InvalidPatchError(`ops build ${built} code units, the header says ${newLength}`);
  return { oldLength, newLength, ops };
}

/** Decodes a delta-form patch into ops over `old`, checking its structure and every op. */
export function decodeDeltaPatch(text: string, old: string): Op[] {
  const { oldLength, ops } = readDeltaPatch(text);
  if (oldLength !== old.length) throw new InvalidPatchError(`patch is for an old text of ${oldLength} code units, not ${old.length}`);
  const problem = findInvalidOp(ops, old);
  if (problem) throw new InvalidPatchError(problem);
  return ops;
}

function decodeInstructions(instructions: string[], literals: string): Op[] {
  const ops: Op[] = [];
  const diagonals = new RepeatDiagonals();
  let [cursor, produced, taken] = [0, 0, 0];
  for (const [index, instruction] of instructions.entries()) {
    const parts = INSTRUCTION.exec(instruction);
    const isLast = index === instructions.length - 1;
    if (!parts || instruction === '' || (parts[3] === undefined && !isLast)) throw new InvalidPatchError(`bad instruction ${JSON.stringify(instruction.slice(0, 20))}`);
    const pending = parts[1] === undefined ? 0 : parseInt(parts[1], 36);
    if (taken + pending > literals.length) throw new InvalidPatchError('literals run past the end of the patch');
    if (pending) ops.push(literals.slice(taken, (taken += pending)));
    produced += pending;
    if (parts[3] === undefined) break;
    const start = addressOf(parts[2], diagonals, cursor, produced);
    const length = parseInt(parts[3], 36);
    diagonals.use(start - produced);
    ops.push([start, length]);
    [cursor, produced] = [start + length, produced + length];
  }
  if (taken !== literals.length) throw new InvalidPatchError(`${literals.length - taken} code units of literals are left over`);
  return ops;
}

function addressOf(address: string | undefined, diagonals: RepeatDiagonals, cursor: number, produced: number): number {
  if (address === undefined) return produced + diagonals.latest;
  if (address === '=') return cursor;
  const repeat = REPEAT_MARKS.indexOf(address);
  if (repeat >= 0) {
    const diagonal = diagonals.list[repeat + 1];
    if (diagonal === undefined) throw new InvalidPatchError(`address ${address} refers to a copy that does not exist`);
    return produced + diagonal;
  }
  return produced + diagonals.latest + (address[0] === '-' ? -1 : 1) * parseInt(address.slice(1), 36);
}
