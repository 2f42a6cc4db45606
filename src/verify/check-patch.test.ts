import { describe, expect, it } from 'vitest';
import { encodeDeltaPatch } from '../patch/delta-form.js';
import { encodeJsonPatch } from '../patch/json-form.js';
import type { Op } from '../patch/ops.js';
import { encodeTabPatch } from '../patch/tab-form.js';
import { integrityOf } from '../text/integrity.js';
import { checkPatch } from './check-patch.js';

const old = 'let a = 1;\tlet b = "😀";\n';
const next = 'let a = 2;\tlet b = "😀\\";\n';
const ops: Op[] = [[0, 8], '2', [9, 13], '\\', [22, 3]];
const target = { asset: 'dist/a.js', from: 'f'.repeat(40), to: 't'.repeat(40), toIntegrity: integrityOf(next), toLength: next.length };
const json = encodeJsonPatch({ ...target, fromIntegrity: integrityOf(old) }, ops);
const tab = encodeTabPatch(ops, old.length);
const delta = encodeDeltaPatch(ops, old.length);

describe('checkPatch', () => {
  it('accepts good patches in every form, applied to the old text or validated without it', () => {
    for (const [format, encoded] of [['json', json], ['tab', tab], ['delta', delta]] as const) {
      expect(checkPatch(format, encoded, target, old)).toBeUndefined();
      expect(checkPatch(format, encoded, target, undefined)).toBeUndefined();
    }
  });

  it('without the old text, still catches a header that disagrees with the manifest and ops of the wrong length', () => {
    expect(checkPatch('json', json, { ...target, to: 'a'.repeat(40) }, undefined)).toMatch(/^header "to" is "t{40}", the manifest says "a{40}"$/);
    expect(checkPatch('tab', tab.replace('+2', '+22'), target, undefined)).toBe(`ops build ${next.length + 1} code units, the new text has ${next.length}`);
    expect(checkPatch('tab', `${tab}\t*3`, target, undefined)).toBe('bad op "*3"');
    expect(checkPatch('json', '{"format":"other"}', target, undefined)).toBe('patch format is not deltawarm-patch/1');
    expect(checkPatch('delta', encodeDeltaPatch([[0, 8], '2', [9, 13], '\\', [22, 2]], old.length), target, undefined)).toBe(`ops build ${next.length - 1} code units, the new text has ${next.length}`);
    expect(checkPatch('delta', tab, target, undefined)).toBe('delta patch: no header');
  });

  it('with the old text, catches a patch made from another old version or building other text', () => {
    expect(checkPatch('json', json, target, old.replace('1', '3'))).toBe('old text does not match fromIntegrity');
    expect(checkPatch('tab', tab.replace('+2', '+3'), target, old)).toBe('result does not match toIntegrity');
    expect(checkPatch('delta', delta.replace(/2\\$/, '3\\'), target, old)).toBe('result does not match toIntegrity');
  });
});
