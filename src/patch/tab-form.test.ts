import { describe, expect, it } from 'vitest';
import { InvalidPatchError, applyOps } from './ops.js';
import { decodeTabPatch, encodeTabPatch } from './tab-form.js';

const EMOJI = '\u{1F600}';

describe('encodeTabPatch', () => {
  it('encodes the SPEC §4 example', () => {
    // abcdefg -> acdz: keep a, skip b, keep cd, skip efg, insert z
    expect(encodeTabPatch([[0, 1], [2, 2], 'z'], 7)).toBe('=1\t-1\t=2\t-3\t+z');
  });

  it('gives =N for identical texts and nothing for empty to empty', () => {
    expect(encodeTabPatch([[0, 5]], 5)).toBe('=5');
    expect(encodeTabPatch([], 0)).toBe('');
  });

  it('skips the whole old text when nothing is kept', () => {
    expect(encodeTabPatch(['new'], 3)).toBe('-3\t+new');
    expect(encodeTabPatch([], 3)).toBe('-3');
  });

  it('escapes backslash and tab, and keeps a literal backslash-t apart from a tab', () => {
    expect(encodeTabPatch(['a\\b\tc'], 0)).toBe('+a\\\\b\\tc');
    expect(encodeTabPatch(['\\t'], 0)).toBe('+\\\\t');
  });

  it('refuses copies that go backwards', () => {
    expect(() => encodeTabPatch([[2, 1], [0, 1]], 3)).toThrow(InvalidPatchError);
  });

  it('normalizes before encoding', () => {
    expect(encodeTabPatch([[0, 1], [1, 1], 'a', 'b'], 2)).toBe('=2\t+ab');
  });
});

describe('decodeTabPatch', () => {
  it('decodes the SPEC §4 example', () => {
    const ops = decodeTabPatch('=1\t-1\t=2\t-3\t+z', 'abcdefg');
    expect(applyOps('abcdefg', ops)).toBe('acdz');
  });

  it('decodes the empty patch of empty to empty', () => {
    expect(decodeTabPatch('', '')).toEqual([]);
  });

  it('round-trips escapes', () => {
    for (const text of ['a\\b', 'tab\there', '\\t', '\\\\t\t\\', 'x\\']) {
      const encoded = encodeTabPatch([text], 0);
      expect(encoded.split('\t')).toHaveLength(1);
      expect(decodeTabPatch(encoded, '')).toEqual([text]);
    }
  });

  it.each([
    ['unknown escape', '+a\\nb', ''],
    ['dangling backslash', '+a\\', ''],
    ['empty insert', '+', ''],
    ['zero count', '=0\t=3', 'abc'],
    ['leading zero', '=03', 'abc'],
    ['no count', '=', 'abc'],
    ['unknown op', '*3', 'abc'],
    ['signed count', '=+3', 'abc'],
    ['runs past the end', '=4', 'abc'],
    ['covers too little', '=2', 'abc'],
    ['covers nothing', '+x', 'abc'],
    ['empty part', '=1\t\t=2', 'abc'],
    ['trailing tab', '=3\t', 'abc'],
    ['keep splits a surrogate pair', '=2\t-1', 'a' + EMOJI],
    ['skip splits a surrogate pair', '-2\t=1', 'a' + EMOJI],
    ['skip then insert splits a surrogate pair', '-2\t+x\t-1', 'a' + EMOJI],
    ['insert is half a surrogate pair', '=1\t+\uD83D', 'a'],
  ])('rejects %s', (_, patch, old) => {
    expect(() => decodeTabPatch(patch, old)).toThrow(InvalidPatchError);
  });

  it('accepts keeps and skips on whole code points', () => {
    const old = 'a' + EMOJI + 'b';
    expect(applyOps(old, decodeTabPatch('-1\t=2\t-1\t+' + EMOJI, old))).toBe(EMOJI + EMOJI);
  });
});
