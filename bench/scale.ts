/**
 * 10,000 assets: synthetic repositories of 1,000, 3,000 and 10,000 minified JS assets x 10
 * versions (0.5-4 kB each; asset i is the same file in each), and `deltawarm plan` on each as a
 * process: wall time, time per asset, CPU and peak RSS. Then, on the 10,000-asset repository
 * with --versions 5, `build` (60,002 files) against `plan`, alternating, medians.
 * Run alone: npm run build && node --import tsx bench/scale.ts [--sizes=1000,3000,10000] [--runs=2]
 * (--repo=DIR: only build against plan, on a 10,000-asset repository this made before)
 */
import { join } from 'node:path';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { median } from '../src/report/coverage.js';
import { type ProcessRun, runCliProcess } from './cli-process.js';
import { makeSyntheticRepo } from './synthetic-repo.js';

const option = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const SHAPE = { versions: 10, minSize: 500, maxSize: 4_000 };

function log(line: string): void {
  process.stderr.write(`scale: ${line}\n`);
}

async function planRows(sizes: number[]): Promise<{ rows: string[]; repos: Map<number, string> }> {
  const repos = new Map<number, string>();
  const runs: Array<[number, ProcessRun]> = [];
  for (const assets of sizes) {
    const repo = await makeSyntheticRepo({ assets, ...SHAPE });
    repos.set(assets, repo);
    const run = await runCliProcess(['plan', '--repo', repo, '--assets', 'dist/**', '--quiet']);
    log(`plan ${assets} assets: ${seconds(run.wallMs)}, ${run.peakRssMb.toFixed(0)} MB`);
    runs.push([assets, run]);
  }
  const [, first] = runs[0] as [number, ProcessRun];
  const firstPerAsset = first.wallMs / (sizes[0] as number);
  const rows = runs.map(([assets, run]) => {
    const perAsset = run.wallMs / assets;
    return `| ${assets} | ${assets * 9} | ${seconds(run.wallMs)} | ${perAsset.toFixed(2)} ms | ${(perAsset / firstPerAsset).toFixed(2)}x | ${seconds(run.cpuMs)} | ${run.peakRssMb.toFixed(0)} MB |`;
  });
  return { rows, repos };
}

async function buildAgainstPlan(repo: string, runs: number): Promise<string[]> {
  const times: Record<'plan' | 'build', ProcessRun[]> = { plan: [], build: [] };
  const common = ['--repo', repo, '--assets', 'dist/**', '--versions', '5', '--quiet'];
  for (let i = 0; i < runs; i++) {
    times.plan.push(await runCliProcess(['plan', ...common]));
    times.build.push(await runCliProcess(['build', ...common, '--out', join(makeTempDir('deltawarm-bench-out-'), 'tree')]));
    log(`run ${i + 1}: plan ${seconds(times.plan.at(-1)!.wallMs)}, build ${seconds(times.build.at(-1)!.wallMs)}`);
  }
  const wall = (command: 'plan' | 'build') => median(times[command].map((t) => t.wallMs));
  const cpu = (command: 'plan' | 'build') => median(times[command].map((t) => t.cpuMs));
  const row = (command: 'plan' | 'build', label: string) => `| ${label} | ${seconds(wall(command))} | ${seconds(cpu(command))} | ${median(times[command].map((t) => t.peakRssMb)).toFixed(0)} MB |`;
  return [
    `| 10,000 assets, --versions 5 (50,000 pairs), median of ${runs} | wall | CPU (all threads) | peak RSS |`,
    '| --- | ---: | ---: | ---: |',
    row('plan', 'plan'),
    row('build', 'build (writes 60,002 files)'),
    `| build / plan | ${(wall('build') / wall('plan')).toFixed(2)}x | ${(cpu('build') / cpu('plan')).toFixed(2)}x | |`,
  ];
}

export async function main(args: string[] = []): Promise<string> {
  const sizes = (option(args, 'sizes') ?? '1000,3000,10000').split(',').map(Number);
  const runs = Number(option(args, 'runs') ?? 2);
  const given = option(args, 'repo');
  if (given) return (await buildAgainstPlan(given, runs)).join('\n');
  const { rows, repos } = await planRows(sizes);
  const largest = repos.get(Math.max(...sizes)) as string;
  return [
    '| assets (x 10 versions) | pairs | plan, wall | per asset | per asset vs smallest | CPU (all threads) | peak RSS |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...(await buildAgainstPlan(largest, runs)),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main(process.argv.slice(2)));
