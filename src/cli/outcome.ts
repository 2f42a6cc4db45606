import type { OutcomeReport } from '../report/coverage.js';
import type { PublishResult, TargetResult } from '../storage/publish.js';

/** A run whose patches did not all verify: nothing goes out (a failed shard stores only its result). */
export const patchFailureOutcome = (failures: number, verb: 'written' | 'published'): OutcomeReport => ({
  ok: false,
  summary: `${failures} patch(es) did not verify, so nothing was ${verb}`,
});

/** Where a push went: every target named, and for each one that failed, why and that it has no manifest. */
export function publishOutcome(result: PublishResult): OutcomeReport {
  if (result.ok) return { ok: true, summary: `to ${result.targets.map((target) => `"${target.target}"`).join(', ')}` };
  return { ok: false, summary: result.targets.map(describeTarget).join('; ') };
}

function describeTarget(target: TargetResult): string {
  if (target.ok) return `"${target.target}" ${target.manifestPublished ? 'published' : 'took its full files'}`;
  const first = target.failures[0];
  const failed = target.failures.length > 0 ? `${target.failures.length} object(s) failed (e.g. ${first?.key}: ${first?.reason})` : '';
  const conflicts = target.conflicts.length > 0 ? `${target.conflicts.length} immutable key(s) stored with other bytes (e.g. ${target.conflicts[0]})` : '';
  return `"${target.target}": ${[failed, conflicts].filter(Boolean).join(', ')}; no manifest published there`;
}
