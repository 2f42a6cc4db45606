import { type Op, InvalidPatchError, findInvalidOp, normalizeOps, splitsSurrogatePair } from './ops.js';

const TAB = '\t';

/**
 * Encodes ops as the retain/delete/insert tab form of SPEC §4. The tab form walks the old
 * text once, so copies must come in increasing, non-overlapping order.
 */
export function encodeTabPatch(ops: readonly Op[], oldLength: number): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const op of normalizeOps(ops)) {
    if (typeof op === 'string') {
      parts.push('+' + escapeInsert(op));
      continue;
    }
    const [start, length] = op;
    if (start < cursor) throw new InvalidPatchError(`copy at ${start} goes back before ${cursor}: not encodable as tab form`);
    if (start > cursor) parts.push(`-${start - cursor}`);
    parts.push(`=${length}`);
    cursor = start + length;
  }
  if (cursor < oldLength) parts.push(`-${oldLength - cursor}`);
  return moveDeletesBeforeInserts(parts).join(TAB);
}

/** `+x -3` and `-3 +x` mean the same; SPEC's example puts the skip first, so do we. */
function moveDeletesBeforeInserts(parts: string[]): string[] {
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part.startsWith('-') && (parts[i - 1] as string).startsWith('+')) {
      parts[i] = parts[i - 1] as string;
      parts[i - 1] = part;
    }
  }
  return parts;
}

function escapeInsert(text: string): string {
  return text.replace(/[\\\t]/g, (c) => (c === '\\' ? '\\\\' : '\\t'));
}

function unescapeInsert(text: string): string {
  return text.replace(/\\(.?)/gs, (_, next: string) => {
    if (next === '\\') return '\\';
    if (next === 't') return TAB;
    throw new InvalidPatchError(`bad escape \\${next}`);
  });
}

/** Decodes a tab-form patch into copy/insert ops over `old`, checking every rule of SPEC §4. */
export function decodeTabPatch(text: string, old: string): Op[] {
  const ops: Op[] = [];
  let cursor = 0;
  for (const part of text === '' ? [] : text.split(TAB)) {
    const kind = part[0];
    const body = part.slice(1);
    if (kind === '+') {
      if (body === '') throw new InvalidPatchError('empty insert');
      ops.push(unescapeInsert(body));
      continue;
    }
    if ((kind !== '=' && kind !== '-') || !/^[1-9][0-9]*$/.test(body)) {
      throw new InvalidPatchError(`bad op ${JSON.stringify(part.slice(0, 20))}`);
    }
    const count = Number(body);
    if (cursor + count > old.length) throw new InvalidPatchError(`op ${part} runs past the old text (${old.length})`);
    if (kind === '=') ops.push([cursor, count]);
    cursor += count;
    if (splitsSurrogatePair(old, cursor)) throw new InvalidPatchError(`op ${part} ends inside a surrogate pair`);
  }
  if (cursor !== old.length) throw new InvalidPatchError(`ops cover ${cursor} of ${old.length} code units of the old text`);
  const problem = findInvalidOp(ops, old);
  if (problem) throw new InvalidPatchError(problem);
  return ops;
}
