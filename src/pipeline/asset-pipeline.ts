import pLimit from 'p-limit';
import { gzipSync } from 'node:zlib';
import type { BlobReader } from '../git/blob-reader.js';
import type { ReleaseFile } from '../git/release-files.js';
import type { AssetVersion, AssetWindow } from '../git/window.js';
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

export interface PatchResult {
  from: AssetVersion;
  result: PatchJobResult;
}

export interface PipelineContext {
  blobs: BlobReader;
  pool: WorkerPool;
  settings: PipelineSettings;
  onPatch: () => void;
}

/**
 * Turns every window into an AssetResult. Old versions are read only when their job is
 * admitted, so memory holds the release files plus a bounded number of old texts.
 */
export async function processAssets(files: ReleaseFile[], windows: AssetWindow[], context: PipelineContext): Promise<AssetResult[]> {
  const admit = pLimit(context.settings.concurrency * 2);
  const byPath = new Map(files.map((file) => [file.path, file]));
  return Promise.all(windows.map((window) => processAsset(window, byPath.get(window.path) as ReleaseFile, context, admit)));
}

async function processAsset(window: AssetWindow, file: ReleaseFile, context: PipelineContext, admit: ReturnType<typeof pLimit>): Promise<AssetResult> {
  const [current, ...older] = window.versions as [AssetVersion, ...AssetVersion[]];
  const bytes = await context.blobs.read(file.blob);
  const text = decodeText(bytes);
  const base = {
    path: window.path,
    current,
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

function fullFileOnly(base: Omit<AssetResult, 'patches'>, older: AssetVersion[], reason: string, context: PipelineContext): AssetResult {
  older.forEach(() => context.onPatch());
  return { ...base, fullOnly: reason, patches: older.map((from) => ({ from, result: { status: 'skipped', reason, ms: 0 } })) };
}

async function patchFrom(from: AssetVersion, newText: string, asset: Pick<AssetResult, 'path' | 'current' | 'integrity'>, context: PipelineContext): Promise<PatchResult> {
  const oldText = decodeText(await context.blobs.read(from.blob));
  const { settings } = context;
  const result: PatchJobResult =
    oldText === undefined
      ? { status: 'skipped', reason: 'old version is not UTF-8 text', ms: 0 }
      : await context.pool.run({
          header: { asset: asset.path, from: from.version, to: asset.current.version, fromIntegrity: integrityOf(oldText), toIntegrity: asset.integrity, toLength: newText.length },
          format: settings.patchFormat,
          oldText,
          newText,
          maxPatchRatio: settings.maxPatchRatio,
        });
  context.onPatch();
  return { from, result };
}
