import { describe, expect, it } from 'vitest';
import { decodeDeltaPatch, encodeDeltaPatch, readDeltaPatch } from './delta-form.js';
import { type Op, InvalidPatchError, applyOps } from './ops.js';

const EMOJI = '\u{1F600}';

const roundTrip = (ops: Op[], old: string) => decodeDeltaPatch(encodeDeltaPatch(ops, old.length), old);

describe('encodeDeltaPatch', () => {
  it('writes the header, the instructions and the literals at the end', () => {
    // old 'abcdefgh' (8), new 'xabcdYefgh': literal x, copy abcd from the old cursor, literal Y, copy efgh from it
    expect(encodeDeltaPatch(['x', [0, 4], 'Y', [4, 4]], 8)).toBe('dw2 8\n1=:4,1=:4\nxY');
  });

  it('writes nothing but the header for empty to empty, and a bare literal length for an all-new text', () => {
    expect(encodeDeltaPatch([], 0)).toBe('dw2 0\n\n');
    expect(encodeDeltaPatch(['new'], 5)).toBe('dw2 5\n3\nnew');
  });

  it('starts on diagonal 0: an unchanged start needs no address', () => {
    expect(encodeDeltaPatch([[0, 3], 'x'], 3)).toBe('dw2 3\n:3,1\nx');
    expect(roundTrip([[0, 3], 'x'], 'abc')).toEqual([[0, 3], 'x']);
  });

  it('addresses a copy on the latest diagonal with nothing, the old cursor with =, older diagonals with R and S', () => {
    const old = 'abcdefghijklmnopqrstuvwxyz';
    // +a: diagonal 10; -e: a moved block from 0 (diagonal -4); 1=: after the literal Z, at the old
    // cursor 4 (a new diagonal, -5); S: diagonal 10 again; 5R: five literals (digits right before R),
    // then diagonal -5 again
    const ops: Op[] = [[10, 4], [0, 4], 'Z', [4, 3], [22, 2], 'abcde', [14, 2]];
    expect(encodeDeltaPatch(ops, old.length).split('\n')[1]).toBe('+a:4,-e:4,1=:3,S:2,5R:2');
    expect(roundTrip(ops, old)).toEqual(ops);
    expect(roundTrip([[10, 4], [0, 4], 'Z', [5, 3]], old)).toEqual([[10, 4], [0, 4], 'Z', [5, 3]]);
  });
});

describe('decodeDeltaPatch', () => {
  const old = `line one\nline two ${EMOJI}\nline three\n`;

  it('round-trips copies in any order, emoji and CRLF', () => {
    const ops: Op[] = [[9, 11], `\r\n${EMOJI} new\r\n`, [0, 9], [9, 11], 'tail'];
    expect(roundTrip(ops, old)).toEqual(ops);
    expect(applyOps(old, roundTrip(ops, old))).toBe(`line two ${EMOJI}\r\n${EMOJI} new\r\nline one\nline two ${EMOJI}tail`);
  });

  it('reads the new length without the old text', () => {
    expect(readDeltaPatch(encodeDeltaPatch([[0, 4], 'xyz'], 40))).toMatchObject({ oldLength: 40, newLength: 7 });
    expect(readDeltaPatch('dw2 07\n:3\n').oldLength).toBe(7);
  });

  it.each([
    ['no header', 'hello', /no header/],
    ['a header only', 'dw2 0', /no header/],
    ['another form', '=5\t+x', /no header/],
    ['an upper-case number', 'dw2 A\n1\nx', /no header/],
    ['the wrong old length', 'dw2 5\n1\nx', /old length/],
    ['literals left over', 'dw2 7\n1\nxy', /literals/],
    ['literals running short', 'dw2 7\n2\nx', /literals/],
    ['a copy outside the old text', 'dw2 7\n+5:3\n', /outside the old text/],
    ['a copy before the start', 'dw2 7\n-1:3\n', /outside the old text/],
    ['a zero-length copy', 'dw2 7\n:0\n', /instruction 1/],
    ['a bare literal before the end', 'dw2 7\n1,1\nxy', /instruction 1/],
    ['an empty instruction', 'dw2 7\n:3,\n', /instruction 2/],
    ['a repeat of a copy that never was', 'dw2 7\nR:2\n', /instruction 1/],
    ['an unknown address', 'dw2 7\n*:2\n', /instruction 1/],
    ['a literal splitting a surrogate pair', `dw2 7\n1\n${EMOJI[0]}`, /surrogate pair/],
  ])('rejects %s', (_, patch, message) => {
    expect(() => decodeDeltaPatch(patch, 'abcdefg')).toThrow(InvalidPatchError);
    expect(() => decodeDeltaPatch(patch, 'abcdefg')).toThrow(message);
  });

  it('rejects a copy that splits a surrogate pair of the old text', () => {
    expect(() => decodeDeltaPatch('dw2 3\n:1\n', `${EMOJI}x`)).toThrow(/surrogate pair/);
  });
});
