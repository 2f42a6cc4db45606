/**
 * Sharding on the real jQuery history (12 releases, 4 assets, --versions 11): one `build`
 * against four `build --shard K/4` plus `finish --shards 4`, as processes. Checks that the
 * sharded tree is byte-identical to the one build's (shard results aside) and reports medians
 * of wall times: the one build, each shard (on a CI matrix they run at the same time), finish.
 * Run alone: node --import tsx bench/shard-build.ts [--runs=3]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { median } from '../src/report/coverage.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAKE_REPO = join(ROOT, '../shared/data/make-repo.sh');
const SHARDS = 4;

function timeCli(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'bin/deltawarm.js'), ...args, '--assets', 'dist/**', '--versions', '11', '--quiet'], { stdio: 'ignore' });
  return performance.now() - started;
}

function files(dir: string, under = dir): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(under, { withFileTypes: true })) {
    const path = join(under, entry.name);
    if (entry.isDirectory()) for (const [key, body] of files(dir, path)) found.set(key, body);
    else found.set(relative(dir, path), readFileSync(path).toString('base64'));
  }
  return found;
}

function sameTree(whole: string, sharded: string): boolean {
  const a = files(whole);
  const b = new Map([...files(sharded)].filter(([key]) => !key.startsWith('shard/')));
  return a.size === b.size && [...a].every(([key, body]) => b.get(key) === body);
}

export async function main(args: string[] = []): Promise<string> {
  if (!existsSync(MAKE_REPO)) throw new Error(`no data set at ${MAKE_REPO}: the benchmark needs ../shared/data next to the repository`);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
  const repo = join(makeTempDir('deltawarm-bench-jquery-'), 'jquery-history');
  execFileSync('bash', [MAKE_REPO, 'jquery-dist', repo], { stdio: 'ignore' });
  const times = { whole: [] as number[], shards: Array.from({ length: SHARDS }, () => [] as number[]), finish: [] as number[] };
  let identical = true;
  let assetsPerShard: number[] = [];
  for (let run = 0; run < runs; run++) {
    const whole = join(makeTempDir('deltawarm-bench-whole-'), 'tree');
    const sharded = join(makeTempDir('deltawarm-bench-sharded-'), 'tree');
    times.whole.push(timeCli(['build', '--repo', repo, '--out', whole]));
    for (let k = 1; k <= SHARDS; k++) times.shards[k - 1]?.push(timeCli(['build', '--repo', repo, '--out', sharded, '--shard', `${k}/${SHARDS}`]));
    times.finish.push(timeCli(['finish', '--repo', repo, '--out', sharded, '--shards', String(SHARDS)]));
    identical &&= sameTree(whole, sharded);
    const release = readdirSync(join(sharded, 'shard'))[0] as string;
    assetsPerShard = Array.from({ length: SHARDS }, (_, i) => Object.keys(JSON.parse(readFileSync(join(sharded, 'shard', release, `${i + 1}-of-${SHARDS}.json`), 'utf8')).assets).length);
  }
  const shardMedians = times.shards.map(median);
  const row = (name: string, value: number) => `| ${name} | ${value.toFixed(0)} ms |`;
  return [
    `jQuery history, 4 assets x 11 older versions; ${runs} runs; assets per shard: ${assetsPerShard.join(', ')}.`,
    `Sharded tree byte-identical to one build (shard results aside): **${identical ? 'yes' : 'NO'}**.`,
    '',
    '| process | median wall |',
    '| --- | ---: |',
    row('one `build`', median(times.whole)),
    ...shardMedians.map((value, i) => row(`\`build --shard ${i + 1}/${SHARDS}\``, value)),
    row('`finish --shards 4`', median(times.finish)),
    row('matrix wall (slowest shard + finish)', Math.max(...shardMedians) + median(times.finish)),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await main(process.argv.slice(2)));
