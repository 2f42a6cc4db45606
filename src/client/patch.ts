import type { PatchFormat } from '../types.js';
import type { ManifestAsset } from '../tree/manifest.js';
import { decodeDeltaPatch } from '../patch/delta-form.js';
import { decodeJsonPatch } from '../patch/json-form.js';
import { InvalidPatchError, buildText } from '../patch/ops.js';
import { decodeTabPatch } from '../patch/tab-form.js';
import { integrityOf } from './integrity.js';

/**
 * Applies a patch text to the cached text `old` of an older version to `asset`'s current version
 * and returns the new text, or throws when the patch is invalid or its result differs from the
 * manifest's `integrity` (SPEC §3, §4, §5). A JSON patch's own versions and integrities are not
 * compared first: a patch for other versions, or a cached text that is not its old text, cannot
 * give a result of the asset's integrity (nor can a result of another length than `toLength`),
 * and skipping them saves hashing the old text.
 */
export async function applyPatch(format: PatchFormat, patchText: string, old: string, asset: ManifestAsset): Promise<string> {
  const ops = format === 'json' ? decodeJsonPatch(patchText, old).ops : format === 'tab' ? decodeTabPatch(patchText, old) : decodeDeltaPatch(patchText, old);
  // Each decoder has validated the ops against `old` (findInvalidOp): buildText does not check them again.
  const text = buildText(old, ops);
  if ((await integrityOf(text)) !== asset.integrity) throw new InvalidPatchError('integrity mismatch');
  return text;
}
