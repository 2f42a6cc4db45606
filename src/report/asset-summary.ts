import type { AssetReport, CoverageReport } from './coverage.js';
import { clientDownload } from './returning-clients.js';

/** One asset in a line: what returning clients download from it, and what went wrong. */
export interface AssetSummary {
  asset: AssetReport;
  patched: number;
  skipped: number;
  failed: number;
  /** Gzip bytes each returning client (one, two, ... deploys or commits behind) downloads for it. */
  downloads: number[];
  /** The largest of `downloads` (0 without returning clients). */
  largestDownload: number;
}

export function summarizeAsset(asset: AssetReport, clients: number): AssetSummary {
  const downloads = Array.from({ length: clients }, (_, i) => clientDownload(asset, i).gzipBytes);
  const count = (status: string) => asset.patches.filter((patch) => patch.status === status).length;
  return { asset, patched: count('ok'), skipped: count('skipped'), failed: count('failed'), downloads, largestDownload: downloads.reduce((a, b) => Math.max(a, b), 0) };
}

export const summarizeAssets = (report: CoverageReport): AssetSummary[] => report.assets.map((asset) => summarizeAsset(asset, report.clients.length));

/**
 * The assets a reader should see first: failed ones, then the largest downloads a returning
 * client makes (a skipped version costs the full file, so large skips rank high); ties by path.
 * Without returning clients (a redeploy), the largest download from any older version ranks.
 */
export function assetsThatMatterMost(report: CoverageReport, limit: number): AssetSummary[] {
  const weight = (s: AssetSummary) => (s.downloads.length > 0 ? s.largestDownload : Math.max(0, ...s.asset.patches.map((p) => (p.status === 'ok' ? (p.gzipBytes ?? 0) : s.asset.gzipBytes))));
  return summarizeAssets(report)
    .map((summary) => ({ summary, weight: weight(summary) }))
    .sort((a, b) => Number(b.summary.failed > 0) - Number(a.summary.failed > 0) || b.weight - a.weight || (a.summary.asset.path < b.summary.asset.path ? -1 : 1))
    .slice(0, limit)
    .map(({ summary }) => summary);
}

/** "5/5 older versions patched", with skipped and failed counts when there are any. */
export function patchTally(summary: AssetSummary): string {
  const { asset, patched, skipped, failed } = summary;
  if (asset.fullOnly) return `full file only: ${asset.fullOnly}`;
  if (asset.patches.length === 0) return 'no older version';
  return [`${patched}/${asset.patches.length} older versions patched`, skipped ? `${skipped} skipped` : '', failed ? `${failed} FAILED` : ''].filter(Boolean).join(', ');
}

/** "0 B, 144 B, 144 B": what clients 1, 2, ... behind download, at most `shown` of them. */
export function downloadList(summary: AssetSummary, format: (n: number) => string, shown = Infinity): string {
  const listed = summary.downloads.slice(0, shown).map(format).join(', ');
  return summary.downloads.length > shown ? `${listed}, …` : listed;
}
