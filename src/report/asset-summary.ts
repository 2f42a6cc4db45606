import type { AssetReport, CoverageReport } from './coverage.js';

/** One asset in a line: what a returning client downloads from it, and what went wrong. */
export interface AssetSummary {
  asset: AssetReport;
  patched: number;
  skipped: number;
  failed: number;
  /** Gzip bytes a client one, two, ... versions behind downloads: its patch, or the full file. */
  downloads: number[];
  /** The largest of `downloads` (0 without older versions). */
  largestDownload: number;
}

export function summarizeAsset(asset: AssetReport): AssetSummary {
  const downloads = asset.patches.map((patch) => (patch.status === 'ok' ? (patch.gzipBytes ?? 0) : asset.gzipBytes));
  const count = (status: string) => asset.patches.filter((patch) => patch.status === status).length;
  return { asset, patched: count('ok'), skipped: count('skipped'), failed: count('failed'), downloads, largestDownload: downloads.reduce((a, b) => Math.max(a, b), 0) };
}

/**
 * The assets a reader should see first: failed ones, then the largest downloads a returning
 * client makes (a skipped version costs the full file, so large skips rank high); ties by path.
 */
export function assetsThatMatterMost(report: CoverageReport, limit: number): AssetSummary[] {
  return report.assets
    .map(summarizeAsset)
    .sort((a, b) => Number(b.failed > 0) - Number(a.failed > 0) || b.largestDownload - a.largestDownload || (a.asset.path < b.asset.path ? -1 : 1))
    .slice(0, limit);
}

/** "5/5 patched", with skipped and failed counts when there are any. */
export function patchTally(summary: AssetSummary): string {
  const { asset, patched, skipped, failed } = summary;
  if (asset.fullOnly) return `full file only: ${asset.fullOnly}`;
  if (asset.patches.length === 0) return 'no older version';
  return [`${patched}/${asset.patches.length} patched`, skipped ? `${skipped} skipped` : '', failed ? `${failed} FAILED` : ''].filter(Boolean).join(', ');
}
