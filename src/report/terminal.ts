import { type AssetSummary, assetsThatMatterMost, patchTally } from './asset-summary.js';
import type { AssetReport, CoverageReport, PatchReport } from './coverage.js';
import { bytes, day, ms, percent, shortSha } from './format.js';
import { summaryRows } from './summary.js';

const WIDTH = 100;
/** Assets listed without --verbose: a screen, whatever the repository's size. */
export const TERMINAL_ASSETS = 20;
const FAILURES_LISTED = 20;

export interface RenderOptions {
  /** Every asset and every older version, not only the assets that matter most. */
  verbose?: boolean;
}

/**
 * The report for a terminal, at most 100 columns: one line for each of the assets that matter
 * most (or, with --verbose, every asset and older version), then the totals and failures.
 */
export function renderTerminal(report: CoverageReport, options: RenderOptions = {}): string {
  const lines = options.verbose ? report.assets.flatMap(verboseLines) : shortList(report);
  lines.push('');
  const labelWidth = Math.max(...summaryRows(report).map(([label]) => label.length));
  for (const [label, value] of summaryRows(report)) lines.push(fit(`${label.padEnd(labelWidth)}  ${value}`));
  const failures = options.verbose ? report.failures : report.failures.slice(0, FAILURES_LISTED);
  for (const failure of failures) lines.push(fit(`FAILED ${failure}`));
  if (failures.length < report.failures.length) lines.push(`FAILED: ${report.failures.length - failures.length} more (--verbose, --report or --html list them all)`);
  return lines.join('\n') + '\n';
}

function shortList(report: CoverageReport): string[] {
  const listed = assetsThatMatterMost(report, TERMINAL_ASSETS);
  const lines = listed.map(summaryLine);
  const rest = report.assets.length - listed.length;
  if (rest > 0) lines.push(`... ${rest} more assets (failed first, then the largest downloads; --verbose lists every one)`);
  return lines;
}

/** Path, version, gzip size, tally and the gzip bytes a returning client downloads, in one line. */
function summaryLine(summary: AssetSummary): string {
  const { asset, downloads } = summary;
  const range = downloads.length === 0 ? '' : `  client gets ${bytes(Math.min(...downloads))}-${bytes(summary.largestDownload)}`;
  return fit(`${asset.path}  ${shortSha(asset.version)}  ${bytes(asset.gzipBytes)} gzip  ${patchTally(summary)}${range}`);
}

function verboseLines(asset: AssetReport): string[] {
  const kind = asset.text ? 'text' : 'binary';
  const window = `${asset.windowFound} older${asset.beyondShallowBoundary ? ', more beyond shallow boundary' : ''}`;
  const head = fit(`${asset.path}  ${shortSha(asset.version)} ${day(asset.date)}  ${kind} ${bytes(asset.bytes)} (gzip ${bytes(asset.gzipBytes)})  ${window}`);
  const lines = [head];
  if (asset.fullOnly) lines.push(fit(`  full file only: ${asset.fullOnly}`));
  else for (const patch of asset.patches) lines.push(fit(`  ${patchLine(patch)}`));
  return lines;
}

function patchLine(patch: PatchReport): string {
  const from = `${shortSha(patch.from)} ${day(patch.fromDate)}`;
  if (patch.status !== 'ok') return `${from}  ${patch.status.padEnd(8)} ${patch.reason ?? ''}`;
  const size = `${bytes(patch.bytes ?? 0)} (gzip ${bytes(patch.gzipBytes ?? 0)})`.padEnd(24);
  return `${from}  patch    ${size} ${percent(patch.ratio ?? 0).padStart(7)} of full  ${ms(patch.ms).padStart(7)}`;
}

const fit = (line: string) => (line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`);
