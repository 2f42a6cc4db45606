/** Bar charts as inline SVG strings: no library, no script, nothing fetched. */

export interface Series {
  name: string;
  color: string;
  values: number[];
}

export interface BarChart {
  title: string;
  /** One label per category on the x axis. */
  categories: string[];
  series: Series[];
  /** Side by side (grouped) or on top of each other (stacked). */
  layout: 'grouped' | 'stacked';
  format: (value: number) => string;
  xLabel: string;
  width?: number;
  height?: number;
  /** A dashed horizontal line, e.g. the full file's size. */
  reference?: { value: number; label: string };
}

const MARGIN = { top: 34, right: 12, bottom: 40, left: 72 };

export function barChart(chart: BarChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 260;
  const plot = { width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
  const totals = chart.categories.map((_, i) => (chart.layout === 'stacked' ? sum(chart.series.map((s) => s.values[i] ?? 0)) : Math.max(0, ...chart.series.map((s) => s.values[i] ?? 0))));
  const top = niceCeiling(Math.max(chart.reference?.value ?? 0, ...totals, 1));
  const y = (value: number) => MARGIN.top + plot.height - (value / top) * plot.height;
  const band = plot.width / Math.max(chart.categories.length, 1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${escapeXml(chart.title)}">`,
    `<text x="${MARGIN.left}" y="14" class="chart-title">${escapeXml(chart.title)}</text>`,
    ...legend(chart.series, MARGIN.left, 28),
    ...axes(top, y, chart.format, width, plot.height),
  ];
  chart.categories.forEach((category, i) => {
    const x0 = MARGIN.left + i * band;
    parts.push(`<text x="${x0 + band / 2}" y="${height - MARGIN.bottom + 14}" text-anchor="middle" class="tick">${escapeXml(category)}</text>`);
    parts.push(...bars(chart, i, x0, band, y));
  });
  parts.push(`<text x="${MARGIN.left + plot.width / 2}" y="${height - 6}" text-anchor="middle" class="axis-label">${escapeXml(chart.xLabel)}</text>`);
  if (chart.reference) {
    const at = y(chart.reference.value).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${at}" y2="${at}" class="reference"><title>${escapeXml(chart.reference.label)}</title></line>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

function bars(chart: BarChart, i: number, x0: number, band: number, y: (value: number) => number): string[] {
  const inner = band * 0.8;
  const grouped = chart.layout === 'grouped';
  const barWidth = grouped ? inner / chart.series.length : inner;
  let base = 0;
  return chart.series.map((series, s) => {
    const value = series.values[i] ?? 0;
    const x = x0 + band * 0.1 + (grouped ? s * barWidth : 0);
    const [from, to] = grouped ? [0, value] : [base, (base += value)];
    const label = `${series.name}, ${chart.categories[i]}: ${chart.format(value)}`;
    return `<rect x="${x.toFixed(1)}" y="${y(to).toFixed(1)}" width="${Math.max(barWidth - 1, 1).toFixed(1)}" height="${(y(from) - y(to)).toFixed(1)}" fill="${series.color}" data-series="${escapeXml(series.name)}" data-value="${value}"><title>${escapeXml(label)}</title></rect>`;
  });
}

function axes(top: number, y: (value: number) => number, format: (value: number) => string, width: number, plotHeight: number): string[] {
  const lines = [`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" class="axis"/>`];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (top * tick) / 4;
    const at = y(value).toFixed(1);
    lines.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${at}" y2="${at}" class="grid"/>`);
    lines.push(`<text x="${MARGIN.left - 6}" y="${at}" dy="0.32em" text-anchor="end" class="tick">${escapeXml(format(value))}</text>`);
  }
  return lines;
}

function legend(series: Series[], x: number, y: number): string[] {
  let at = x;
  return series.flatMap((s) => {
    const item = [`<rect x="${at}" y="${y - 9}" width="10" height="10" fill="${s.color}"/>`, `<text x="${at + 14}" y="${y}" class="legend">${escapeXml(s.name)}</text>`];
    at += 24 + s.name.length * 7;
    return item;
  });
}

/** A round axis top at or above `value` whose quarters are round too. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 6, 8, 10].map((step) => step * power).find((candidate) => candidate >= value) as number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
