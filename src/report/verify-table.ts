import type { VerifyResult } from '../verify/verify.js';
import { table } from './publish-table.js';

const MAX_LISTED = 50;

/** Per-base table of a verify run, then every mismatch. */
export function renderVerify(result: VerifyResult): string {
  const rows = [
    ['base', 'checked', 'ok', 'mismatched', 'patches applied', 'result'],
    ...result.bases.map((base) =>
      base.down ? [base.base, '0', '0', '-', '-', `DOWN (${base.down})`]
      : [base.base, String(base.checked), String(base.ok), String(base.mismatches.length), String(base.applied), base.mismatches.length ? 'MISMATCH' : 'ok'],
    ),
  ];
  const lines = table(rows);
  for (const base of result.bases) {
    for (const mismatch of base.mismatches.slice(0, MAX_LISTED)) {
      lines.push(mismatch.kind === 'cors' ? `CORS ${base.base}: ${mismatch.problem}` : `MISMATCH ${base.base} ${mismatch.kind} ${mismatch.key}: ${mismatch.problem}`);
    }
    if (base.mismatches.length > MAX_LISTED) lines.push(`MISMATCH ${base.base}: ${base.mismatches.length - MAX_LISTED} more (see --report)`);
  }
  lines.push(result.ok ? `release ${result.release}: verified` : `release ${result.release}: FAILED`);
  return lines.join('\n') + '\n';
}
