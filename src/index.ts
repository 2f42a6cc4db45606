import { availableParallelism } from 'node:os';
import { BlobReader } from './git/blob-reader.js';
import { readHistory } from './git/history.js';
import { openRepository, resolveRelease } from './git/repository.js';
import { processAssets } from './pipeline/asset-pipeline.js';
import { WorkerPool } from './pipeline/worker-pool.js';
import { type CoverageReport, buildReport } from './report/coverage.js';
import { type ReleaseTree, assembleTree } from './tree/release-tree.js';
import { writeTree, type WriteResult } from './tree/write-tree.js';
import type { PatchFormat } from './types.js';
import { UsageError } from './errors.js';

export interface PrewarmOptions {
  /** A directory inside the git repository. */
  repo: string;
  /** Globs of repo-relative paths, e.g. `dist/**\/*.{js,css}`. */
  assets: string[];
  /** Older versions per asset to patch from. */
  versions: number;
  /** The commit being deployed. */
  release: string;
  concurrency: number;
  patchFormat: PatchFormat;
  /** CDN base URLs recorded in the manifest, in order of preference. */
  cdns: string[];
  /** Patches larger than this share of the full file are skipped. */
  maxPatchRatio: number;
  /** Files larger than this many bytes are published whole, never diffed. */
  maxSize: number;
  /** Fetch deeper history when a shallow clone cuts a window short. */
  deepen: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { type: 'history' }
  | { type: 'deepen'; commits: number }
  | { type: 'patches'; done: number; total: number };

export interface Prewarm extends ReleaseTree {
  report: CoverageReport;
}

export const DEFAULTS = {
  versions: 10,
  release: 'HEAD',
  concurrency: availableParallelism(),
  patchFormat: 'json' as PatchFormat,
  cdns: [] as string[],
  maxPatchRatio: 0.5,
  maxSize: 10 * 1024 * 1024,
  deepen: false,
};

/** git -> plan -> diff -> verify: the release tree and its coverage report, in memory. */
export async function prewarm(options: PrewarmOptions): Promise<Prewarm> {
  validate(options);
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  // Workers start now so that their start-up overlaps reading history.
  const pool = new WorkerPool(options.concurrency);
  try {
    return await prewarmWith(pool, options, started, progress);
  } finally {
    await pool.close();
  }
}

async function prewarmWith(pool: WorkerPool, options: PrewarmOptions, started: number, progress: (event: ProgressEvent) => void): Promise<Prewarm> {
  const repo = await openRepository(options.repo);
  const release = await resolveRelease(repo, options.release);
  progress({ type: 'history' });
  const history = await readHistory(repo, {
    release,
    assets: options.assets,
    versions: options.versions,
    deepen: options.deepen,
    onDeepen: (commits) => progress({ type: 'deepen', commits }),
  });
  const total = history.windows.reduce((sum, window) => sum + window.versions.length - 1, 0);
  let done = 0;
  progress({ type: 'patches', done, total });
  const blobs = new BlobReader(repo.dir);
  try {
    const results = await processAssets(history.files, history.windows, {
      blobs,
      pool,
      settings: options,
      onPatch: () => progress({ type: 'patches', done: ++done, total }),
    });
    const tree = assembleTree(results, { release, createdAt: new Date(history.releaseDate).toISOString(), cdns: options.cdns, patchFormat: options.patchFormat });
    const report = buildReport(results, {
      release,
      patchFormat: options.patchFormat,
      versionsWanted: options.versions,
      shallow: history.shallow,
      deepenedBy: history.deepenedBy,
      wallMs: Math.round(performance.now() - started),
    });
    return { ...tree, report };
  } finally {
    blobs.close();
  }
}

function validate(options: PrewarmOptions): void {
  if (!Number.isInteger(options.versions) || options.versions < 1) throw new UsageError(`--versions must be a whole number of at least 1, got ${options.versions}`);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, got ${options.concurrency}`);
  if (!(options.maxPatchRatio > 0)) throw new UsageError(`--max-patch-ratio must be a number above 0, got ${options.maxPatchRatio}`);
  if (options.assets.length === 0) throw new UsageError('no asset globs: pass --assets GLOB, set DELTAWARM_ASSETS, or add "assets" to deltawarm.config.json');
}

export { writeTree, type WriteResult };
export type { CoverageReport } from './report/coverage.js';
export type { Manifest } from './tree/manifest.js';
export type { StoredObject } from './tree/stored-object.js';
export { DeltawarmError, EnvironmentError, RunFailure, UsageError } from './errors.js';
