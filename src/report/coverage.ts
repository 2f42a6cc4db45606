import type { AssetResult } from '../pipeline/asset-pipeline.js';
import type { ReturningClient } from '../source/asset-source.js';
import { BROTLI_QUALITY, GZIP_LEVEL, brotliSize, gzipSize } from '../text/compressed-size.js';
import type { AssetPath, PatchFormat, Release, Version } from '../types.js';
import { type ClientReport, clientReports, heldPositions } from './returning-clients.js';

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
  /** What `clients[].behind` counts: deploys (built mode, or a deploy index), or commits that changed an asset. */
  behind: ClientSpacing;
  /**
   * A client per earlier deploy (or asset-changing commit) of the window, newest first: what it
   * downloads to reach the release. Empty on a first deploy or a redeploy.
   */
  clients: ClientReport[];
  /** manifest/latest.json, which the runtimes read on each visit, besides what `clients` download. */
  manifest?: CompressedSize;
  /** The settings of every gzip and brotli figure (a CDN at other settings sends somewhat other sizes). */
  compression: { gzipLevel: number; brotliQuality: number };
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
  /**
   * Per returning client (same order as `clients`), the version it holds: 0 this release's
   * (it downloads nothing), i >= 1 `patches[i - 1].from`, -1 none (the asset is new to it),
   * -2 one older than the window (it downloads the full file).
   */
  held?: number[];
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

interface CompressedSize {
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export type ClientSpacing = 'deploys' | 'commits';

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
  behind: ClientSpacing;
  clients: ReturningClient[];
  /** The bytes of manifest/latest.json. */
  manifest?: Uint8Array;
}

export function buildReport(results: AssetResult[], meta: ReportMeta): CoverageReport {
  const { clients, manifest, ...rest } = meta;
  const assets = [...results].sort((a, b) => (a.path < b.path ? -1 : 1)).map((asset) => assetReport(asset, clients));
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
  const manifestSize = manifest && { bytes: manifest.length, gzipBytes: gzipSize(manifest), brotliBytes: brotliSize(manifest) };
  return { ...rest, clients: clientReports(assets, clients), ...(manifestSize ? { manifest: manifestSize } : {}), compression: { gzipLevel: GZIP_LEVEL, brotliQuality: BROTLI_QUALITY }, assets, totals, failures };
}

function assetReport(asset: AssetResult, clients: ReturningClient[]): AssetReport {
  const held = heldPositions(asset.path, asset.current.version, asset.patches.map((patch) => patch.from.version), clients);
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
    ...(clients.length > 0 ? { held } : {}),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
