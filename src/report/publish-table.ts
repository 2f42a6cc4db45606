import type { PublishResult, TargetResult } from '../storage/publish.js';
import type { WarmResult } from '../warm/warm.js';
import { bytes, ms } from './format.js';

/** What `push --dry-run` would send to each target, at most (objects already there are skipped). */
export interface TargetPlan {
  target: string;
  objects: number;
  bytes: number;
  manifest: boolean;
}

const MAX_LISTED = 20;

/** Per-target table of a push: objects and bytes uploaded, skipped, failed; then each failure and conflict. */
export function renderPublish(result: PublishResult): string {
  const rows = [['target', 'uploaded', 'skipped', 'failed', 'manifest', 'time'], ...result.targets.map(targetRow)];
  const lines = table(rows);
  for (const target of result.targets) {
    for (const conflict of target.conflicts) lines.push(`CONFLICT ${target.target} ${conflict}: stored with other bytes, left as is`);
    for (const failure of target.failures.slice(0, MAX_LISTED)) lines.push(`FAILED ${target.target} ${failure.key}: ${failure.reason}`);
    if (target.failures.length > MAX_LISTED) lines.push(`FAILED ${target.target}: ${target.failures.length - MAX_LISTED} more (see --report)`);
    if (target.stopped) lines.push(`STOPPED ${target.target}: ${target.stopped}; ${target.notAttempted} object(s) not tried`);
    if (target.corsWarning) lines.push(`WARNING ${target.target}: ${target.corsWarning}`);
  }
  lines.push(`pushed in ${ms(result.wallMs)}${result.ok ? '' : ': FAILED, no manifest published where anything failed'}`);
  return lines.join('\n') + '\n';
}

function targetRow(target: TargetResult): string[] {
  const tally = (t: { objects: number; bytes: number }) => `${t.objects} (${bytes(t.bytes)})`;
  const manifest = target.manifestPublished ? 'published' : target.ok ? 'none (full only)' : 'NOT published';
  return [target.target, tally(target.uploaded), tally(target.skipped), String(target.failed.objects + target.conflicts.length), manifest, ms(target.wallMs)];
}

export function renderDryRun(plans: TargetPlan[]): string {
  const rows = [['target', 'objects', 'bytes', 'manifest'], ...plans.map((p) => [p.target, String(p.objects), bytes(p.bytes), p.manifest ? 'yes' : 'no (full only)'])];
  return [...table(rows), 'dry run: nothing uploaded (objects already stored would be skipped)'].join('\n') + '\n';
}

/** Per-CDN table of a warm-up: answers by status and by cache verdict. */
export function renderWarm(result: WarmResult): string {
  const tally = (counts: Record<string, number>) => Object.entries(counts).map(([name, n]) => `${name} ${n}`).join(', ') || '-';
  const rows = [
    ['cdn', 'requested', 'ok', 'status', 'cache', 'age', 'time'],
    ...result.cdns.map((cdn) =>
      cdn.down ? [cdn.base, String(cdn.requested), '0', `DOWN (${cdn.down})`, '-', '-', ms(cdn.wallMs)]
      : [cdn.base, String(cdn.requested), String(cdn.ok), tally(cdn.statuses), tally(cdn.cache), String(cdn.withAge), ms(cdn.wallMs)],
    ),
  ];
  const lines = table(rows);
  for (const cdn of result.cdns) {
    if (cdn.down) continue;
    for (const failure of cdn.failures.slice(0, MAX_LISTED)) lines.push(`WARM FAILED ${cdn.base}${failure.key}: ${failure.reason}`);
  }
  return lines.join('\n') + '\n';
}

/** Left-aligned columns separated by two spaces. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
}
