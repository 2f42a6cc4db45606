import { gzipSync } from 'node:zlib';
import { diffTexts } from '../diff/engine.js';
import { type JsonPatchHeader, encodeJsonPatch } from '../patch/json-form.js';
import { encodeTabPatch } from '../patch/tab-form.js';
import { applyEncodedPatch } from '../patch/verify.js';
import type { PatchFormat } from '../types.js';

/** Everything needed to compute and prove one patch; plain data, so it can cross to a worker. */
export interface PatchJob {
  header: JsonPatchHeader;
  format: PatchFormat;
  oldText: string;
  newText: string;
  maxPatchRatio: number;
}

export type PatchJobResult =
  | { status: 'ok'; body: Uint8Array; gzipBytes: number; ms: number }
  | { status: 'skipped'; reason: string; ms: number }
  | { status: 'failed'; reason: string; ms: number };

/** Diff, encode, then prove the encoded patch by applying it as a client would. */
export function runPatchJob(job: PatchJob): PatchJobResult {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const outcome = diffTexts(job.oldText, job.newText, { maxPatchRatio: job.maxPatchRatio });
  if (!outcome.ok) return { status: 'skipped', reason: outcome.reason, ms: elapsed() };
  const encoded = job.format === 'json' ? encodeJsonPatch(job.header, outcome.ops) : encodeTabPatch(outcome.ops, job.oldText.length);
  const body = new TextEncoder().encode(encoded);
  const bytes = body.length;
  const fullBytes = Buffer.byteLength(job.newText);
  if (bytes > job.maxPatchRatio * fullBytes) {
    return { status: 'skipped', reason: `patch is ${percent(bytes, fullBytes)} of the file (over --max-patch-ratio ${job.maxPatchRatio})`, ms: elapsed() };
  }
  try {
    applyEncodedPatch(job.format, encoded, job.oldText, job.header);
  } catch (error) {
    return { status: 'failed', reason: `patch did not verify: ${(error as Error).message}`, ms: elapsed() };
  }
  return { status: 'ok', body, gzipBytes: gzipSync(body).length, ms: elapsed() };
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(whole, 1))} %`;
