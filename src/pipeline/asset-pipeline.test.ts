import { describe, expect, it } from 'vitest';
import { type Step, buildRepo } from '../../fixtures/git-fixture.js';
import { awkwardContent, body } from '../../fixtures/histories.js';
import { DEFAULTS, prewarm } from '../index.js';

/** Twelve assets whose sizes do not follow their paths, over four releases, plus awkward content. */
function mixedSizes(): Step[] {
  const releases: Step[] = ['r1', 'r2', 'r3', 'r4'].map((message, r) => ({
    message,
    files: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`dist/chunk-${i}.js`, body(`c${i}`).repeat(1 + ((i * 7) % 12)) + `export const release = ${r + (i % 3 === 0 ? 0 : 1) * r};\n`]),
    ),
  }));
  return [...awkwardContent, ...releases];
}

describe('processAssets', () => {
  it('gives byte-identical trees and reports whatever the number of workers', async () => {
    const repo = buildRepo(mixedSizes());
    const run = async (concurrency: number) => {
      const { objects, report } = await prewarm({ ...DEFAULTS, repo: repo.dir, assets: ['dist/**'], versions: 3, concurrency });
      const patches = report.assets.map((asset) => asset.patches.map(({ ms: _ms, ...patch }) => patch));
      return { objects: objects.map((o) => [o.key, Buffer.from(o.body).toString('base64'), o.contentType]), patches, totals: report.totals };
    };
    const one = await run(1);
    expect(one.totals).toMatchObject({ assets: 19, failed: 0 });
    expect(one.totals.patches).toBeGreaterThan(20);
    for (const concurrency of [2, 3]) expect(await run(concurrency)).toEqual(one);
  });
});
