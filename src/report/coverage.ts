import type { AssetResult } from '../pipeline/asset-pipeline.js';
import type { AssetPath, PatchFormat, Release, Version } from '../types.js';

/** The coverage report of a run: what is covered, what it costs, what it saves. */
export interface CoverageReport {
  release: Release;
  patchFormat: PatchFormat;
  versionsWanted: number;
  shallow: boolean;
  deepenedBy: number;
  mode: 'committed' | 'built';
  /** Where the deploy history came from and what reading it cost. */
  history?: HistoryReport;
  /** What the user should know about the history: a first deploy, unusable deploys, hashed names. */
  notes: string[];
  assets: AssetReport[];
  totals: CoverageTotals;
  failures: string[];
  wallMs: number;
  /** What became of the tree (build, push): written or published, or why not. Absent for plan. */
  outcome?: OutcomeReport;
}

export interface OutcomeReport {
  ok: boolean;
  /** One line: where the tree went, or that it was not published and why. */
  summary: string;
}

export interface HistoryReport {
  source: string;
  /** Manifests of earlier deploys read. */
  deploysRead: number;
  /** Requests made to the history source (index, manifests, old full files). */
  requests: number;
}

export interface AssetReport {
  path: AssetPath;
  /** Built mode: the file's path under --dir. */
  url?: string;
  version: Version;
  date: string;
  text: boolean;
  bytes: number;
  gzipBytes: number;
  /** brotli (quality 5) bytes of the full file. */
  brotliBytes: number;
  /** Older versions found in history (at most versionsWanted). */
  windowFound: number;
  /** Why the asset is full-file only, if it is. */
  fullOnly?: string;
  /** History stopped at a shallow clone's boundary: older versions may exist beyond it. */
  beyondShallowBoundary: boolean;
  patches: PatchReport[];
}

export interface PatchReport {
  from: Version;
  fromDate: string;
  status: 'ok' | 'skipped' | 'failed';
  bytes?: number;
  gzipBytes?: number;
  /** Patch gzip bytes over the gzipped full file: what --max-patch-ratio limits. */
  ratio?: number;
  /** brotli (quality 5) bytes of the patch. */
  brotliBytes?: number;
  /** Patch brotli bytes over the full file's brotli bytes. */
  brotliRatio?: number;
  ms: number;
  reason?: string;
}

export interface CoverageTotals {
  assets: number;
  textAssets: number;
  oldVersions: number;
  patches: number;
  skipped: number;
  failed: number;
  /** patches / oldVersions (1 when there are no old versions). */
  coverage: number;
  /** Bytes the tree stores: every full file and patch. */
  storedBytes: number;
  /** Share of gzip bytes a returning client saves, over every old version in the windows. */
  medianSaving: number;
  worstSaving: number;
  windowsBeyondShallowBoundary: number;
}

export interface ReportMeta {
  release: Release;
  patchFormat: PatchFormat;
  versionsWanted: number;
  shallow: boolean;
  deepenedBy: number;
  wallMs: number;
  mode: 'committed' | 'built';
  history?: HistoryReport;
  notes: string[];
}

export function buildReport(results: AssetResult[], meta: ReportMeta): CoverageReport {
  const assets = [...results].sort((a, b) => (a.path < b.path ? -1 : 1)).map(assetReport);
  const patches = assets.flatMap((asset) => asset.patches);
  const savings = assets.flatMap((asset) => asset.patches.map((patch) => (patch.status === 'ok' ? 1 - (patch.ratio ?? 1) : 0)));
  const failures = assets.flatMap((asset) => asset.patches.filter((p) => p.status === 'failed').map((p) => `${asset.path} from ${p.from.slice(0, 12)}: ${p.reason}`));
  const count = (status: PatchReport['status']) => patches.filter((patch) => patch.status === status).length;
  const totals: CoverageTotals = {
    assets: assets.length,
    textAssets: assets.filter((asset) => asset.text).length,
    oldVersions: patches.length,
    patches: count('ok'),
    skipped: count('skipped'),
    failed: count('failed'),
    coverage: patches.length === 0 ? 1 : count('ok') / patches.length,
    storedBytes: assets.reduce((sum, asset) => sum + asset.bytes + asset.patches.reduce((s, p) => s + (p.status === 'ok' ? (p.bytes ?? 0) : 0), 0), 0),
    medianSaving: median(savings),
    // A loop, not Math.min(...savings): a few hundred thousand arguments overflow the stack.
    worstSaving: savings.length === 0 ? 0 : savings.reduce((a, b) => Math.min(a, b)),
    windowsBeyondShallowBoundary: assets.filter((asset) => asset.beyondShallowBoundary).length,
  };
  return { ...meta, assets, totals, failures };
}

function assetReport(asset: AssetResult): AssetReport {
  return {
    path: asset.path,
    ...(asset.url === undefined ? {} : { url: asset.url }),
    version: asset.current.version,
    date: asset.current.date,
    text: asset.text,
    bytes: asset.bytes.length,
    gzipBytes: asset.gzipSize,
    brotliBytes: asset.brotliSize,
    windowFound: asset.patches.length,
    ...(asset.fullOnly ? { fullOnly: asset.fullOnly } : {}),
    beyondShallowBoundary: asset.cutShort,
    patches: asset.patches.map(({ from, result }) => {
      const base = { from: from.version, fromDate: from.date, status: result.status, ms: result.ms };
      if (result.status !== 'ok') return { ...base, reason: result.reason };
      const { gzipBytes, brotliBytes } = result;
      return { ...base, bytes: result.body.length, gzipBytes, ratio: gzipBytes / asset.gzipSize, brotliBytes, brotliRatio: brotliBytes / asset.brotliSize };
    }),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
