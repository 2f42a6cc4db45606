/**
 * History at scale: a synthetic repository with thousands of commits and assets, built with
 * `git fast-import`. Times readHistory (a handful of git processes for everything) against the
 * naive baseline of one `git log -- PATH` per asset, on a sample, in the same process.
 * Run alone: node --import tsx bench/history-scale.ts [--commits=3000] [--assets=2000]
 */
import { execFileSync } from 'node:child_process';
import { makeTempDir, runGit } from '../fixtures/git-fixture.js';
import { readHistory } from '../src/git/history.js';
import { openRepository } from '../src/git/repository.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

/** Each commit edits 3 random assets; every 50th commit merges a two-commit side branch. */
function fastImportScript(commits: number, assets: number): string {
  let seed = 42;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const out: string[] = [];
  let mark = 0;
  const commit = (branch: string, message: string, paths: number[], from?: number, merge?: number) => {
    mark++;
    out.push(`commit refs/heads/${branch}`, `mark :${mark}`, `committer Bench <bench@example.com> ${1767225600 + mark * 60} +0000`, `data ${message.length}`, message);
    if (from) out.push(`from :${from}`);
    if (merge) out.push(`merge :${merge}`);
    for (const p of paths) {
      const content = `// asset ${p} at ${mark}\n`;
      out.push(`M 100644 inline dist/chunk-${p}.js`, `data ${Buffer.byteLength(content)}`, content);
    }
    return mark;
  };
  let head = commit('main', 'init', Array.from({ length: assets }, (_, i) => i));
  for (let i = 1; i < commits; i++) {
    if (i % 50 === 0) {
      const side1 = commit('side', `side ${i}a`, [random(assets)], head);
      const side2 = commit('side', `side ${i}b`, [random(assets)], side1);
      head = commit('main', `merge ${i}`, [], head, side2);
    } else {
      head = commit('main', `c${i}`, [random(assets), random(assets), random(assets)], head);
    }
  }
  return out.join('\n') + '\n';
}

export async function main(args: string[] = []): Promise<string> {
  const commits = arg('commits', 3000);
  const assets = arg('assets', 2000);
  void args;
  const dir = makeTempDir('deltawarm-bench-history-');
  runGit(dir, ['init', '-q', '-b', 'main']);
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: fastImportScript(commits, assets), maxBuffer: 1 << 30 });
  const repo = await openRepository(dir);
  const started = performance.now();
  const history = await readHistory(repo, { release: 'main', assets: ['dist/**'], versions: 10, deepen: false });
  const oursMs = performance.now() - started;
  const sample = history.windows.slice(0, 50);
  const naiveStarted = performance.now();
  for (const window of sample) runGit(dir, ['log', '--format=%H', '-n', '11', 'main', '--', window.path]);
  const naivePerAsset = (performance.now() - naiveStarted) / sample.length;
  const oursPerAsset = oursMs / history.windows.length;
  return [
    `| repository | readHistory (all assets) | per asset | naive git log per asset (sample of ${sample.length}) | speed-up per asset |`,
    '| --- | ---: | ---: | ---: | ---: |',
    `| ${commits} commits, ${history.windows.length} assets | ${oursMs.toFixed(0)} ms | ${oursPerAsset.toFixed(2)} ms | ${naivePerAsset.toFixed(1)} ms | ${(naivePerAsset / oursPerAsset).toFixed(0)}x |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main(process.argv.slice(2)));
