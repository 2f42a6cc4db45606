import type { AssetReport, CoverageReport, PatchReport } from './coverage.js';
import { bytes, day, ms, percent, shortSha } from './format.js';
import { summaryRows } from './summary.js';

const WIDTH = 100;

/** The report for a terminal: at most 100 columns. */
export function renderTerminal(report: CoverageReport): string {
  const lines: string[] = [];
  for (const asset of report.assets) lines.push(...assetLines(asset));
  lines.push('');
  const labelWidth = Math.max(...summaryRows(report).map(([label]) => label.length));
  for (const [label, value] of summaryRows(report)) lines.push(fit(`${label.padEnd(labelWidth)}  ${value}`));
  for (const failure of report.failures) lines.push(fit(`FAILED ${failure}`));
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n') + '\n';
}

function assetLines(asset: AssetReport): string[] {
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
