import { describe, expect, it } from 'vitest';
import { InvalidPatchError, applyOps, findInvalidOp, normalizeOps, splitsSurrogatePair } from './ops.js';

const EMOJI = '\u{1F600}'; // two code units: \uD83D\uDE00

describe('applyOps', () => {
  it('applies the SPEC §3 example', () => {
    const old = 'a'.repeat(33) + 'X' + 'b'.repeat(10);
    expect(applyOps(old, [[0, 33], 'mn', [34, 10]])).toBe('a'.repeat(33) + 'mn' + 'b'.repeat(10));
  });

  it('allows copies in any order and repeated', () => {
    expect(applyOps('abc', [[2, 1], [0, 2], [0, 2]])).toBe('cabab');
  });

  it('gives the empty text for no ops', () => {
    expect(applyOps('anything', [])).toBe('');
  });

  it.each([
    ['zero length', [[0, 0]]],
    ['negative start', [[-1, 1]]],
    ['past the end', [[2, 2]]],
    ['non-integer', [[0.5, 1]]],
    ['empty insert', ['']],
    ['wrong shape', [[0, 1, 2]]],
    ['number', [3]],
  ])('rejects %s', (_, ops) => {
    expect(() => applyOps('abc', ops as never)).toThrow(InvalidPatchError);
  });
});

describe('findInvalidOp', () => {
  it('accepts valid ops', () => {
    expect(findInvalidOp([[0, 3], 'x'], 'abc')).toBeUndefined();
  });

  it('rejects a non-array', () => {
    expect(findInvalidOp({}, 'abc')).toMatch(/not an array/);
  });

  it('names the bad op', () => {
    expect(findInvalidOp([[0, 1], [1, 5]], 'abc')).toMatch(/^op 1: .*outside/);
  });

  it('rejects copies that split a surrogate pair', () => {
    const old = 'a' + EMOJI + 'b';
    expect(findInvalidOp([[0, 2]], old)).toMatch(/surrogate/);
    expect(findInvalidOp([[2, 2]], old)).toMatch(/surrogate/);
    expect(findInvalidOp([[1, 2]], old)).toBeUndefined();
  });

  it('rejects inserts that are half a surrogate pair', () => {
    expect(findInvalidOp(['x\uD83D'], '')).toMatch(/surrogate/);
    expect(findInvalidOp(['\uDE00x'], '')).toMatch(/surrogate/);
    expect(findInvalidOp([EMOJI], '')).toBeUndefined();
  });
});

describe('splitsSurrogatePair', () => {
  it('is true only between the halves', () => {
    const text = 'a' + EMOJI;
    expect([0, 1, 2, 3].map((i) => splitsSurrogatePair(text, i))).toEqual([false, false, true, false]);
  });
});

describe('normalizeOps', () => {
  it('merges neighbours and drops empties', () => {
    expect(normalizeOps(['a', '', 'b', [0, 2], [2, 3], [0, 0], [9, 1], 'c'])).toEqual(['ab', [0, 5], [9, 1], 'c']);
  });

  it('keeps copies that are not contiguous', () => {
    expect(normalizeOps([[0, 2], [3, 1], [3, 1]])).toEqual([[0, 2], [3, 1], [3, 1]]);
  });
});
