import { type AssetSummary, assetsThatMatterMost, downloadList, patchTally, summarizeAssets } from './asset-summary.js';
import type { AssetReport, CoverageReport } from './coverage.js';
import { bytes, day, ms, percent, shortSha } from './format.js';
import { CLIENT_HEADER, clientLegend, clientRow, noClients, summaryRows } from './summary.js';
import type { RenderOptions } from './terminal.js';

/** GitHub rejects a job summary over 1 MiB; the report stays below it whatever its size. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;
const TOP_ASSETS = 20;
const FAILURES_LISTED = 50;
/** Returning clients whose download an asset's row lists. */
const CLIENTS_LISTED = 10;

export interface MarkdownOptions extends RenderOptions {
  /** Bytes the whole document may take (UTF-8). */
  limit?: number;
}

/**
 * The report as GitHub-flavoured Markdown, ready for $GITHUB_STEP_SUMMARY: what each returning
 * client downloads, totals, failures,
 * the assets that matter most, then every asset (or with --verbose every older version) in a
 * collapsed section, cut with a note where the document would pass the size limit.
 */
export function renderMarkdown(report: CoverageReport, options: MarkdownOptions = {}): string {
  const failed = report.outcome && !report.outcome.ok ? [`> **FAILED: the release was not published.** ${escape(report.outcome.summary)}`, ''] : [];
  const head = ['## deltawarm prewarm coverage', '', ...failed, ...clientSection(report), '', '### Totals', '', '| | |', '| --- | --- |'];
  for (const [label, value] of summaryRows(report)) head.push(`| ${label} | ${escape(value)} |`);
  if (report.failures.length > 0) {
    head.push('', '### Failures', '', ...report.failures.slice(0, FAILURES_LISTED).map((failure) => `- ${escape(failure)}`));
    if (report.failures.length > FAILURES_LISTED) head.push(`- ... ${report.failures.length - FAILURES_LISTED} more (see the --report JSON)`);
  }
  head.push('', `### Assets that matter most (${Math.min(TOP_ASSETS, report.assets.length)} of ${report.assets.length})`, '', ...summaryTable(assetsThatMatterMost(report, TOP_ASSETS)));
  const [header, rows] = options.verbose ? [PATCH_HEADER, report.assets.flatMap(patchRows)] : [SUMMARY_HEADER, summarizeAssets(report).map(summaryRow)];
  const title = options.verbose ? 'Every asset and older version' : 'Every asset';
  return fitWithin([...head, '', `<details><summary>${title}</summary>`, '', ...header], rows, ['', '</details>', ''], options.limit ?? JOB_SUMMARY_LIMIT);
}

const SUMMARY_HEADER = ['| asset | version | size (gzip) | older versions | returning clients 1, 2, ... behind download (gzip) |', '| --- | --- | ---: | --- | ---: |'];
const PATCH_HEADER = ['| asset | from | result | patch | gzip | of full (gzip) | brotli (of full) | time |', '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |'];

function clientSection(report: CoverageReport): string[] {
  if (report.clients.length === 0) return ['### Returning clients', '', escape(noClients(report))];
  const row = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const align = `| ${CLIENT_HEADER.map((_, i) => (i >= 2 ? '---:' : '---')).join(' | ')} |`;
  return ['### Returning clients: what each downloads now', '', row(CLIENT_HEADER), align, ...report.clients.map((client) => row(clientRow(report, client))), '', escape(clientLegend(report))];
}

function summaryTable(summaries: AssetSummary[]): string[] {
  return [...SUMMARY_HEADER, ...summaries.map(summaryRow)];
}

function summaryRow(s: AssetSummary): string {
  return `| ${escape(s.asset.path)} | ${shortSha(s.asset.version)} | ${bytes(s.asset.bytes)} (${bytes(s.asset.gzipBytes)}) | ${escape(patchTally(s))} | ${downloadList(s, bytes, CLIENTS_LISTED)} |`;
}

function patchRows(asset: AssetReport): string[] {
  const name = `${escape(asset.path)} ${shortSha(asset.version)}`;
  if (asset.fullOnly || asset.patches.length === 0) return [`| ${name} | | ${escape(asset.fullOnly ?? 'no older version')} | | | | | |`];
  return asset.patches.map((patch) => {
    const from = `${shortSha(patch.from)} ${day(patch.fromDate)}`;
    if (patch.status !== 'ok') return `| ${name} | ${from} | ${patch.status}: ${escape(patch.reason ?? '')} | | | | | ${ms(patch.ms)} |`;
    return `| ${name} | ${from} | patch | ${bytes(patch.bytes ?? 0)} | ${bytes(patch.gzipBytes ?? 0)} | ${percent(patch.ratio ?? 0)} | ${bytes(patch.brotliBytes ?? 0)} (${percent(patch.brotliRatio ?? 0)}) | ${ms(patch.ms)} |`;
  });
}

/** head + as many rows as fit + tail, with a note in place of the rows that did not. */
function fitWithin(head: string[], rows: string[], tail: string[], limit: number): string {
  const size = (lines: string[]) => lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  const note = (left: number) => `\n*${left} more rows left out to stay within the job summary limit (${limit} bytes): the --report JSON and the --html page hold every one.*`;
  let budget = limit - size(head) - size(tail) - Buffer.byteLength(note(rows.length)) - 1;
  let kept = 0;
  for (const row of rows) {
    budget -= Buffer.byteLength(row) + 1;
    if (budget < 0) break;
    kept++;
  }
  const cut = rows.length - kept;
  return [...head, ...rows.slice(0, kept), ...(cut > 0 ? [note(cut)] : []), ...tail].join('\n');
}

const escape = (text: string) => text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);
