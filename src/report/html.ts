import { type AssetSummary, assetsThatMatterMost, downloadList, patchTally, summarizeAssets } from './asset-summary.js';
import type { CoverageReport } from './coverage.js';
import { bytes, percent, shortSha } from './format.js';
import { clientDownload } from './returning-clients.js';
import { CLIENT_HEADER, behindLabel, clientLegend, clientRow, noClients, summaryRows } from './summary.js';
import { barChart, escapeXml as escape } from './svg-chart.js';

const CHARTED_ASSETS = 12;
const TABLE_ROWS = 5000;
const COLORS = { patched: '#2f7d32', full: '#b0b7c3', fresh: '#5b7db1', failed: '#c62828' };

/**
 * The report as one self-contained HTML page: inline CSS and SVG charts, no script, and a
 * Content-Security-Policy that forbids fetching anything, so it opens the same from a CI
 * artifact, a mail attachment or a file:// URL. It leads with what each returning client
 * downloads, charted by how many deploys (or commits) behind it is.
 */
export function renderHtml(report: CoverageReport): string {
  const summaries = summarizeAssets(report);
  const title = `deltawarm coverage, release ${shortSha(report.release)}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escape(title)}</h1>`,
    report.outcome && !report.outcome.ok ? `<p class="not-published"><strong>FAILED: the release was not published.</strong> ${escape(report.outcome.summary)}</p>` : '',
    ...clientSection(report),
    '<h2>Totals</h2>',
    summaryTable(report),
    ...perAsset(report),
    failures(report),
    assetTable(report, summaries),
    '</body></html>',
    '',
  ].join('\n');
}

function clientSection(report: CoverageReport): string[] {
  if (report.clients.length === 0) return ['<h2>Returning clients</h2>', `<p id="no-clients">${escape(noClients(report))}</p>`];
  const head = `<tr>${CLIENT_HEADER.map((cell) => `<th>${escape(cell)}</th>`).join('')}</tr>`;
  const rows = report.clients.map((client) => `<tr>${clientRow(report, client).map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`);
  return [
    '<h2>Returning clients: what each downloads now</h2>',
    `<table class="clients" id="clients"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`,
    `<p class="legend">${escape(clientLegend(report))}</p>`,
    `<figure id="total-downloads">${totalChart(report)}<figcaption>Gzip bytes a client downloads to reach this release, by how many ${escape(report.behind)} ago it last visited: with deltawarm, and with plain HTTP caching (the full file of every changed or new asset).</figcaption></figure>`,
    `<figure id="coverage">${coverageChart(report)}<figcaption>The release's assets each client must update: patched, full file (changed, no patch from the version it holds) and new to it; assets it already holds are left out.</figcaption></figure>`,
  ];
}

const axis = (report: CoverageReport) => `${report.behind} behind the release`;
const categories = (report: CoverageReport) => report.clients.map((client) => String(client.behind));

function totalChart(report: CoverageReport): string {
  return barChart({
    title: `What a returning client downloads, by ${report.behind} behind (gzip)`,
    categories: categories(report),
    series: [
      { name: 'with deltawarm', color: COLORS.patched, values: report.clients.map((client) => client.gzipBytes) },
      { name: 'plain HTTP caching', color: COLORS.full, values: report.clients.map((client) => client.httpGzipBytes) },
    ],
    layout: 'grouped',
    format: bytes,
    xLabel: axis(report),
  });
}

function coverageChart(report: CoverageReport): string {
  return barChart({
    title: `Assets to update, by ${report.behind} behind`,
    categories: categories(report),
    series: [
      { name: 'patched', color: COLORS.patched, values: report.clients.map((client) => client.assets.patch) },
      { name: 'full file', color: COLORS.full, values: report.clients.map((client) => client.assets.full) },
      { name: 'new', color: COLORS.fresh, values: report.clients.map((client) => client.assets.new) },
    ],
    layout: 'stacked',
    format: (n) => String(Math.round(n)),
    xLabel: axis(report),
  });
}

function summaryTable(report: CoverageReport): string {
  return `<table class="summary">${summaryRows(report).map(([label, value]) => `<tr><th>${escape(label)}</th><td>${escape(value)}</td></tr>`).join('')}</table>`;
}

/** Small multiples of the assets returning clients download most; an asset every client holds already gets no panel. */
function perAsset(report: CoverageReport): string[] {
  const charted = assetsThatMatterMost(report, report.assets.length).filter((summary) => summary.largestDownload > 0).slice(0, CHARTED_ASSETS);
  if (charted.length === 0) return [];
  return [`<h2>Assets that matter most</h2><div class="multiples" id="per-asset">${charted.map((summary) => assetChart(report, summary)).join('')}</div>`];
}

function assetChart(report: CoverageReport, summary: AssetSummary): string {
  const { asset } = summary;
  const actions = summary.downloads.map((_, i) => clientDownload(asset, i).action);
  const chart = barChart({
    title: asset.path.length > 44 ? `…${asset.path.slice(-43)}` : asset.path,
    categories: categories(report),
    series: [
      { name: 'patch', color: COLORS.patched, values: summary.downloads.map((n, i) => (actions[i] === 'patch' ? n : 0)) },
      { name: 'full file', color: COLORS.full, values: summary.downloads.map((n, i) => (actions[i] === 'patch' ? 0 : n)) },
    ],
    layout: 'stacked',
    format: bytes,
    xLabel: axis(report),
    width: 320,
    height: 200,
    reference: { value: asset.gzipBytes, label: `full file: ${bytes(asset.gzipBytes)} gzip` },
  });
  const same = actions.filter((action) => action === 'unchanged').length;
  const caption = `${patchTally(summary)}; ${same ? `${same} of ${actions.length} clients hold it already; ` : ''}dashed line: the full file, ${bytes(asset.gzipBytes)} gzip`;
  return `<figure class="asset" data-path="${escape(asset.path)}">${chart}<figcaption>${escape(caption)}</figcaption></figure>`;
}

function failures(report: CoverageReport): string {
  if (report.failures.length === 0) return '';
  return `<h2>Failures</h2><ul class="failures">${report.failures.map((failure) => `<li>${escape(failure)}</li>`).join('')}</ul>`;
}

function assetTable(report: CoverageReport, summaries: AssetSummary[]): string {
  const shown = summaries.slice(0, TABLE_ROWS);
  const rows = shown.map((s) => {
    const downloads = downloadList(s, bytes);
    const worst = s.downloads.length ? percent(s.largestDownload / Math.max(s.asset.gzipBytes, 1)) : '';
    return `<tr><td>${escape(s.asset.path)}</td><td>${shortSha(s.asset.version)}</td><td>${bytes(s.asset.bytes)}</td><td>${bytes(s.asset.gzipBytes)}</td><td>${escape(patchTally(s))}</td><td>${escape(downloads)}</td><td>${worst}</td></tr>`;
  });
  const more = summaries.length > shown.length ? `<p>${summaries.length - shown.length} more assets: the --report JSON holds every one.</p>` : '';
  return `<h2>Every asset</h2><table class="assets" id="assets"><thead><tr><th>asset</th><th>version</th><th>size</th><th>gzip</th><th>older versions</th><th>${escape(report.clients.length ? `downloads, ${behindLabel(report, 1)}, 2, ... behind (gzip)` : 'downloads (no returning client)')}</th><th>largest, of full</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1040px;padding:0 16px;color:#1d2330}
h1{font-size:22px}.not-published{background:#fdecea;border-left:4px solid #c62828;padding:8px 12px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #e3e6eb;vertical-align:top}
table.assets{font-size:12px}table.assets td:nth-child(n+3){white-space:nowrap}
figure{margin:8px 0}figcaption{font-size:12px;color:#556}
table.clients td:nth-child(n+3){text-align:right;white-space:nowrap}.legend{font-size:12px;color:#556;max-width:900px}
.multiples{display:flex;flex-wrap:wrap;gap:8px}.multiples figure{width:320px}
svg text{font:11px system-ui,sans-serif;fill:#334}svg .chart-title{font-weight:600;font-size:12px}
svg .grid{stroke:#eceff3}svg .axis{stroke:#889}svg .reference{stroke:#c62828;stroke-dasharray:4 3}
.failures li{color:#c62828}
`;
