import type { Integrity, PatchFormat } from '../types.js';
import { integrityOf } from '../text/integrity.js';
import { decodeDeltaPatch } from './delta-form.js';
import { decodeJsonPatch } from './json-form.js';
import { InvalidPatchError, applyOps } from './ops.js';
import { decodeTabPatch } from './tab-form.js';

export interface PatchExpectation {
  fromIntegrity: Integrity;
  toIntegrity: Integrity;
  toLength: number;
}

/**
 * Applies an encoded patch to `old` exactly as a client would, from its serialized form,
 * and checks the result. Returns the new text; throws InvalidPatchError on any mismatch.
 */
export function applyEncodedPatch(format: PatchFormat, encoded: string, old: string, expect: PatchExpectation): string {
  if (integrityOf(old) !== expect.fromIntegrity) throw new InvalidPatchError('old text does not match fromIntegrity');
  const ops = format === 'json' ? checkedJsonOps(encoded, old, expect) : format === 'tab' ? decodeTabPatch(encoded, old) : decodeDeltaPatch(encoded, old);
  const result = applyOps(old, ops);
  if (result.length !== expect.toLength) {
    throw new InvalidPatchError(`result has ${result.length} code units, expected ${expect.toLength}`);
  }
  if (integrityOf(result) !== expect.toIntegrity) throw new InvalidPatchError('result does not match toIntegrity');
  return result;
}

/** The JSON form carries its own header; it must agree with what the manifest expects. */
function checkedJsonOps(encoded: string, old: string, expect: PatchExpectation) {
  const patch = decodeJsonPatch(encoded, old);
  if (patch.fromIntegrity !== expect.fromIntegrity || patch.toIntegrity !== expect.toIntegrity || patch.toLength !== expect.toLength) {
    throw new InvalidPatchError('patch header does not match the expected integrity and length');
  }
  return patch.ops;
}
