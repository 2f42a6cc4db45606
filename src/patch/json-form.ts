import { type Op, InvalidPatchError, findInvalidOp } from './ops.js';

export const JSON_PATCH_FORMAT = 'deltawarm-patch/1';

/** The JSON patch form of SPEC §3. */
export interface JsonPatch {
  format: typeof JSON_PATCH_FORMAT;
  asset: string;
  from: string;
  to: string;
  fromIntegrity: string;
  toIntegrity: string;
  toLength: number;
  ops: Op[];
}

export type JsonPatchHeader = Omit<JsonPatch, 'format' | 'ops'>;

export function encodeJsonPatch(header: JsonPatchHeader, ops: readonly Op[]): string {
  const patch: JsonPatch = {
    format: JSON_PATCH_FORMAT,
    asset: header.asset,
    from: header.from,
    to: header.to,
    fromIntegrity: header.fromIntegrity,
    toIntegrity: header.toIntegrity,
    toLength: header.toLength,
    ops: [...ops],
  };
  return JSON.stringify(patch);
}

/** Parses a JSON-form patch and checks its shape and ops against `old`. */
export function decodeJsonPatch(text: string, old: string): JsonPatch {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidPatchError('patch is not JSON');
  }
  const patch = value as Partial<JsonPatch> | null;
  if (!patch || typeof patch !== 'object' || patch.format !== JSON_PATCH_FORMAT) {
    throw new InvalidPatchError(`patch format is not ${JSON_PATCH_FORMAT}`);
  }
  if (!Number.isSafeInteger(patch.toLength) || (patch.toLength as number) < 0) {
    throw new InvalidPatchError('toLength is not a non-negative integer');
  }
  const problem = findInvalidOp(patch.ops, old);
  if (problem) throw new InvalidPatchError(problem);
  return patch as JsonPatch;
}
