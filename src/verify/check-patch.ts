import { readDeltaPatch } from '../patch/delta-form.js';
import { type JsonPatch, JSON_PATCH_FORMAT } from '../patch/json-form.js';
import { InvalidPatchError } from '../patch/ops.js';
import { applyEncodedPatch } from '../patch/verify.js';
import { integrityOf } from '../text/integrity.js';
import type { AssetPath, Integrity, PatchFormat, Version } from '../types.js';

/** What a patch in the manifest must turn into. */
export interface PatchTarget {
  asset: AssetPath;
  from: Version;
  to: Version;
  toIntegrity: Integrity;
  /** The new text's length in UTF-16 code units. */
  toLength: number;
}

/**
 * Checks a patch as fetched. With the old text (from git) it is applied exactly as a client
 * would and the result checked against the manifest. Without it, the patch is validated as
 * far as possible: its form, its header against the manifest, and that its ops build a text
 * of the right length. Returns what is wrong, or undefined.
 */
export function checkPatch(format: PatchFormat, encoded: string, target: PatchTarget, old: string | undefined): string | undefined {
  try {
    const header = format === 'json' ? checkJsonHeader(encoded, target) : undefined;
    if (old !== undefined) {
      const fromIntegrity = header?.fromIntegrity ?? integrityOf(old);
      applyEncodedPatch(format, encoded, old, { fromIntegrity, toIntegrity: target.toIntegrity, toLength: target.toLength });
      return undefined;
    }
    const built = format === 'json' ? jsonResultLength(header as JsonPatch) : format === 'tab' ? tabResultLength(encoded) : readDeltaPatch(encoded).newLength;
    return built === target.toLength ? undefined : `ops build ${built} code units, the new text has ${target.toLength}`;
  } catch (error) {
    if (error instanceof InvalidPatchError) return error.message;
    throw error;
  }
}

function checkJsonHeader(encoded: string, target: PatchTarget): JsonPatch {
  let patch: JsonPatch;
  try {
    patch = JSON.parse(encoded) as JsonPatch;
  } catch {
    throw new InvalidPatchError('patch is not JSON');
  }
  if (patch?.format !== JSON_PATCH_FORMAT) throw new InvalidPatchError(`patch format is not ${JSON_PATCH_FORMAT}`);
  for (const field of ['asset', 'from', 'to', 'toIntegrity', 'toLength'] as const) {
    if (patch[field] !== target[field]) throw new InvalidPatchError(`header "${field}" is ${JSON.stringify(patch[field])}, the manifest says ${JSON.stringify(target[field])}`);
  }
  if (!Array.isArray(patch.ops)) throw new InvalidPatchError('ops is not an array');
  return patch;
}

function jsonResultLength(patch: JsonPatch): number {
  let length = 0;
  for (const [index, op] of patch.ops.entries()) {
    if (typeof op === 'string' && op.length > 0) length += op.length;
    else if (Array.isArray(op) && op.length === 2 && op.every((n) => Number.isSafeInteger(n)) && op[0] >= 0 && op[1] >= 1) length += op[1];
    else throw new InvalidPatchError(`op ${index} is neither a non-empty string nor a [start, length] pair`);
  }
  return length;
}

/** The tab form's result length: kept and inserted code units (inserts unescaped). */
function tabResultLength(encoded: string): number {
  let length = 0;
  for (const part of encoded === '' ? [] : encoded.split('\t')) {
    if (part.startsWith('+') && part.length > 1) length += part.slice(1).replace(/\\[\\t]/g, '_').length;
    else if (/^[=-][1-9][0-9]*$/.test(part)) length += part[0] === '=' ? Number(part.slice(1)) : 0;
    else throw new InvalidPatchError(`bad op ${JSON.stringify(part.slice(0, 20))}`);
  }
  return length;
}
