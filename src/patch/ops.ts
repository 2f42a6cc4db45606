/**
 * Patch operations over UTF-16 code units (SPEC §3). Pure: shared by the CLI and the
 * browser runtime, so no Node imports here.
 */
export type CopyOp = readonly [start: number, length: number];
export type InsertOp = string;
export type Op = CopyOp | InsertOp;

export class InvalidPatchError extends Error {
  override name = 'InvalidPatchError';
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** True when `index` falls between the two halves of a surrogate pair of `text`. */
export function splitsSurrogatePair(text: string, index: number): boolean {
  return index > 0 && index < text.length && isHigh(text.charCodeAt(index - 1)) && isLow(text.charCodeAt(index));
}

function isWholeCodePoints(text: string): boolean {
  return !isLow(text.charCodeAt(0)) && !isHigh(text.charCodeAt(text.length - 1));
}

/** Returns what is wrong with `ops` as a patch of `old`, or undefined when they are valid. */
export function findInvalidOp(ops: unknown, old: string): string | undefined {
  if (!Array.isArray(ops)) return 'ops is not an array';
  for (let i = 0; i < ops.length; i++) {
    const problem = findInvalid(ops[i], old);
    if (problem) return `op ${i}: ${problem}`;
  }
  return undefined;
}

function findInvalid(op: unknown, old: string): string | undefined {
  if (typeof op === 'string') {
    if (op.length === 0) return 'empty insert';
    return isWholeCodePoints(op) ? undefined : 'insert splits a surrogate pair';
  }
  if (!Array.isArray(op) || op.length !== 2) return 'not a string or [start, length]';
  const s = op[0] as number;
  const l = op[1] as number;
  if (!Number.isSafeInteger(s) || !Number.isSafeInteger(l)) return 'copy bounds are not integers';
  if (s < 0 || l < 1 || s + l > old.length) return `copy [${s}, ${l}] is outside the old text (${old.length})`;
  if (splitsSurrogatePair(old, s) || splitsSurrogatePair(old, s + l)) return `copy [${s}, ${l}] splits a surrogate pair`;
  return undefined;
}

/** Builds the new text. Throws InvalidPatchError on invalid ops. */
export function applyOps(old: string, ops: readonly Op[]): string {
  const problem = findInvalidOp(ops, old);
  if (problem) throw new InvalidPatchError(problem);
  return buildText(old, ops);
}

/**
 * Builds the new text from ops that a decoder has already checked (every decoder checks
 * every op against `old`): the browser runtimes, which should not check twice.
 */
export function buildText(old: string, ops: readonly Op[]): string {
  let out = '';
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    out += typeof op === 'string' ? op : old.slice(op[0], op[0] + op[1]);
  }
  return out;
}

/** Merges adjacent inserts and contiguous copies, so both forms encode the fewest ops. */
export function normalizeOps(ops: readonly Op[]): Op[] {
  const out: Op[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (typeof op === 'string') {
      if (op.length === 0) continue;
      if (typeof last === 'string') out[out.length - 1] = last + op;
      else out.push(op);
    } else if (last !== undefined && typeof last !== 'string' && last[0] + last[1] === op[0]) {
      out[out.length - 1] = [last[0], last[1] + op[1]];
    } else if (op[1] > 0) {
      out.push([op[0], op[1]]);
    }
  }
  return out;
}
