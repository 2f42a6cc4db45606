import { bytes, day, percent, shortSha } from '../report/format.js';
import type { TrafficReport } from './analyze.js';

/** The rows every renderer shows, as label/value text: one source for terminal, Markdown and HTML. */

const count = (value: number) => value.toLocaleString('en-US');
const maybe = (share: number | null) => (share === null ? 'n/a' : percent(share));

export function summaryRows(report: TrafficReport): [string, string][] {
  const returning = report.visits - report.newVisits;
  const saved = report.bytes.plainHttp > 0 ? ` (${percent(1 - report.bytes.deltawarm / report.bytes.plainHttp)} less)` : '';
  const d = report.downloads;
  return [
    ['recommended --versions', report.recommendedVersions === null ? 'none (see notes)' : `${report.recommendedVersions} (covers ${percent(report.windows[report.recommendedVersions - 1]!.coverage)} of returning visits behind; target ${percent(report.target)})`],
    ['visits', `${count(report.visits)}: ${count(report.newVisits)} new, ${count(returning)} returning`],
    ['incremental share', `${maybe(report.incrementalShare)} of returning clients' downloads answered by a patch`],
    ['patch success', maybe(report.patchSuccess)],
    ['misses (full files)', `${count(d.behindWindow)} behind the window, ${count(d.skipped)} patch skipped (not worth it), ${count(d.failed)} patch failed${d.added ? `, ${count(d.added)} asset new since held release` : ''}`],
    ['bytes sent', `${bytes(report.bytes.deltawarm)} with deltawarm against ${bytes(report.bytes.plainHttp)} with plain HTTP caching${saved}`],
    ['in the logs', `${count(report.bytes.requests.patches)} patch requests (${bytes(report.bytes.logged.patches)}), ${count(report.bytes.requests.fulls)} full-file requests (${bytes(report.bytes.logged.fulls)})`],
  ];
}

/** Returning visits by deploys behind: 0 (up to date) ... 20, then more. */
export function behindRows(report: TrafficReport): [string, number, number][] {
  const returning = report.visits - report.newVisits;
  const rows: [string, number, number][] = [];
  const byBehind = report.returningByBehind;
  for (let d = 0; d < Math.min(byBehind.length, 21); d++) rows.push([String(d), byBehind[d]!, returning ? byBehind[d]! / returning : 0]);
  const more = byBehind.slice(21).reduce((a, b) => a + b, 0) + report.returningBeyondIndex;
  if (more) rows.push(['more', more, returning ? more / returning : 0]);
  return rows;
}

export const WINDOW_HEADER = ['N', 'coverage', 'visits missed', 'full downloads', 'patches/deploy', 'storage/deploy', 'N adds patches', 'N adds storage'];

export function windowRows(report: TrafficReport): string[][] {
  return report.windows.map((row) => [
    `${row.versions}${row.versions === report.recommendedVersions ? ' *' : ''}`,
    percent(row.coverage),
    count(row.visitsMissed),
    count(row.fullDownloads),
    count(row.patchesPerDeploy),
    `${row.estimated ? '~' : ''}${bytes(row.storageBytes)}`,
    count(row.addedPatches),
    `${row.estimated ? '~' : ''}${bytes(row.addedBytes)}`,
  ]);
}

export const DEPLOY_HEADER = ['release', 'date', 'window', 'visits', 'new', 'returning behind', 'incremental', 'behind window', 'skipped', 'failed', 'bytes (deltawarm / plain)'];

export function deployRows(report: TrafficReport): string[][] {
  return report.deploys.map((deploy) => {
    const behind = deploy.returningByBehind.slice(1).reduce((a, b) => a + b, 0) + deploy.returningBeyondIndex;
    return [
      shortSha(deploy.release),
      day(deploy.createdAt),
      String(deploy.window),
      count(deploy.visits),
      count(deploy.newVisits),
      count(behind),
      maybe(deploy.incrementalShare),
      count(deploy.downloads.behindWindow),
      count(deploy.downloads.skipped),
      count(deploy.downloads.failed),
      `${bytes(deploy.bytes.deltawarm)} / ${bytes(deploy.bytes.plainHttp)}`,
    ];
  });
}
