import { describe, expect, it } from 'vitest';
import { pseudoJs } from '../../bench/pseudo-js.js';
import { gzipSize } from '../text/compressed-size.js';
import { integrityOf } from '../text/integrity.js';
import type { PatchFormat } from '../types.js';
import { type PatchJob, runPatchJob } from './patch-job.js';

function job(oldText: string, newText: string, format: PatchFormat = 'delta', maxPatchRatio = 0.5): PatchJob {
  const header = { asset: 'dist/a.js', from: 'a'.repeat(40), to: 'b'.repeat(40), fromIntegrity: integrityOf(oldText), toIntegrity: integrityOf(newText), toLength: newText.length };
  return { header, format, oldText, newText, maxPatchRatio, fullGzipBytes: gzipSize(new TextEncoder().encode(newText)) };
}

describe('runPatchJob', () => {
  it('decides on gzip bytes: a patch larger than half the file but small once gzipped is kept', () => {
    const oldText = pseudoJs(1, 20_000);
    const newText = oldText + 'call(next);\n'.repeat(2_000);
    for (const format of ['delta', 'tab', 'json'] as const) {
      const result = runPatchJob(job(oldText, newText, format, 0.4));
      expect(result.status).toBe('ok');
      if (result.status !== 'ok') continue;
      expect(result.body.length).toBeGreaterThan(0.4 * newText.length);
      expect(result.gzipBytes).toBe(gzipSize(result.body));
      expect(result.brotliBytes).toBeGreaterThan(0);
    }
  });

  it('skips a patch over the ratio of the gzipped file, and says so in gzip bytes', () => {
    const [oldText, newText] = [pseudoJs(1, 20_000), pseudoJs(2, 20_000)];
    const full = gzipSize(new TextEncoder().encode(newText));
    const result = runPatchJob(job(oldText, newText));
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(new RegExp(`^patch is \\d+ % of the gzipped file \\(\\d+ of ${full} bytes; over --max-patch-ratio 0.5\\)$`)) });
  });

  it('reports the empty-file cases truthfully', () => {
    expect(runPatchJob(job('let a = 1;\n', ''))).toMatchObject({ status: 'skipped', reason: 'the new text is empty: the full file is 0 bytes, no patch can be smaller' });
    const fromEmpty = runPatchJob(job('', pseudoJs(3, 2_000)));
    expect(fromEmpty).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^patch is 10\d % of the gzipped file/) });
    expect(runPatchJob(job('', pseudoJs(3, 2_000), 'delta', 2)).status).toBe('ok');
  });
});
