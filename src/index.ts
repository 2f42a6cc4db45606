import { availableParallelism } from 'node:os';
import { type Repository, openRepository, releaseDate, resolveRelease } from './git/repository.js';
import { withDeploy } from './history/deploy-index.js';
import { type DeployHistory, readDeployHistory } from './history/deploy-history.js';
import type { HistoryStore } from './history/store.js';
import { processAssets } from './pipeline/asset-pipeline.js';
import { WorkerPool } from './pipeline/worker-pool.js';
import type { AssetSource } from './source/asset-source.js';
import { openBuiltSource } from './source/built-source.js';
import { type WindowKind, openCommittedSource } from './source/committed-source.js';
import { DEFAULT_HASH_PATTERN, parseHashPattern } from './source/logical-name.js';
import { type CoverageReport, buildReport } from './report/coverage.js';
import { type Shard, inShard } from './shard/shard.js';
import { type ReleaseTree, assembleTree } from './tree/release-tree.js';
import { readPreviousRelease } from './history/previous-release.js';
import { writeTree, type WriteResult } from './tree/write-tree.js';
import type { PatchFormat } from './types.js';
import { LATEST_MANIFEST_KEY } from './tree/layout.js';
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
  /** Built mode: the build directory; the asset globs are relative to it. */
  dir?: string;
  /** Where earlier deploys are read back (SPEC §8); none: no deploy history. */
  history?: HistoryStore;
  /** The history source was named explicitly (--history), so it must hold a deploy index. */
  historyRequired?: boolean;
  /**
   * Built mode: stop with a UsageError instead of publishing full files only when the history
   * source holds no deploy index (the CLI sets it in CI for `build` reading its own fresh --out,
   * where a missing history is far likelier a lost tree than a first deploy).
   */
  refuseFirstDeploy?: boolean;
  /** The user says this is the first deploy: a history source without a deploy index is expected, even a named one. */
  firstDeploy?: boolean;
  /** Committed mode: `deployed` when the history holds a deploy index, else `commits`. */
  window?: WindowKind;
  /** Regular expression for the content hash in built file names. */
  hashPattern?: string;
  /** Only this shard's share of the assets (`--shard K/N`); the tree is then that share's. */
  shard?: Shard;
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
  patchFormat: 'delta' as PatchFormat,
  cdns: [] as string[],
  maxPatchRatio: 0.75,
  maxSize: 10 * 1024 * 1024,
  deepen: false,
  hashPattern: DEFAULT_HASH_PATTERN,
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
  const requireIndex = Boolean(options.historyRequired) && !options.firstDeploy;
  const history = options.history && (await readDeployHistory(options.history, { release, deploys: options.versions, requireIndex }));
  if (options.dir !== undefined && options.refuseFirstDeploy && !options.firstDeploy && !history?.index) throw lostHistory(history?.store.name);
  const source = await openSource(repo, release, history, options, progress);
  try {
    const { shard } = options;
    const windows = shard ? source.windows.filter((window) => inShard(window.path, shard)) : source.windows;
    const total = windows.reduce((sum, window) => sum + window.versions.length - 1, 0);
    let done = 0;
    progress({ type: 'patches', done, total });
    const results = await processAssets(windows, { pool, settings: options, onPatch: () => progress({ type: 'patches', done: ++done, total }) });
    const createdAt = new Date(source.releaseDate).toISOString();
    const deploys = withDeploy(history?.index?.deploys ?? [], release, createdAt);
    const previous = history && (await readPreviousRelease(history.store, history));
    const tree = assembleTree(results, { release, createdAt, cdns: options.cdns, patchFormat: options.patchFormat, mode: source.mode, deploys }, previous);
    const report = buildReport(results, {
      release,
      patchFormat: options.patchFormat,
      versionsWanted: options.versions,
      shallow: source.shallow,
      deepenedBy: source.deepenedBy,
      wallMs: Math.round(performance.now() - started),
      mode: source.mode,
      notes: [...source.notes, ...firstDeployNotes(options, history)],
      behind: source.behind,
      clients: source.clients,
      manifest: tree.objects.find((object) => object.key === LATEST_MANIFEST_KEY)?.body,
      ...(history ? { history: { source: history.store.name, deploysRead: history.recent.length + (history.own ? 1 : 0), requests: history.store.requests() } } : {}),
    });
    return { ...tree, report };
  } finally {
    source.close();
  }
}

/** The one place the two modes differ: where the release's files, windows and old bytes come from. */
async function openSource(repo: Repository, release: string, history: DeployHistory | undefined, options: PrewarmOptions, progress: (event: ProgressEvent) => void): Promise<AssetSource> {
  const hashPattern = parseHashPattern(options.hashPattern ?? DEFAULT_HASH_PATTERN);
  if (options.dir !== undefined) {
    if (options.window === 'commits') throw new UsageError('--window commits needs committed assets: built files under --dir have no commits of their own (leave out --window)');
    return openBuiltSource({ dir: options.dir, assets: options.assets, hashPattern, release, releaseDate: await releaseDate(repo, release), ...(history ? { history } : {}) });
  }
  const window = options.window ?? (history?.index ? 'deployed' : 'commits');
  if (window === 'deployed' && !history?.index) throw new UsageError('--window deployed needs a history source with a deploy index (pass --history DIR|URL, or leave out --window)');
  return openCommittedSource({
    repo,
    release,
    assets: options.assets,
    versions: options.versions,
    deepen: options.deepen,
    onDeepen: (commits) => progress({ type: 'deepen', commits }),
    window,
    hashPattern,
    ...(history ? { history } : {}),
  });
}

/** Built mode in CI with nothing deployed where the history is read: the ways out, in one line. */
function lostHistory(where: string | undefined): UsageError {
  return new UsageError(
    `no earlier deploy at ${where ?? 'the history source'}: in CI that is a fresh tree, and every client would download full files forever. ` +
      'Pass --history URL of what the CDN serves, publish with `deltawarm push` (it reads the store), or pass --first-deploy if this is the first deploy',
  );
}

/** --first-deploy where deploys were found: they are used, and the report says so. */
function firstDeployNotes(options: PrewarmOptions, history: DeployHistory | undefined): string[] {
  const deploys = history?.index?.deploys.length ?? 0;
  return options.firstDeploy && deploys > 0 ? [`--first-deploy, but ${history?.store.name} already holds ${deploys} deploy(s): patching from them (remove --first-deploy once the first deploy is out)`] : [];
}

function validate(options: PrewarmOptions): void {
  if (!Number.isInteger(options.versions) || options.versions < 1) throw new UsageError(`--versions must be a whole number of at least 1, got ${options.versions}`);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, got ${options.concurrency}`);
  if (!(options.maxPatchRatio > 0)) throw new UsageError(`--max-patch-ratio must be a number above 0, got ${options.maxPatchRatio}`);
  if (options.assets.length === 0) throw new UsageError('no asset globs: pass --assets GLOB, set DELTAWARM_ASSETS, or add "assets" to deltawarm.config.json');
}

export { writeTree, type WriteResult };
export { directoryStore, httpStore, type HistoryStore } from './history/store.js';
export type { CoverageReport } from './report/coverage.js';
export type { Manifest } from './tree/manifest.js';
export type { StoredObject } from './tree/stored-object.js';
export { DeltawarmError, EnvironmentError, RunFailure, UsageError } from './errors.js';
export { type Traffic, type TrafficOptions, traffic } from './traffic/traffic.js';
export type { TrafficReport } from './traffic/analyze.js';
