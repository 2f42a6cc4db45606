import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { body, linearSite } from '../../fixtures/histories.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { CoverageReport } from '../report/coverage.js';

const BUILD = ['build', '--assets', 'dist/**', '--json', '--quiet', '--concurrency', '1'];
const windowOf = (report: CoverageReport, path: string) => report.assets.find((asset) => asset.path === path)?.patches.map((patch) => patch.from);

describe('committed mode with a deploy index', () => {
  it('patches only from versions that were deployed; --window commits and a tree without an index keep the commit windows', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    for (const release of ['r1', 'r3']) expect((await runCli([...BUILD, '--out', out, '--release', repo.sha(release)], repo.dir)).code).toBe(0);
    const deployed = JSON.parse((await runCli([...BUILD, '--out', out], repo.dir)).stdout) as CoverageReport;
    expect(windowOf(deployed, 'dist/app.js')).toEqual([repo.sha('r3'), repo.sha('r1')]);
    // The index, this release's own manifest (stored would make it a redeploy), two manifests and the head; the old bytes come from git.
    expect(deployed.history?.requests).toBe(5);

    const commits = JSON.parse((await runCli([...BUILD, '--out', join(makeTempDir(), 'tree'), '--history', out, '--window', 'commits'], repo.dir)).stdout) as CoverageReport;
    expect(windowOf(commits, 'dist/app.js')).toEqual([repo.sha('r4'), repo.sha('r3'), repo.sha('r2'), repo.sha('r1')]);
    const fresh = JSON.parse((await runCli([...BUILD, '--out', join(makeTempDir(), 'tree')], repo.dir)).stdout) as CoverageReport;
    expect(windowOf(fresh, 'dist/app.js')).toEqual(windowOf(commits, 'dist/app.js'));
  });

  it('--window deployed without a deploy index is a usage error', async () => {
    const repo = buildRepo(linearSite);
    const result = await runCli(['plan', '--assets', 'dist/**', '--window', 'deployed', '--quiet'], repo.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--window deployed needs a history source with a deploy index/);
  });
});

describe('committed mode says what is wrong', () => {
  it('globs that match only git-ignored build output name the cause and --dir', async () => {
    const repo = buildRepo([{ message: 'app', files: { '.gitignore': 'dist/\n', 'src/app.js': 'x\n' } }]);
    mkdirSync(join(repo.dir, 'dist/assets'), { recursive: true });
    writeFileSync(join(repo.dir, 'dist/assets/index-AB12cd34.js'), 'built\n');
    const result = await runCli(['plan', '--assets', 'dist/**/*.js', '--quiet'], repo.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no file at [0-9a-f]{12} matches --assets dist\/\*\*\/\*\.js, but 1 file\(s\) that git ignores do, e\.g\. dist\/assets\/index-AB12cd34\.js: .*--dir dist/);
  });

  it('content-hashed names in committed mode get a warning naming built mode', async () => {
    const repo = buildRepo([
      { message: 'h1', files: { 'dist/assets/index-AB12cd34.js': body('a') } },
      { message: 'h2', files: { 'dist/assets/index-AB12cd34.js': null, 'dist/assets/index-Zx98Yw76.js': body('a') + 'x;\n' } },
    ]);
    const result = await runCli(['plan', '--assets', 'dist/**', '--json', '--quiet'], repo.dir);
    const report = JSON.parse(result.stdout) as CoverageReport;
    expect(report.notes).toEqual([expect.stringMatching(/1 asset\(s\) look content-hashed \(e\.g\. dist\/assets\/index-Zx98Yw76\.js\).*--dir DIR/)]);
  });
});
