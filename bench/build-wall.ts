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
import { median } from '../src/report/coverage.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAKE_REPO = join(ROOT, '../shared/data/make-repo.sh');

function timeBuild(repo: string, concurrency: number): number {
  const out = join(makeTempDir('deltawarm-bench-out-'), 'tree');
  const started = performance.now();
  execFileSync('node', [join(ROOT, 'bin/deltawarm.js'), 'build', '--repo', repo, '--assets', 'dist/**', '--versions', '11', '--out', out, '--concurrency', String(concurrency), '--quiet'], { stdio: 'ignore' });
  return performance.now() - started;
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
  return [
    `| build of jquery-dist (44 pairs), median of ${runs} | wall |`,
    '| --- | ---: |',
    `| --concurrency 1 | ${(one / 1000).toFixed(2)} s |`,
    `| --concurrency 2 | ${(two / 1000).toFixed(2)} s |`,
    `| speed-up 2 vs 1 | ${(one / two).toFixed(2)}x |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main(process.argv.slice(2)));
