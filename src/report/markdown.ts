import type { CoverageReport } from './coverage.js';
import { bytes, day, ms, percent, shortSha } from './format.js';
import { summaryRows } from './summary.js';

/** The report as GitHub-flavoured Markdown, ready for $GITHUB_STEP_SUMMARY. */
export function renderMarkdown(report: CoverageReport): string {
  const lines = ['## deltawarm prewarm coverage', '', '| | |', '| --- | --- |'];
  for (const [label, value] of summaryRows(report)) lines.push(`| ${label} | ${escape(value)} |`);
  if (report.notes.length > 0) lines.push('', ...report.notes.map((note) => `> ${escape(note)}`));
  if (report.failures.length > 0) lines.push('', '### Failures', '', ...report.failures.map((failure) => `- ${escape(failure)}`));
  lines.push('', '<details><summary>Per asset</summary>', '', '| asset | from | result | patch | gzip | of full (gzip) | time |', '| --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const asset of report.assets) {
    const name = `${escape(asset.path)} ${shortSha(asset.version)}`;
    if (asset.fullOnly || asset.patches.length === 0) {
      lines.push(`| ${name} | | ${escape(asset.fullOnly ?? 'no older version')} | | | | |`);
      continue;
    }
    for (const patch of asset.patches) {
      const from = `${shortSha(patch.from)} ${day(patch.fromDate)}`;
      if (patch.status !== 'ok') lines.push(`| ${name} | ${from} | ${patch.status}: ${escape(patch.reason ?? '')} | | | | ${ms(patch.ms)} |`);
      else lines.push(`| ${name} | ${from} | patch | ${bytes(patch.bytes ?? 0)} | ${bytes(patch.gzipBytes ?? 0)} | ${percent(patch.ratio ?? 0)} | ${ms(patch.ms)} |`);
    }
  }
  lines.push('', '</details>', '');
  return lines.join('\n');
}

const escape = (text: string) => text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);
