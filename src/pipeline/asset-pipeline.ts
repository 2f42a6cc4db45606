import pLimit from 'p-limit';
import { gzipSync } from 'node:zlib';
import { type SourceVersion, type SourceWindow, UnusableVersion } from '../source/asset-source.js';
import { decodeText } from '../text/decode.js';
import { integrityOf } from '../text/integrity.js';
import { contentTypeFor } from '../tree/content-type.js';
import type { AssetPath, Integrity, PatchFormat } from '../types.js';
import type { PatchJobResult } from './patch-job.js';
import type { WorkerPool } from './worker-pool.js';

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
  gzipSize: number;
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

/**
 * Turns every window into an AssetResult. Old versions are read only when their job is
 * admitted, so memory holds the release files plus a bounded number of old texts.
 */
export async function processAssets(windows: SourceWindow[], context: PipelineContext): Promise<AssetResult[]> {
  const admit = pLimit(context.settings.concurrency * 2);
  return Promise.all(windows.map((window) => processAsset(window, context, admit)));
}

async function processAsset(window: SourceWindow, context: PipelineContext, admit: ReturnType<typeof pLimit>): Promise<AssetResult> {
  const [current, ...older] = window.versions;
  const bytes = await current.read();
  const text = decodeText(bytes);
  const base = {
    path: window.path,
    ...(window.url === undefined ? {} : { url: window.url }),
    current: { version: current.version, date: current.date },
    bytes,
    text: text !== undefined,
    integrity: integrityOf(text ?? bytes),
    contentType: contentTypeFor(window.path, text !== undefined),
    gzipSize: gzipSync(bytes).length,
    cutShort: window.cutShort,
  };
  if (text === undefined) return fullFileOnly(base, older, 'binary (not UTF-8): full file only', context);
  if (bytes.length > context.settings.maxSize) return fullFileOnly(base, older, `over --max-size (${bytes.length} bytes): full file only`, context);
  const patches = await Promise.all(older.map((from) => admit(() => patchFrom(from, text, base, context))));
  return { ...base, patches };
}

function fullFileOnly(base: Omit<AssetResult, 'patches'>, older: SourceVersion[], reason: string, context: PipelineContext): AssetResult {
  older.forEach(() => context.onPatch());
  return { ...base, fullOnly: reason, patches: older.map(({ version, date }) => ({ from: { version, date }, result: { status: 'skipped', reason, ms: 0 } })) };
}

async function patchFrom(source: SourceVersion, newText: string, asset: Pick<AssetResult, 'path' | 'current' | 'integrity'>, context: PipelineContext): Promise<PatchResult> {
  const from = { version: source.version, date: source.date };
  const done = (result: PatchJobResult, fromIntegrity?: Integrity): PatchResult => {
    context.onPatch();
    return { from, ...(fromIntegrity === undefined ? {} : { fromIntegrity }), result };
  };
  const oldBytes = await source.read().catch((error: unknown) => (error instanceof UnusableVersion ? error : Promise.reject(error)));
  if (oldBytes instanceof UnusableVersion) return done({ status: 'skipped', reason: oldBytes.message, ms: 0 });
  const oldText = decodeText(oldBytes);
  if (oldText === undefined) return done({ status: 'skipped', reason: 'old version is not UTF-8 text', ms: 0 });
  const fromIntegrity = integrityOf(oldText);
  const result = await context.pool.run({
    header: { asset: asset.path, from: from.version, to: asset.current.version, fromIntegrity, toIntegrity: asset.integrity, toLength: newText.length },
    format: context.settings.patchFormat,
    oldText,
    newText,
    maxPatchRatio: context.settings.maxPatchRatio,
  });
  return done(result, fromIntegrity);
}
