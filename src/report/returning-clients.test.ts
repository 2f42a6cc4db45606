import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { type Step, buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { body } from '../../fixtures/histories.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { AssetReport, CoverageReport } from './coverage.js';
import { clientDownload } from './returning-clients.js';

/**
 * Committed mode without a deploy index: a side branch changes b.js while main changes a.js,
 * a commit changes no asset, a merge brings the branch in; the release changes a.js again.
 */
const steps: Step[] = [
  { message: 'c1', files: { 'dist/a.js': body('a') + 'let a = 1;\n', 'dist/b.js': body('b') + 'let b = 1;\n' } },
  { message: 'c2', files: { 'dist/a.js': body('a') + 'let a = 2;\n' } },
  { branch: 'side' },
  { message: 'c3', files: { 'dist/b.js': body('b') + 'let b = 3;\n' } },
  { checkout: 'main' },
  { message: 'c4', files: { 'README.md': 'no asset here\n' } },
  { message: 'c5', files: { 'dist/a.js': body('a') + 'let a = 5;\n', 'dist/c.js': body('c') + 'let c = 5;\n' } },
  { merge: 'side', message: 'm6' },
  { message: 'c7', files: { 'dist/a.js': body('a') + 'let a = 7;\n' } },
];

async function plan(dir: string, versions: number): Promise<CoverageReport> {
  const run = await runCli(['plan', '--assets', 'dist/**', '--versions', String(versions), '--json', '--quiet', '--concurrency', '1'], dir);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as CoverageReport;
}

describe('returning clients in committed mode (commits behind)', () => {
  const repo = buildRepo(steps);
  /** SPEC §1.1: the version of PATH at commit C, or undefined when C does not hold it. */
  const versionAt = (commit: string, path: string) => repo.git('log', '-1', '--format=%H', commit, '--', path).trim() || undefined;
  let full: CoverageReport;
  beforeAll(async () => {
    full = await plan(repo.dir, 10);
  }, 60_000);

  it('a client per commit that changed an asset, holding the versions git log gives at that commit; the release state is not a client', async () => {
    const report = full;
    expect(report.behind).toBe('commits');
    // The commits that changed an asset are c7 (the release's own state), c5, c3 (on the side branch), c2, c1; c4 and m6 changed none.
    expect(report.clients.map((client) => client.at)).toEqual(['c5', 'c3', 'c2', 'c1'].map(repo.sha));
    for (const [i, client] of report.clients.entries()) {
      for (const asset of report.assets) {
        const held = versionAt(client.at, asset.path);
        const download = clientDownload(asset, i);
        if (held === asset.version) expect(download.action, `${asset.path} at ${client.at}`).toBe('unchanged');
        else if (held === undefined) expect(download.action).toBe('new');
        else expect(asset.patches[(asset.held?.[i] ?? 0) - 1]?.from, `${asset.path} at ${client.at}`).toBe(held);
      }
    }
  });

  it('the client on the side branch holds its own b.js and the a.js of main before the branch', async () => {
    const report = full;
    const onSide = report.clients[1]!;
    const held = (path: string) => {
      const asset = report.assets.find((a) => a.path === path)!;
      return asset.held![1] === 0 ? asset.version : asset.patches[asset.held![1]! - 1]?.from;
    };
    expect([held('dist/a.js'), held('dist/b.js'), report.assets.find((a) => a.path === 'dist/c.js')!.held![1]]).toEqual([repo.sha('c2'), repo.sha('c3'), -1]);
    expect(onSide).toMatchObject({ assets: { unchanged: 1, patch: 1, full: 0, new: 1 } });
  });

  it('sums what each client downloads: nothing for the same version, the patch, the full file where none covers or the asset is new', async () => {
    const report = full;
    const byPath = Object.fromEntries(report.assets.map((asset) => [asset.path, asset])) as Record<string, AssetReport>;
    const patch = (path: string, commit: string) => byPath[path]!.patches.find((p) => p.from === repo.sha(commit))!;
    // A CDN sends a small body whole when compression would make it larger.
    const gzip = (path: string, commit: string) => Math.min(patch(path, commit).bytes!, patch(path, commit).gzipBytes!);
    const brotli = (path: string, commit: string) => Math.min(patch(path, commit).bytes!, patch(path, commit).brotliBytes!);
    // The client at c5 holds a@c5, b@c1, c@c5; the release has a@c7, b@c3 (merged), c@c5.
    const [atC5, , , atC1] = report.clients;
    expect(atC5).toMatchObject({ assets: { unchanged: 1, patch: 2, full: 0, new: 0 }, covered: 1 });
    expect(atC5!.gzipBytes).toBe(gzip('dist/a.js', 'c5') + gzip('dist/b.js', 'c1'));
    expect(atC5!.httpGzipBytes).toBe(byPath['dist/a.js']!.gzipBytes + byPath['dist/b.js']!.gzipBytes);
    expect(atC5!.shareOfHttp).toBeCloseTo(atC5!.gzipBytes / atC5!.httpGzipBytes, 10);
    expect(atC1).toMatchObject({ assets: { unchanged: 0, patch: 2, full: 0, new: 1 } });
    expect(atC1!.gzipBytes).toBe(gzip('dist/a.js', 'c1') + gzip('dist/b.js', 'c1') + byPath['dist/c.js']!.gzipBytes);
    expect(atC1!.brotliBytes).toBe(brotli('dist/a.js', 'c1') + brotli('dist/b.js', 'c1') + byPath['dist/c.js']!.brotliBytes);
  });

  it('--versions 1: one client, the latest commit before the release state, patched from the one older version', async () => {
    const report = await plan(repo.dir, 1);
    expect(report.clients.map((client) => client.at)).toEqual([repo.sha('c5')]);
    const a = report.assets.find((asset) => asset.path === 'dist/a.js')!;
    expect(a.patches.map((patch) => patch.from)).toEqual([repo.sha('c5')]);
    expect(clientDownload(a, 0).action).toBe('patch');
    const b = report.assets.find((asset) => asset.path === 'dist/b.js')!;
    expect(b.held).toEqual([1]);
  });

  it('a first commit: no client, and the report says patches start with the next commit that changes an asset', async () => {
    const first = buildRepo(steps.slice(0, 1));
    const run = await runCli(['plan', '--assets', 'dist/**', '--quiet', '--concurrency', '1'], first.dir);
    const text = run.stdout.replace(/\n +/g, ' '); // wrapped lines joined
    expect(text).toMatch(/Returning clients: none yet: no earlier commit changing an asset; patches start with the next commit that changes an asset/);
    expect(text).toMatch(/coverage +no older version yet: patches start with the next commit that changes an asset/);
    expect(text).not.toMatch(/%/);
  });

  it('with a deploy index, a client per deploy (deploys behind) holding what its manifest lists', async () => {
    const out = join(makeTempDir(), 'tree');
    const build = async (release: string) => {
      const run = await runCli(['build', '--assets', 'dist/**', '--release', repo.sha(release), '--out', out, '--json', '--quiet', '--concurrency', '1'], repo.dir);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as CoverageReport;
    };
    await build('c2');
    await build('c5');
    const report = await build('c7');
    expect(report.behind).toBe('deploys');
    expect(report.clients.map((client) => client.at)).toEqual([repo.sha('c5'), repo.sha('c2')]);
    const actions = (path: string) => [0, 1].map((i) => clientDownload(report.assets.find((asset) => asset.path === path)!, i).action);
    // a.js changed at c7; b.js was c1 in both deploys and is c3 (merged) now; c.js came with c5.
    expect([actions('dist/a.js'), actions('dist/b.js'), actions('dist/c.js')]).toEqual([['patch', 'patch'], ['patch', 'patch'], ['unchanged', 'new']]);
  });
});
