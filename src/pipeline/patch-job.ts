import { diffTexts, diffTextsAnywhere } from '../diff/engine.js';
import { encodeDeltaPatch } from '../patch/delta-form.js';
import { type JsonPatchHeader, encodeJsonPatch } from '../patch/json-form.js';
import type { Op } from '../patch/ops.js';
import { encodeTabPatch } from '../patch/tab-form.js';
import { applyEncodedPatch } from '../patch/verify.js';
import { brotliSize, gzipSize } from '../text/compressed-size.js';
import type { PatchFormat } from '../types.js';

/** Everything needed to compute and prove one patch; plain data, so it can cross to a worker. */
export interface PatchJob {
  header: JsonPatchHeader;
  format: PatchFormat;
  oldText: string;
  newText: string;
  /** Largest patch worth sending, as a share of the full file's gzip bytes. */
  maxPatchRatio: number;
  /** gzip bytes of the full new file: what a client downloads without a patch. */
  fullGzipBytes: number;
}

export type PatchJobResult =
  | { status: 'ok'; body: Uint8Array; gzipBytes: number; brotliBytes: number; ms: number }
  | { status: 'skipped'; reason: string; ms: number }
  | { status: 'failed'; reason: string; ms: number };

/** Diff, encode, weigh on gzip bytes, then prove the encoded patch by applying it as a client would. */
export function runPatchJob(job: PatchJob): PatchJobResult {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  if (job.newText === '') return { status: 'skipped', reason: 'the new text is empty: the full file is 0 bytes, no patch can be smaller', ms: elapsed() };
  // The v1 engine's early give-up counts raw inserted text; the decision is on gzip bytes below.
  const outcome = job.format === 'delta' ? diffTextsAnywhere(job.oldText, job.newText) : diffTexts(job.oldText, job.newText, { maxPatchRatio: 1 });
  if (!outcome.ok) return { status: 'skipped', reason: outcome.reason, ms: elapsed() };
  const encoded = encode(job, outcome.ops);
  const body = new TextEncoder().encode(encoded);
  const gzipBytes = gzipSize(body);
  if (gzipBytes > job.maxPatchRatio * job.fullGzipBytes) {
    const share = `${Math.round((100 * gzipBytes) / job.fullGzipBytes)} %`;
    return { status: 'skipped', reason: `patch is ${share} of the gzipped file (${gzipBytes} of ${job.fullGzipBytes} bytes; over --max-patch-ratio ${job.maxPatchRatio})`, ms: elapsed() };
  }
  try {
    applyEncodedPatch(job.format, encoded, job.oldText, job.header);
  } catch (error) {
    return { status: 'failed', reason: `patch did not verify: ${(error as Error).message}`, ms: elapsed() };
  }
  return { status: 'ok', body, gzipBytes, brotliBytes: brotliSize(body), ms: elapsed() };
}

function encode(job: PatchJob, ops: Op[]): string {
  if (job.format === 'json') return encodeJsonPatch(job.header, ops);
  if (job.format === 'tab') return encodeTabPatch(ops, job.oldText.length);
  return encodeDeltaPatch(ops, job.oldText.length);
}
