import { type AssetSummary, assetsThatMatterMost, downloadList, patchTally, summarizeAsset } from './asset-summary.js';
import type { AssetReport, CoverageReport, PatchReport } from './coverage.js';
import { bytes, day, ms, percent, shortSha, wrap } from './format.js';
import { table } from './publish-table.js';
import { CLIENT_HEADER, clientLegend, clientRow, noClients, summaryRows } from './summary.js';

const WIDTH = 100;
/** Assets listed without --verbose: a screen, whatever the repository's size. */
export const TERMINAL_ASSETS = 20;
const FAILURES_LISTED = 20;
/** Returning clients whose download an asset's line lists without --verbose. */
const CLIENTS_PER_LINE = 5;

export interface RenderOptions {
  /** Every asset and every older version, not only the assets that matter most. */
  verbose?: boolean;
}

/**
 * The report for a terminal in lines of at most 100 columns, longer ones wrapped, never cut:
 * what each returning client downloads, one line for each of the assets that matter most (or,
 * with --verbose, every asset and older version), then the totals, notes and failures.
 */
export function renderTerminal(report: CoverageReport, options: RenderOptions = {}): string {
  const lines = [...clientLines(report), ''];
  lines.push(...(options.verbose ? report.assets.flatMap((asset) => verboseLines(report, asset)) : shortList(report)));
  lines.push('');
  const rows = summaryRows(report);
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) lines.push(...wrap(`${label.padEnd(labelWidth)}  ${value}`, WIDTH, labelWidth + 2));
  const failures = options.verbose ? report.failures : report.failures.slice(0, FAILURES_LISTED);
  for (const failure of failures) lines.push(...wrap(`FAILED ${failure}`, WIDTH, 2));
  if (failures.length < report.failures.length) lines.push(`FAILED: ${report.failures.length - failures.length} more (--verbose, --report or --html list them all)`);
  return lines.join('\n') + '\n';
}

function clientLines(report: CoverageReport): string[] {
  if (report.clients.length === 0) return wrap(`Returning clients: ${noClients(report)}`, WIDTH, 2);
  const rows = table([CLIENT_HEADER, ...report.clients.map((client) => clientRow(report, client))]);
  return ['Returning clients: what each downloads now', ...rows.flatMap((row) => wrap(row, WIDTH, 2)), ...wrap(clientLegend(report), WIDTH)];
}

function shortList(report: CoverageReport): string[] {
  const listed = assetsThatMatterMost(report, TERMINAL_ASSETS);
  const lines = listed.flatMap((summary) => summaryLine(report, summary));
  const rest = report.assets.length - listed.length;
  if (rest > 0) lines.push(`... ${rest} more assets (failed first, then the largest downloads; --verbose lists every one)`);
  return lines;
}

/** Path, version, gzip size, tally and the gzip bytes returning clients download, wrapped. */
function summaryLine(report: CoverageReport, summary: AssetSummary): string[] {
  const { asset } = summary;
  const clients = summary.downloads.length === 0 ? '' : `  1-${summary.downloads.length} ${report.behind} behind get ${downloadList(summary, bytes, CLIENTS_PER_LINE)}`;
  return wrap(`${asset.path}  ${shortSha(asset.version)}  ${bytes(asset.gzipBytes)} gzip  ${patchTally(summary)}${clients}`, WIDTH, 2);
}

function verboseLines(report: CoverageReport, asset: AssetReport): string[] {
  const kind = asset.text ? 'text' : 'binary';
  const window = `${asset.windowFound} older${asset.beyondShallowBoundary ? ', more beyond shallow boundary' : ''}`;
  const lines = wrap(`${asset.path}  ${shortSha(asset.version)} ${day(asset.date)}  ${kind} ${bytes(asset.bytes)} (gzip ${bytes(asset.gzipBytes)})  ${window}`, WIDTH, 2);
  if (asset.fullOnly) lines.push(...wrap(`  full file only: ${asset.fullOnly}`, WIDTH, 4));
  else for (const patch of asset.patches) lines.push(...wrap(`  ${patchLine(patch)}`, WIDTH, 4));
  const summary = summarizeAsset(asset, report.clients.length);
  if (summary.downloads.length > 0) lines.push(...wrap(`  1-${summary.downloads.length} ${report.behind} behind get (gzip) ${downloadList(summary, bytes)}`, WIDTH, 4));
  return lines;
}

function patchLine(patch: PatchReport): string {
  const from = `${shortSha(patch.from)} ${day(patch.fromDate)}`;
  if (patch.status !== 'ok') return `${from}  ${patch.status.padEnd(8)} ${patch.reason ?? ''}`;
  const size = `${bytes(patch.bytes ?? 0)} (gzip ${bytes(patch.gzipBytes ?? 0)})`.padEnd(24);
  return `${from}  patch    ${size} ${percent(patch.ratio ?? 0).padStart(7)} of full  ${ms(patch.ms).padStart(7)}`;
}
