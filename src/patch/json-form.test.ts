import { describe, expect, it } from 'vitest';
import { type JsonPatchHeader, JSON_PATCH_FORMAT, decodeJsonPatch, encodeJsonPatch } from './json-form.js';
import { InvalidPatchError, applyOps } from './ops.js';

const header: JsonPatchHeader = {
  asset: 'dist/app.js',
  from: 'a'.repeat(40),
  to: 'b'.repeat(40),
  fromIntegrity: 'sha256-from',
  toIntegrity: 'sha256-to',
  toLength: 45,
};
const OLD = 'a'.repeat(33) + 'X' + 'b'.repeat(10);

describe('JSON patch form', () => {
  it('encodes the SPEC §3 example with every field', () => {
    const encoded = encodeJsonPatch(header, [[0, 33], 'mn', [34, 10]]);
    expect(JSON.parse(encoded)).toEqual({ format: JSON_PATCH_FORMAT, ...header, ops: [[0, 33], 'mn', [34, 10]] });
  });

  it('round-trips and applies', () => {
    const patch = decodeJsonPatch(encodeJsonPatch(header, [[0, 33], 'mn', [34, 10]]), OLD);
    expect(applyOps(OLD, patch.ops)).toBe('a'.repeat(33) + 'mn' + 'b'.repeat(10));
    expect(patch.asset).toBe('dist/app.js');
  });

  it('keeps backslashes, tabs, quotes and emoji in inserts', () => {
    const text = 'a\\b\t"c"\n\u{1F600}\\t';
    const patch = decodeJsonPatch(encodeJsonPatch(header, [text]), '');
    expect(patch.ops).toEqual([text]);
  });

  it('ignores unknown fields', () => {
    const encoded = JSON.stringify({ ...JSON.parse(encodeJsonPatch(header, [[0, 1]])), extra: 1 });
    expect(decodeJsonPatch(encoded, OLD).ops).toEqual([[0, 1]]);
  });

  it.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['wrong format', JSON.stringify({ format: 'other', toLength: 1, ops: [] })],
    ['missing toLength', JSON.stringify({ format: JSON_PATCH_FORMAT, ops: [] })],
    ['negative toLength', JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: -1, ops: [] })],
    ['ops not an array', JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: 1, ops: 'x' })],
    ['copy out of range', JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: 1, ops: [[44, 1]] })],
    ['zero-length copy', JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: 1, ops: [[0, 0]] })],
    ['empty insert', JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: 1, ops: [''] })],
    ['string bounds', JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: 1, ops: [['0', '1']] })],
  ])('rejects %s', (_, text) => {
    expect(() => decodeJsonPatch(text, OLD)).toThrow(InvalidPatchError);
  });

  it('rejects a copy that splits a surrogate pair', () => {
    const old = 'a\u{1F600}';
    const text = JSON.stringify({ format: JSON_PATCH_FORMAT, toLength: 2, ops: [[0, 2]] });
    expect(() => decodeJsonPatch(text, old)).toThrow(/surrogate/);
  });
});
