import type { CoverageReport, OutcomeReport } from './coverage.js';
import { bytes, ms, percent, shortSha } from './format.js';

/** The totals as label/value pairs, shared by the terminal and Markdown forms. */
export function summaryRows(report: CoverageReport): Array<[string, string]> {
  const t = report.totals;
  const rows: Array<[string, string]> = [
    ...(report.outcome ? [outcomeRow(report.outcome)] : []),
    ['release', shortSha(report.release)],
    ['assets', `${t.assets} (${t.textAssets} text)`],
    ['coverage', `${t.patches} of ${t.oldVersions} older versions patched (${percent(t.coverage)})`],
    ['skipped / failed', `${t.skipped} / ${t.failed}`],
    ['stored', bytes(t.storedBytes)],
    ['returning client saves', `median ${percent(t.medianSaving)}, worst ${percent(t.worstSaving)} of gzip bytes`],
    ['wall time', ms(report.wallMs)],
  ];
  if (report.history) rows.push(['deploy history', `${report.history.deploysRead} deploy(s) read, ${report.history.requests} request(s) to ${report.history.source}`]);
  if (report.shallow) {
    const cut = t.windowsBeyondShallowBoundary;
    rows.push(['shallow clone', cut ? `${cut} window(s) cut short: older versions beyond shallow boundary (fetch-depth: 0)` : `deepened by ${report.deepenedBy} commits, windows whole`]);
  }
  for (const note of report.notes) rows.push(['note', note]);
  return rows;
}

/** First, so that no reader of any form misses that the tree was not published. */
export const outcomeRow = (outcome: OutcomeReport): [string, string] => (outcome.ok ? ['published', outcome.summary] : ['NOT PUBLISHED', `FAILED: ${outcome.summary}`]);
