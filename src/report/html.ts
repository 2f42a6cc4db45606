import { type AssetSummary, assetsThatMatterMost, patchTally, summarizeAsset } from './asset-summary.js';
import type { CoverageReport } from './coverage.js';
import { bytes, percent, shortSha } from './format.js';
import { summaryRows } from './summary.js';
import { barChart, escapeXml as escape } from './svg-chart.js';

const CHARTED_ASSETS = 12;
const TABLE_ROWS = 5000;
const COLORS = { patched: '#2f7d32', full: '#b0b7c3', skipped: '#e0a100', failed: '#c62828' };

/** Totals for clients one, two, ... versions behind, over the assets with that many older versions. */
interface AgeRow {
  age: number;
  assets: number;
  downloaded: number;
  fullFiles: number;
  patched: number;
  skipped: number;
  failed: number;
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG charts, no script, and a
 * Content-Security-Policy that forbids fetching anything, so it opens the same from a CI
 * artifact, a mail attachment or a file:// URL.
 */
export function renderHtml(report: CoverageReport): string {
  const summaries = report.assets.map(summarizeAsset);
  const ages = byAge(summaries);
  const title = `deltawarm coverage, release ${shortSha(report.release)}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escape(title)}</h1>`,
    report.outcome && !report.outcome.ok ? `<p class="not-published"><strong>FAILED: the release was not published.</strong> ${escape(report.outcome.summary)}</p>` : '',
    summaryTable(report),
    '<h2>Downloads of a returning client</h2>',
    `<figure id="total-downloads">${totalChart(ages)}<figcaption>Gzip bytes a client downloads to reach this release, summed over the assets that have a version that old: with deltawarm (its patch, or the full file where there is none) and without (every full file).</figcaption></figure>`,
    '<h2>Coverage</h2>',
    `<figure id="coverage">${coverageChart(ages)}<figcaption>Older versions by how far behind the release they are: patched, skipped (full file instead) and failed.</figcaption></figure>`,
    `<h2>Assets that matter most</h2><div class="multiples" id="per-asset">${assetsThatMatterMost(report, CHARTED_ASSETS).map(assetChart).join('')}</div>`,
    failures(report),
    assetTable(summaries),
    '</body></html>',
    '',
  ].join('\n');
}

function byAge(summaries: AssetSummary[]): AgeRow[] {
  const rows: AgeRow[] = [];
  for (const { asset, downloads } of summaries) {
    downloads.forEach((downloaded, index) => {
      const row = (rows[index] ??= { age: index + 1, assets: 0, downloaded: 0, fullFiles: 0, patched: 0, skipped: 0, failed: 0 });
      const status = asset.patches[index]?.status ?? 'skipped';
      row.assets++;
      row.downloaded += downloaded;
      row.fullFiles += asset.gzipBytes;
      row[status === 'ok' ? 'patched' : status]++;
    });
  }
  return rows;
}

function summaryTable(report: CoverageReport): string {
  return `<table class="summary">${summaryRows(report).map(([label, value]) => `<tr><th>${escape(label)}</th><td>${escape(value)}</td></tr>`).join('')}</table>`;
}

function totalChart(ages: AgeRow[]): string {
  return barChart({
    title: 'Total download by versions behind (gzip)',
    categories: ages.map((row) => String(row.age)),
    series: [
      { name: 'with deltawarm', color: COLORS.patched, values: ages.map((row) => row.downloaded) },
      { name: 'full files', color: COLORS.full, values: ages.map((row) => row.fullFiles) },
    ],
    layout: 'grouped',
    format: bytes,
    xLabel: 'versions behind the release',
  });
}

function coverageChart(ages: AgeRow[]): string {
  return barChart({
    title: 'Older versions patched, by versions behind',
    categories: ages.map((row) => String(row.age)),
    series: [
      { name: 'patched', color: COLORS.patched, values: ages.map((row) => row.patched) },
      { name: 'skipped', color: COLORS.skipped, values: ages.map((row) => row.skipped) },
      { name: 'failed', color: COLORS.failed, values: ages.map((row) => row.failed) },
    ],
    layout: 'stacked',
    format: (n) => String(Math.round(n)),
    xLabel: 'versions behind the release',
  });
}

function assetChart(summary: AssetSummary): string {
  const { asset, downloads } = summary;
  const chart = barChart({
    title: asset.path.length > 44 ? `…${asset.path.slice(-43)}` : asset.path,
    categories: downloads.map((_, i) => String(i + 1)),
    series: [
      { name: 'patch', color: COLORS.patched, values: downloads.map((n, i) => (asset.patches[i]?.status === 'ok' ? n : 0)) },
      { name: 'full file (no patch)', color: COLORS.full, values: downloads.map((n, i) => (asset.patches[i]?.status === 'ok' ? 0 : n)) },
    ],
    layout: 'stacked',
    format: bytes,
    xLabel: 'versions behind',
    width: 320,
    height: 200,
    reference: { value: asset.gzipBytes, label: `full file: ${bytes(asset.gzipBytes)} gzip` },
  });
  return `<figure class="asset" data-path="${escape(asset.path)}">${chart}<figcaption>${escape(patchTally(summary))}; dashed line: the full file, ${escape(bytes(asset.gzipBytes))} gzip</figcaption></figure>`;
}

function failures(report: CoverageReport): string {
  if (report.failures.length === 0) return '';
  return `<h2>Failures</h2><ul class="failures">${report.failures.map((failure) => `<li>${escape(failure)}</li>`).join('')}</ul>`;
}

function assetTable(summaries: AssetSummary[]): string {
  const shown = summaries.slice(0, TABLE_ROWS);
  const rows = shown.map((s) => {
    const downloads = s.downloads.map((n) => bytes(n)).join(', ');
    const worst = s.downloads.length ? percent(s.largestDownload / Math.max(s.asset.gzipBytes, 1)) : '';
    return `<tr><td>${escape(s.asset.path)}</td><td>${shortSha(s.asset.version)}</td><td>${bytes(s.asset.bytes)}</td><td>${bytes(s.asset.gzipBytes)}</td><td>${escape(patchTally(s))}</td><td>${escape(downloads)}</td><td>${worst}</td></tr>`;
  });
  const more = summaries.length > shown.length ? `<p>${summaries.length - shown.length} more assets: the --report JSON holds every one.</p>` : '';
  return `<h2>Every asset</h2><table class="assets" id="assets"><thead><tr><th>asset</th><th>version</th><th>size</th><th>gzip</th><th>older versions</th><th>downloads, 1, 2, ... behind (gzip)</th><th>largest, of full</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1040px;padding:0 16px;color:#1d2330}
h1{font-size:22px}.not-published{background:#fdecea;border-left:4px solid #c62828;padding:8px 12px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #e3e6eb;vertical-align:top}
table.assets{font-size:12px}table.assets td:nth-child(n+3){white-space:nowrap}
figure{margin:8px 0}figcaption{font-size:12px;color:#556}
.multiples{display:flex;flex-wrap:wrap;gap:8px}.multiples figure{width:320px}
svg text{font:11px system-ui,sans-serif;fill:#334}svg .chart-title{font-weight:600;font-size:12px}
svg .grid{stroke:#eceff3}svg .axis{stroke:#889}svg .reference{stroke:#c62828;stroke-dasharray:4 3}
.failures li{color:#c62828}
`;
