import { describe, expect, it } from 'vitest';
import { prng, pseudoJs } from '../../bench/pseudo-js.js';
import { applyPatch } from '../client/patch.js';
import { diffTextsAnywhere } from '../diff/engine.js';
import { integrityOf } from '../text/integrity.js';
import { checkPatch } from '../verify/check-patch.js';
import { encodeDeltaPatch } from './delta-form.js';
import { InvalidPatchError } from './ops.js';
import { applyEncodedPatch } from './verify.js';

/** A real delta patch: renamed identifiers, a moved block, emoji and CRLF. */
function samplePatch(): { old: string; now: string; patch: string } {
  const base = pseudoJs(31, 6_000, true);
  const old = `${base.slice(0, 3_000)}\r\n/* \u{1F600} */${base.slice(3_000)}`;
  const now = `${old.slice(4_000, 5_000)}${old.slice(0, 4_000).replace(/value/g, 'v')}\u{1F44D}\r\n${old.slice(5_000)}`;
  const outcome = diffTextsAnywhere(old, now);
  if (!outcome.ok) throw new Error(outcome.reason);
  return { old, now, patch: encodeDeltaPatch(outcome.ops, old.length) };
}

/** One corruption of `patch`: a code unit replaced, dropped or doubled, or the end cut off. */
function corrupt(patch: string, random: () => number): string {
  const at = Math.floor(random() * patch.length);
  const kind = Math.floor(random() * 4);
  if (kind === 0) return patch.slice(0, at) + String.fromCharCode(patch.charCodeAt(at) === 0x31 ? 0x32 : 0x31) + patch.slice(at + 1);
  if (kind === 1) return patch.slice(0, at) + patch.slice(at + 1);
  if (kind === 2) return patch.slice(0, at) + patch[at] + patch.slice(at);
  return patch.slice(0, at);
}

describe('every reader of the delta form', () => {
  const { old, now, patch } = samplePatch();
  const version = { from: 'f'.repeat(40), to: 't'.repeat(40) };
  const expectation = { fromIntegrity: integrityOf(old), toIntegrity: integrityOf(now), toLength: now.length };
  const asset = { version: version.to, size: now.length, integrity: expectation.toIntegrity, contentType: 'text/javascript', text: true, full: 'full/x', patches: {} };
  const target = { asset: 'dist/a.js', ...version, toIntegrity: expectation.toIntegrity, toLength: now.length };

  /** What each reader makes of `encoded`: the text it accepts, or 'rejected'. */
  async function readers(encoded: string): Promise<string[]> {
    const pure = (() => {
      try {
        return applyEncodedPatch('delta', encoded, old, expectation);
      } catch (error) {
        if (error instanceof InvalidPatchError) return 'rejected';
        throw error;
      }
    })();
    const client = await applyPatch('delta', encoded, old, asset).catch((error: unknown) => {
      if (error instanceof InvalidPatchError) return 'rejected';
      throw error;
    });
    const verify = checkPatch('delta', encoded, target, old) === undefined ? now : 'rejected';
    return [pure, client, verify];
  }

  it('accept the real patch', async () => {
    expect(await readers(patch)).toEqual([now, now, now]);
    expect(checkPatch('delta', patch, target, undefined)).toBeUndefined();
  });

  it('reject hundreds of corrupted copies of it, and never return another text', async () => {
    const random = prng(9);
    let rejected = 0;
    for (let n = 0; n < 400; n++) {
      const results = await readers(corrupt(patch, random));
      for (const result of results) expect(result === 'rejected' || result === now).toBe(true);
      if (results.every((result) => result === 'rejected')) rejected++;
    }
    // A corruption can leave the text the same (a copy of equal text from elsewhere): not a failure.
    expect(rejected).toBeGreaterThan(380);
  });

  it('reject a patch made for another old text', async () => {
    expect(await readers(encodeDeltaPatch([[0, 1]], old.length + 1))).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
