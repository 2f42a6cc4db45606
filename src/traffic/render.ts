import { bytes, percent } from '../report/format.js';
import { barChart, escapeXml as escape } from '../report/svg-chart.js';
import type { TrafficReport } from './analyze.js';
import { DEPLOY_HEADER, WINDOW_HEADER, behindRows, deployRows, summaryRows, windowRows } from './render-rows.js';

/** Plain-text columns, right-aligned but the first. */
function columns(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function renderTrafficTerminal(report: TrafficReport): string {
  const summary = summaryRows(report);
  const width = Math.max(...summary.map(([label]) => label.length));
  return [
    'deltawarm traffic',
    ...summary.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    'Returning visits by deploys behind',
    ...columns(['behind', 'visits', 'share'], behindRows(report).map(([d, visits, share]) => [d, String(visits), percent(share)])).map((line) => `  ${line}`),
    '',
    'Windows (* recommended; ~ storage partly estimated)',
    ...columns(WINDOW_HEADER, windowRows(report)).map((line) => `  ${line}`),
    '',
    'Per deploy (newest first)',
    ...columns(DEPLOY_HEADER, deployRows(report)).map((line) => `  ${line}`),
    ...(report.notes.length ? ['', 'Notes', ...report.notes.map((note) => `  - ${note}`)] : []),
    '',
  ].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const markdownTable = (header: string[], rows: string[][]) => [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];

export function renderTrafficMarkdown(report: TrafficReport): string {
  return [
    '## deltawarm traffic',
    '',
    '| | |',
    '| --- | --- |',
    ...summaryRows(report).map(([label, value]) => `| ${label} | ${cell(value)} |`),
    '',
    '### Returning visits by deploys behind',
    '',
    ...markdownTable(['behind', 'visits', 'share'], behindRows(report).map(([d, visits, share]) => [d, String(visits), percent(share)])),
    '',
    '### Windows',
    '',
    '`*` recommended; `~` storage partly estimated from the patch-to-full ratio of the listed patches.',
    '',
    ...markdownTable(WINDOW_HEADER, windowRows(report)),
    '',
    '<details><summary>Per deploy</summary>',
    '',
    ...markdownTable(DEPLOY_HEADER, deployRows(report)),
    '',
    '</details>',
    ...(report.notes.length ? ['', '### Notes', '', ...report.notes.map((note) => `- ${cell(note)}`)] : []),
    '',
  ].join('\n');
}

const COLORS = { patched: '#2f7d32', behind: '#b0b7c3', skipped: '#e0a100', failed: '#c62828', deltawarm: '#2f7d32', plain: '#b0b7c3', coverage: '#1f5fa8' };

const htmlTable = (header: string[], rows: string[][]) =>
  `<table><thead><tr>${header.map((title) => `<th>${escape(title)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((value) => `<td>${escape(value)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** One self-contained page: inline CSS and SVG charts, no script, nothing fetched (as the coverage report). */
export function renderTrafficHtml(report: TrafficReport): string {
  const behind = behindRows(report);
  const deploys = [...report.deploys].reverse();
  const label = (release: string) => release.slice(0, 7);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>deltawarm traffic</title><style>${STYLE}</style></head><body>`,
    '<h1>deltawarm traffic</h1>',
    `<table class="summary">${summaryRows(report).map(([name, value]) => `<tr><th>${escape(name)}</th><td>${escape(value)}</td></tr>`).join('')}</table>`,
    '<h2>Returning visits by deploys behind</h2>',
    `<figure id="behind">${barChart({ title: 'Returning visits', categories: behind.map(([d]) => d), series: [{ name: 'visits', color: COLORS.coverage, values: behind.map(([, visits]) => visits) }], layout: 'grouped', format: (v) => String(Math.round(v)), xLabel: 'deploys behind the release loaded' })}</figure>`,
    '<h2>Windows</h2>',
    `<figure id="coverage">${barChart({ title: 'Returning visits behind that a window of N versions covers', categories: report.windows.map((row) => String(row.versions)), series: [{ name: 'coverage', color: COLORS.coverage, values: report.windows.map((row) => row.coverage) }], layout: 'grouped', format: percent, xLabel: '--versions N', reference: { value: report.target, label: `target ${percent(report.target)}` } })}</figure>`,
    `<figure id="cost">${barChart({ title: 'Storage per deploy', categories: report.windows.map((row) => String(row.versions)), series: [{ name: 'patches stored', color: COLORS.skipped, values: report.windows.map((row) => row.storageBytes) }], layout: 'grouped', format: bytes, xLabel: '--versions N' })}</figure>`,
    htmlTable(WINDOW_HEADER, windowRows(report)),
    '<h2>Per deploy</h2>',
    `<figure id="downloads">${barChart({ title: "Returning clients' downloads", categories: deploys.map((d) => label(d.release)), series: [
      { name: 'patched', color: COLORS.patched, values: deploys.map((d) => d.downloads.patched) },
      { name: 'behind window', color: COLORS.behind, values: deploys.map((d) => d.downloads.behindWindow) },
      { name: 'skipped', color: COLORS.skipped, values: deploys.map((d) => d.downloads.skipped) },
      { name: 'failed', color: COLORS.failed, values: deploys.map((d) => d.downloads.failed) },
    ], layout: 'stacked', format: (v) => String(Math.round(v)), xLabel: 'deploy (oldest left)', width: Math.max(640, deploys.length * 18 + 90) })}</figure>`,
    `<figure id="bytes">${barChart({ title: 'Bytes sent', categories: deploys.map((d) => label(d.release)), series: [
      { name: 'deltawarm', color: COLORS.deltawarm, values: deploys.map((d) => d.bytes.deltawarm) },
      { name: 'plain HTTP caching', color: COLORS.plain, values: deploys.map((d) => d.bytes.plainHttp) },
    ], layout: 'grouped', format: bytes, xLabel: 'deploy (oldest left)', width: Math.max(640, deploys.length * 18 + 90) })}</figure>`,
    htmlTable(DEPLOY_HEADER, deployRows(report)),
    report.notes.length ? `<h2>Notes</h2><ul>${report.notes.map((note) => `<li>${escape(note)}</li>`).join('')}</ul>` : '',
    '</body></html>',
    '',
  ].join('\n');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1d2330}
table{border-collapse:collapse;margin:1em 0}th,td{padding:3px 8px;border-bottom:1px solid #e3e6ec;text-align:right}
th:first-child,td:first-child,.summary th,.summary td{text-align:left}figure{margin:1em 0;overflow-x:auto}
.chart-title{font-weight:600}.tick,.legend,.axis-label{font-size:11px;fill:#4a5263}.grid{stroke:#eef0f4}.axis{stroke:#9aa2b1}
.reference{stroke:#c62828;stroke-dasharray:4 3}`;
