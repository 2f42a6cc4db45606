import type { CoverageReport, OutcomeReport } from './coverage.js';
import { bytes, ms, percent, shortSha } from './format.js';
import type { ClientReport } from './returning-clients.js';

/** The totals as label/value pairs, shared by the terminal and Markdown forms. */
export function summaryRows(report: CoverageReport): Array<[string, string]> {
  const t = report.totals;
  const rows: Array<[string, string]> = [
    ...(report.outcome ? [outcomeRow(report.outcome)] : []),
    ['release', shortSha(report.release)],
    ['assets', `${t.assets} (${t.textAssets} text)`],
    ['coverage', t.oldVersions === 0 ? noOlderVersion(report) : `${t.patches} of ${t.oldVersions} older versions patched (${percent(t.coverage)})`],
  ];
  if (t.oldVersions > 0) {
    rows.push(['skipped / failed', `${t.skipped} / ${t.failed}`]);
  }
  rows.push(['stored', bytes(t.storedBytes)]);
  if (t.oldVersions > 0) rows.push(['saving per older version', `median ${percent(t.medianSaving)}, worst ${percent(t.worstSaving)} of gzip bytes`]);
  rows.push(['wall time', ms(report.wallMs)]);
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

/** Built mode without a history source has no deploy to patch from, now or next time. */
const withoutHistory = (report: CoverageReport) => report.behind === 'deploys' && !report.history;

function noOlderVersion(report: CoverageReport): string {
  return withoutHistory(report) ? 'no older version: no deploy history was read (pass --history DIR|URL)' : `no older version yet: patches start with the next ${nextUnit(report)}`;
}

/** What the next step of history is called: a deploy, or a commit that changes an asset. */
const nextUnit = (report: CoverageReport) => (report.behind === 'deploys' ? 'deploy' : 'commit that changes an asset');

/** Names the settings every byte figure was computed with, and what a CDN at others does to them. */
function compression(report: CoverageReport): string {
  const { gzipLevel, brotliQuality } = report.compression;
  return `gzip level ${gzipLevel}, brotli quality ${brotliQuality}; a CDN compressing at other levels sends a few % more or less`;
}

const manifestNote = (report: CoverageReport) =>
  report.manifest ? `Each visit also checks for a deploy: the worker reads head.json and the changes since its release, or the whole manifest (${bytes(report.manifest.gzipBytes)} gzip). ` : '';

/** "1 deploy", "3 commits". */
export function behindLabel(report: CoverageReport, behind: number): string {
  const unit = report.behind === 'deploys' ? 'deploy' : 'commit';
  return `${behind} ${unit}${behind === 1 ? '' : 's'}`;
}

/** What the reports say in place of the client table when there is no returning client. */
export function noClients(report: CoverageReport): string {
  if (withoutHistory(report)) return 'none: no deploy history was read (pass --history DIR|URL)';
  if (report.totals.oldVersions === 0) return `none yet: no earlier ${report.behind === 'deploys' ? 'deploy' : 'commit changing an asset'}; patches start with the next ${nextUnit(report)}`;
  return 'none: no earlier deploy was read (a redeploy rebuilds its tree from its own manifest)';
}

export const CLIENT_HEADER = ['behind', 'last saw', 'deltawarm gzip / br', 'HTTP cache gzip / br', 'of HTTP', 'patched', 'new', 'same'];

/** One row per returning client, cells as in CLIENT_HEADER. */
export function clientRow(report: CoverageReport, client: ClientReport): string[] {
  const { assets } = client;
  const changed = assets.patch + assets.full;
  return [
    behindLabel(report, client.behind),
    shortSha(client.at),
    `${bytes(client.gzipBytes)} / ${bytes(client.brotliBytes)}`,
    `${bytes(client.httpGzipBytes)} / ${bytes(client.httpBrotliBytes)}`,
    client.shareOfHttp === undefined ? '-' : percent(client.shareOfHttp),
    changed === 0 ? '-' : `${assets.patch} of ${changed}`,
    String(assets.new),
    String(assets.unchanged),
  ];
}

/** The sentence under the client table: what its columns mean. */
export function clientLegend(report: CoverageReport): string {
  const unit = report.behind === 'deploys' ? 'deploy' : 'commit that changed an asset';
  return (
    `What a client that last visited at an earlier ${unit} downloads now: patches for the changed assets a patch covers, ` +
    'full files for the other changed and the new ones, nothing for the same ones; plain HTTP caching downloads the full file of every changed or new asset. ' +
    `${manifestNote(report)}Sizes: ${compression(report)}.`
  );
}
