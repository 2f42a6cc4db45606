/**
 * Whole `deltawarm build` wall time on the real jQuery history (12 releases, 4 assets,
 * --versions 11: 44 pairs), as a process, at --concurrency 1 and 2. Runs alternate between
 * the two settings so machine noise hits both alike; medians and their ratio are reported.
 * Run alone: node --import tsx bench/build-wall.ts [--runs=5]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { openRepository } from '../src/git/repository.js';
import { processAssets } from '../src/pipeline/asset-pipeline.js';
import { WorkerPool } from '../src/pipeline/worker-pool.js';
import { median } from '../src/report/coverage.js';
import { openCommittedSource } from '../src/source/committed-source.js';
import { DEFAULT_HASH_PATTERN } from '../src/source/logical-name.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAKE_REPO = join(ROOT, '../shared/data/make-repo.sh');

function timeBuild(repo: string, concurrency: number): number {
  const out = join(makeTempDir('deltawarm-bench-out-'), 'tree');
  const started = performance.now();
  execFileSync('node', [join(ROOT, 'bin/deltawarm.js'), 'build', '--repo', repo, '--assets', 'dist/**', '--versions', '11', '--out', out, '--concurrency', String(concurrency), '--quiet'], { stdio: 'ignore' });
  return performance.now() - started;
}

/**
 * The diff phase alone, in this process, on a pool whose workers already ran the same jobs
 * once: what the pool gives once each worker's JIT warm-up is paid.
 */
async function warmPoolMs(repo: string, concurrency: number, runs: number): Promise<number> {
  const git = await openRepository(repo);
  const pool = new WorkerPool(concurrency);
  const settings = { patchFormat: 'json' as const, maxPatchRatio: 0.5, maxSize: 10 * 1024 * 1024, concurrency };
  const times: number[] = [];
  try {
    for (let run = 0; run <= runs; run++) {
      const source = await openCommittedSource({ repo: git, release: 'HEAD', assets: ['dist/**'], versions: 11, deepen: false, window: 'commits', hashPattern: new RegExp(DEFAULT_HASH_PATTERN) });
      const started = performance.now();
      await processAssets(source.windows, { pool, settings, onPatch: () => {} });
      if (run > 0) times.push(performance.now() - started);
      source.close();
    }
  } finally {
    await pool.close();
  }
  return median(times);
}

export async function main(args: string[] = []): Promise<string> {
  if (!existsSync(MAKE_REPO)) throw new Error(`no data set at ${MAKE_REPO}: the benchmark needs ../shared/data next to the repository`);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 5);
  const repo = join(makeTempDir('deltawarm-bench-jquery-'), 'jquery-history');
  execFileSync('bash', [MAKE_REPO, 'jquery-dist', repo], { stdio: 'ignore' });
  timeBuild(repo, 2);
  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let i = 0; i < runs; i++) for (const c of [1, 2] as const) times[c].push(timeBuild(repo, c));
  const [one, two] = [median(times[1]), median(times[2])];
  const [warmOne, warmTwo] = [await warmPoolMs(repo, 1, runs), await warmPoolMs(repo, 2, runs)];
  return [
    `| build of jquery-dist (44 pairs), median of ${runs} | wall |`,
    '| --- | ---: |',
    `| --concurrency 1 | ${(one / 1000).toFixed(2)} s |`,
    `| --concurrency 2 | ${(two / 1000).toFixed(2)} s |`,
    `| speed-up 2 vs 1 | ${(one / two).toFixed(2)}x |`,
    `| diff phase on a warm pool, --concurrency 1 | ${(warmOne / 1000).toFixed(2)} s |`,
    `| diff phase on a warm pool, --concurrency 2 | ${(warmTwo / 1000).toFixed(2)} s |`,
    `| warm speed-up 2 vs 1 | ${(warmOne / warmTwo).toFixed(2)}x |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main(process.argv.slice(2)));
