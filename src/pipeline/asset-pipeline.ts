import { isUtf8 } from 'node:buffer';
import { type SourceVersion, type SourceWindow, UnusableVersion } from '../source/asset-source.js';
import { isEsModule } from '../text/es-module.js';
import { contentTypeFor } from '../tree/content-type.js';
import type { AssetPath, Integrity, PatchFormat } from '../types.js';
import type { PatchJobResult } from './patch-job.js';
import type { PatchWorker, WorkerPool } from './worker-pool.js';
import type { PairOutcome } from './worker-protocol.js';

export interface PipelineSettings {
  patchFormat: PatchFormat;
  maxPatchRatio: number;
  maxSize: number;
  concurrency: number;
}

/** What became of one asset at the release: its full file and a result per older version. */
export interface AssetResult {
  path: AssetPath;
  /** Built mode: the file's path under --dir. */
  url?: string;
  current: AssetVersion;
  bytes: Uint8Array;
  text: boolean;
  integrity: Integrity;
  contentType: string;
  /** JavaScript that runs only as an ES module (SPEC §7.1). */
  module?: true;
  gzipSize: number;
  brotliSize: number;
  /** Why the asset is published as a full file only, if it is. */
  fullOnly?: string;
  cutShort: boolean;
  patches: PatchResult[];
}

/** A version as results and reports name it. */
export type AssetVersion = Pick<SourceVersion, 'version' | 'date'>;

export interface PatchResult {
  from: AssetVersion;
  /** Integrity of the old text, when it could be read. */
  fromIntegrity?: Integrity;
  result: PatchJobResult;
}

export interface PipelineContext {
  pool: WorkerPool;
  settings: PipelineSettings;
  onPatch: () => void;
}

/** Assets a worker holds at once: it starts the next while the last pairs of one are read. */
const ASSETS_PER_WORKER = 2;
/** Pairs of one asset read or computed at once: the next is read while the worker computes. */
const PAIRS_IN_FLIGHT = 2;

/**
 * Turns every window into an AssetResult. Each asset goes to one worker, which decodes and
 * hashes its release text once for all of its older versions; the largest assets go first so
 * that no worker is left with a big one at the end. Old versions are read just ahead of the
 * worker, so memory holds the release files plus a few old texts per worker. Results keep the
 * windows' order, so the tree does not depend on the number of workers.
 */
export async function processAssets(windows: SourceWindow[], context: PipelineContext): Promise<AssetResult[]> {
  const releaseBytes = await Promise.all(windows.map((window) => window.versions[0].read()));
  const size = (index: number) => (releaseBytes[index] as Uint8Array).length;
  const queue = windows.map((_, index) => index).sort((a, b) => size(b) - size(a) || a - b);
  const results: AssetResult[] = new Array(windows.length);
  const lane = async (worker: PatchWorker) => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      results[index] = await processAsset(index, windows[index] as SourceWindow, releaseBytes[index] as Uint8Array, worker, context);
    }
  };
  await Promise.all(context.pool.workers.flatMap((worker) => Array.from({ length: ASSETS_PER_WORKER }, () => lane(worker))));
  return results;
}

async function processAsset(id: number, window: SourceWindow, bytes: Uint8Array, worker: PatchWorker, context: PipelineContext): Promise<AssetResult> {
  const [current, ...older] = window.versions;
  const text = isUtf8(bytes);
  const fullOnly = !text ? 'binary (not UTF-8): full file only' : bytes.length > context.settings.maxSize ? `over --max-size (${bytes.length} bytes): full file only` : undefined;
  const [prepared, patches] = await Promise.all([
    worker.prepare({ id, path: window.path, version: current.version, bytes, keep: fullOnly === undefined }),
    fullOnly === undefined ? patchAll(id, older, worker, context) : skipAll(older, fullOnly, context),
  ]);
  if (fullOnly === undefined) worker.done(id);
  const contentType = contentTypeFor(window.path, text);
  return {
    path: window.path,
    ...(window.url === undefined ? {} : { url: window.url }),
    current: { version: current.version, date: current.date },
    bytes,
    text,
    ...prepared,
    contentType,
    ...(text && /javascript/.test(contentType) && isEsModule(new TextDecoder().decode(bytes)) ? { module: true as const } : {}),
    ...(fullOnly === undefined ? {} : { fullOnly }),
    cutShort: window.cutShort,
    patches,
  };
}

function skipAll(older: SourceVersion[], reason: string, context: PipelineContext): PatchResult[] {
  older.forEach(() => context.onPatch());
  return older.map(({ version, date }) => ({ from: { version, date }, result: { status: 'skipped', reason, ms: 0 } }));
}

async function patchAll(id: number, older: SourceVersion[], worker: PatchWorker, context: PipelineContext): Promise<PatchResult[]> {
  const results: Array<Promise<PatchResult>> = [];
  for (const [i, source] of older.entries()) {
    if (i >= PAIRS_IN_FLIGHT) await results[i - PAIRS_IN_FLIGHT];
    results.push(patchFrom(id, source, worker, context));
  }
  return Promise.all(results);
}

async function patchFrom(id: number, source: SourceVersion, worker: PatchWorker, context: PipelineContext): Promise<PatchResult> {
  const from = { version: source.version, date: source.date };
  const bytes = await source.read().catch((error: unknown) => (error instanceof UnusableVersion ? error : Promise.reject(error)));
  const outcome: PairOutcome =
    bytes instanceof UnusableVersion
      ? { result: { status: 'skipped', reason: bytes.message, ms: 0 } }
      : await worker.patch({ id, from: from.version, bytes, format: context.settings.patchFormat, maxPatchRatio: context.settings.maxPatchRatio });
  context.onPatch();
  return { from, ...outcome };
}
