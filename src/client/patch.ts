import type { PatchFormat, Version } from '../types.js';
import type { ManifestAsset } from '../tree/manifest.js';
import { decodeDeltaPatch } from '../patch/delta-form.js';
import { decodeJsonPatch } from '../patch/json-form.js';
import { type Op, InvalidPatchError, buildText } from '../patch/ops.js';
import { decodeTabPatch } from '../patch/tab-form.js';
import { integrityOf } from './integrity.js';

/**
 * Applies a patch text from version `from` (cached text `old`) to `asset`'s current version
 * and returns the new text, or throws when the patch is invalid, is for other versions,
 * or its result differs from the manifest's `integrity` (SPEC §3, §4).
 */
export async function applyPatch(format: PatchFormat, patchText: string, old: string, from: Version, asset: ManifestAsset): Promise<string> {
  let ops: readonly Op[] = [];
  let length: number | undefined;
  if (format === 'json') {
    const patch = decodeJsonPatch(patchText, old);
    if (patch.from !== from || patch.to !== asset.version || patch.toIntegrity !== asset.integrity) {
      throw new InvalidPatchError('patch is for other versions');
    }
    if ((await integrityOf(old)) !== patch.fromIntegrity) throw new InvalidPatchError('cached text does not match fromIntegrity');
    ({ ops, toLength: length } = patch);
  } else {
    ops = format === 'tab' ? decodeTabPatch(patchText, old) : decodeDeltaPatch(patchText, old);
  }
  const text = buildText(old, ops);
  if (length !== undefined && text.length !== length) throw new InvalidPatchError(`result has ${text.length} code units, expected ${length}`);
  if ((await integrityOf(text)) !== asset.integrity) throw new InvalidPatchError('integrity mismatch');
  return text;
}
