/**
 * All cores: `deltawarm build` of a synthetic repository of 300 minified JS assets x 10
 * versions (2,700 pairs, 4-120 kB per asset), as a process, at --concurrency 1 and 2. Runs
 * alternate between the settings so that machine noise hits both alike; medians of wall and
 * CPU time, and their ratios.
 * Run alone: npm run build && node --import tsx bench/all-cores.ts [--runs=3] [--assets=300]
 */
import { join } from 'node:path';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { median } from '../src/report/coverage.js';
import { type ProcessRun, runCliProcess } from './cli-process.js';
import { makeSyntheticRepo } from './synthetic-repo.js';

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

function build(repo: string, concurrency: number): Promise<ProcessRun> {
  const out = join(makeTempDir('deltawarm-bench-out-'), 'tree');
  return runCliProcess(['build', '--repo', repo, '--assets', 'dist/**', '--out', out, '--concurrency', String(concurrency), '--quiet']);
}

export async function main(args: string[] = []): Promise<string> {
  const runs = arg(args, 'runs', 3);
  const assets = arg(args, 'assets', 300);
  const repo = await makeSyntheticRepo({ assets, versions: 10, minSize: 4_000, maxSize: 120_000 });
  const times: Record<1 | 2, ProcessRun[]> = { 1: [], 2: [] };
  for (let i = 0; i < runs; i++) {
    for (const c of [1, 2] as const) {
      times[c].push(await build(repo, c));
      process.stderr.write(`all-cores: run ${i + 1}, --concurrency ${c}: ${(times[c].at(-1)!.wallMs / 1000).toFixed(2)} s\n`);
    }
  }
  const wall = (c: 1 | 2) => median(times[c].map((t) => t.wallMs));
  const cpu = (c: 1 | 2) => median(times[c].map((t) => t.cpuMs));
  const row = (c: 1 | 2) => `| ${c} | ${(wall(c) / 1000).toFixed(2)} s | ${(cpu(c) / 1000).toFixed(2)} s | ${median(times[c].map((t) => t.peakRssMb)).toFixed(0)} MB |`;
  return [
    `| build, ${assets} assets x 10 versions (${assets * 9} pairs), median of ${runs} | wall | CPU (all threads) | peak RSS |`,
    '| --- | ---: | ---: | ---: |',
    row(1),
    row(2),
    `| 2 vs 1 | ${(wall(1) / wall(2)).toFixed(2)}x faster | ${(cpu(2) / cpu(1)).toFixed(2)}x the CPU | |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main(process.argv.slice(2)));
