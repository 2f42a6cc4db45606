import { parentPort } from 'node:worker_threads';
import { brotliSize, gzipSize } from '../text/compressed-size.js';
import { decodeText } from '../text/decode.js';
import { integrityOf } from '../text/integrity.js';
import { runPatchJob } from './patch-job.js';
import type { AssetRequest, PairOutcome, PairRequest, PreparedAsset, WorkerRequest } from './worker-protocol.js';

/** The assets this worker serves, each text decoded once for all of its pairs. */
const assets = new Map<number, { path: string; version: string; integrity: string; text: string; gzipSize: number }>();

function prepare(request: AssetRequest): PreparedAsset {
  const text = decodeText(request.bytes);
  const integrity = integrityOf(text ?? request.bytes);
  const sizes = { gzipSize: gzipSize(request.bytes), brotliSize: brotliSize(request.bytes) };
  if (request.keep && text !== undefined) assets.set(request.id, { path: request.path, version: request.version, integrity, text, gzipSize: sizes.gzipSize });
  return { integrity, ...sizes };
}

function pair(request: PairRequest): PairOutcome {
  const asset = assets.get(request.id);
  if (asset === undefined) return { result: { status: 'failed', reason: `asset ${request.id} is not prepared on this worker (a bug)`, ms: 0 } };
  const oldText = decodeText(request.bytes);
  if (oldText === undefined) return { result: { status: 'skipped', reason: 'old version is not UTF-8 text', ms: 0 } };
  const fromIntegrity = integrityOf(oldText);
  const header = { asset: asset.path, from: request.from, to: asset.version, fromIntegrity, toIntegrity: asset.integrity, toLength: asset.text.length };
  try {
    return { fromIntegrity, result: runPatchJob({ header, format: request.format, oldText, newText: asset.text, maxPatchRatio: request.maxPatchRatio, fullGzipBytes: asset.gzipSize }) };
  } catch (error) {
    // A job that throws is a failed patch, reported like any other; it must not kill the run.
    return { fromIntegrity, result: { status: 'failed', reason: `patch job threw: ${(error as Error).message}`, ms: 0 } };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'done') assets.delete(request.id);
  else parentPort?.postMessage(request.type === 'asset' ? prepare(request) : pair(request));
});
