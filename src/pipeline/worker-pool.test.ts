import { describe, expect, it } from 'vitest';
import { gzipSize } from '../text/compressed-size.js';
import { integrityOf } from '../text/integrity.js';
import { WorkerPool } from './worker-pool.js';

describe('WorkerPool', () => {
  it('computes and proves patches on worker threads', async () => {
    const pool = new WorkerPool(2);
    const oldText = 'const greeting = "hello";\n'.repeat(50);
    const newText = oldText.replace('hello', 'héllo 😀');
    try {
      const header = { asset: 'dist/a.js', from: 'a'.repeat(40), to: 'b'.repeat(40), fromIntegrity: integrityOf(oldText), toIntegrity: integrityOf(newText), toLength: newText.length };
      const fullGzipBytes = gzipSize(new TextEncoder().encode(newText));
      const results = await Promise.all(
        (['json', 'tab', 'delta'] as const).map((format) => pool.run({ header, format, oldText, newText, maxPatchRatio: 0.5, fullGzipBytes })),
      );
      for (const result of results) expect(result.status).toBe('ok');
      const wrong = await pool.run({ header: { ...header, toIntegrity: integrityOf('other') }, format: 'json', oldText, newText, maxPatchRatio: 0.5, fullGzipBytes });
      expect(wrong).toMatchObject({ status: 'failed', reason: expect.stringContaining('toIntegrity') });
    } finally {
      await pool.close();
    }
  });
});
