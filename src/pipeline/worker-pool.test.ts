import { describe, expect, it } from 'vitest';
import { applyEncodedPatch } from '../patch/verify.js';
import { integrityOf } from '../text/integrity.js';
import type { PatchFormat } from '../types.js';
import { WorkerPool } from './worker-pool.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('PatchWorker', () => {
  it('keeps several assets at once, each decoded once, and proves every patch', async () => {
    const pool = new WorkerPool(1);
    const worker = pool.workers[0]!;
    const texts = (old: string, from: string, to: string) => ({ old, new: old.replace(from, to) });
    // Lines that differ, so the full files do not gzip to almost nothing and a patch is worth sending.
    const lines = (make: (i: number) => string) => Array.from({ length: 200 }, (_, i) => make((i * 7919) % 10007)).join('');
    const a = texts(lines((n) => `const greeting${n} = "hello ${n * 31}";\n`), 'hello', 'héllo 😀');
    const b = texts(lines((n) => `.c${n} { color: red; margin: ${n % 97}px; }\n`), 'red', 'blue');
    try {
      const [preparedA, preparedB] = await Promise.all([
        worker.prepare({ id: 1, path: 'dist/a.js', version: 'a'.repeat(40), bytes: encode(a.new), keep: true }),
        worker.prepare({ id: 2, path: 'dist/b.css', version: 'b'.repeat(40), bytes: encode(b.new), keep: true }),
      ]);
      expect([preparedA.integrity, preparedB.integrity]).toEqual([integrityOf(a.new), integrityOf(b.new)]);
      const pair = (id: number, text: string, format: PatchFormat) => worker.patch({ id, from: 'c'.repeat(40), bytes: encode(text), format, maxPatchRatio: 0.5 });
      const [jsonA, tabB, tabA, deltaB] = await Promise.all([pair(1, a.old, 'json'), pair(2, b.old, 'tab'), pair(1, a.old, 'tab'), pair(2, b.old, 'delta')]);
      for (const outcome of [jsonA, tabB, tabA, deltaB]) expect(outcome.result.status).toBe('ok');
      expect(jsonA.fromIntegrity).toBe(integrityOf(a.old));
      const body = (outcome: typeof jsonA) => (outcome.result.status === 'ok' ? new TextDecoder().decode(outcome.result.body) : '');
      const expectB = { fromIntegrity: integrityOf(b.old), toIntegrity: integrityOf(b.new), toLength: b.new.length };
      expect(applyEncodedPatch('tab', body(tabB), b.old, expectB)).toBe(b.new);
      expect(applyEncodedPatch('delta', body(deltaB), b.old, expectB)).toBe(b.new);

      const binary = await worker.patch({ id: 1, from: 'd'.repeat(40), bytes: new Uint8Array([0xff, 0xfe]), format: 'json', maxPatchRatio: 0.5 });
      expect(binary.result).toMatchObject({ status: 'skipped', reason: 'old version is not UTF-8 text' });
      worker.done(1);
      expect((await pair(1, a.old, 'json')).result).toMatchObject({ status: 'failed', reason: expect.stringContaining('not prepared') });
    } finally {
      await pool.close();
    }
  });
});
