/**
 * Tokenizers for the three levels of the diff. Each returns token boundaries over
 * text[from, to): a list of offsets starting with `from` and ending with `to`. Boundaries
 * only ever fall on ASCII characters or between whole code points, never inside a
 * surrogate pair.
 */

export const enum Level {
  /** Lines; very long lines (minified code) are cut after `;`, `{`, `}` and `,`. */
  Coarse = 0,
  /** Identifier/number runs, whitespace runs, single punctuation characters. */
  Word = 1,
  /** Code points. */
  Char = 2,
}

/** Lines longer than this are cut further at statement and block boundaries. */
const LONG_LINE = 200;

export function tokenBoundaries(text: string, from: number, to: number, level: Level): number[] {
  if (level === Level.Coarse) return coarseBoundaries(text, from, to);
  if (level === Level.Word) return wordBoundaries(text, from, to);
  return codePointBoundaries(text, from, to);
}

const isCut = (c: number) => c === 59 /* ; */ || c === 123 /* { */ || c === 125 /* } */ || c === 44; /* , */

function coarseBoundaries(text: string, from: number, to: number): number[] {
  const out = [from];
  let lineStart = from;
  while (lineStart < to) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 || nl >= to ? to : nl + 1;
    if (lineEnd - lineStart > LONG_LINE) cutLongLine(text, lineStart, lineEnd, out);
    out.push(lineEnd);
    lineStart = lineEnd;
  }
  return out;
}

function cutLongLine(text: string, start: number, end: number, out: number[]): void {
  for (let i = start; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (isCut(c)) out.push(i + 1);
  }
}

const enum Kind {
  Word,
  Space,
  Punct,
}

function kindOf(c: number): Kind {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128) {
    return Kind.Word;
  }
  if (c === 32 || c === 9 || c === 10 || c === 13) return Kind.Space;
  return Kind.Punct;
}

function wordBoundaries(text: string, from: number, to: number): number[] {
  const out = [from];
  let prev = -1;
  for (let i = from; i < to; i++) {
    const kind = kindOf(text.charCodeAt(i));
    if (i > from && (kind !== prev || kind === Kind.Punct)) out.push(i);
    prev = kind;
  }
  if (to > from) out.push(to);
  return out;
}

function codePointBoundaries(text: string, from: number, to: number): number[] {
  const out = [from];
  for (let i = from; i < to; ) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    out.push(i);
  }
  return out;
}
