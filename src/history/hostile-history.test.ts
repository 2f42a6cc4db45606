import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { BAIT_VERSIONS, HOSTILE_NOTES, baitObjects, poisonIndex, poisonLatest, poisonOlder, publishedKeys } from '../../fixtures/hostile-history.js';
import { runCli } from '../../fixtures/run-cli.js';
import { type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import { StaticServer } from '../../test/browser/static-server.js';
import type { CoverageReport } from '../report/coverage.js';
import type { Manifest } from '../tree/manifest.js';

const ASSETS = ['--dir', 'dist', '--assets', '**/*.{js,css}'];
const QUIET = ['--json', '--quiet', '--concurrency', '1'];

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2));

/** Every file under `dir` with its bytes, by path relative to it; `skip` names a subdirectory left out. */
function snapshot(dir: string, skip?: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (skip && (path === skip || path.startsWith(`${skip}/`))) continue;
    found.set(path, entry.isFile() ? readFileSync(join(dir, path), 'utf8') : entry.isDirectory() ? 'dir' : 'other');
  }
  return found;
}

const patchSources = (report: CoverageReport) => report.assets.flatMap((asset) => asset.patches.filter((patch) => patch.status === 'ok').map((patch) => patch.from));

describe('a hostile deploy history (tree on disk, and the same tree over HTTP)', () => {
  const repo: WebAppRepo = createWebAppRepo();
  const sandbox = makeTempDir('deltawarm-hostile-');
  const tree = join(sandbox, 'tree');
  const releases: string[] = [];
  let outside: Map<string, string>;
  let server: StaticServer;

  beforeAll(async () => {
    for (let n = 1; n <= 3; n++) {
      releases.push(commitDeploy(repo, n));
      await buildDist(repo.dir);
      const deployed = await runCli(['build', ...ASSETS, '--out', tree, ...QUIET], repo.dir);
      expect(deployed.code, deployed.stderr).toBe(0);
    }
    const [r1, r2, r3] = releases as [string, string, string];
    writeJson(join(tree, 'manifest/deploys.json'), poisonIndex(readJson(join(tree, 'manifest/deploys.json'))));
    writeJson(join(tree, `manifest/${r3}.json`), poisonLatest(readJson(join(tree, `manifest/${r3}.json`))));
    writeJson(join(tree, `manifest/${r2}.json`), poisonOlder(readJson(join(tree, `manifest/${r2}.json`))));
    expect(r1).toMatch(/^[0-9a-f]{40}$/);
    for (const [path, body] of Object.entries(baitObjects('tree'))) {
      mkdirSync(dirname(join(sandbox, path)), { recursive: true });
      writeFileSync(join(sandbox, path), body);
    }
    outside = snapshot(sandbox, 'tree');
    releases.push(commitDeploy(repo, 4));
    await buildDist(repo.dir);
    server = await StaticServer.start(sandbox);
  }, 300_000);
  afterAll(async () => server?.close());

  it('over HTTP: every request stays under the history URL, no bait is patched from, and the report says what was skipped', async () => {
    const result = await runCli(['plan', ...ASSETS, '--history', `${server.url}tree/`, ...QUIET], repo.dir);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as CoverageReport;
    expect(server.log.length).toBeGreaterThan(0);
    expect(server.log.filter((request) => !request.path.startsWith('/tree/') || request.path.includes('..'))).toEqual([]);
    expect(patchSources(report).filter((from) => (BAIT_VERSIONS as readonly string[]).includes(from))).toEqual([]);
    for (const note of HOSTILE_NOTES) expect(report.notes.join('\n')).toMatch(note);
  });

  it('on disk: nothing around the tree is read or written, no published key holds "..", and nothing is carried from a hostile entry', async () => {
    const result = await runCli(['build', ...ASSETS, '--out', tree, ...QUIET], repo.dir);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as CoverageReport;
    expect(snapshot(sandbox, 'tree')).toEqual(outside);
    expect(patchSources(report).filter((from) => (BAIT_VERSIONS as readonly string[]).includes(from))).toEqual([]);
    for (const note of HOSTILE_NOTES) expect(report.notes.join('\n')).toMatch(note);

    const latest = readJson(join(tree, 'manifest/latest.json')) as Manifest;
    const index = readJson(join(tree, 'manifest/deploys.json'));
    const keys = [...publishedKeys(latest), ...publishedKeys(index)];
    expect(keys.filter((key) => key.split('/').includes('..') || key.includes('\n') || key.startsWith('/'))).toEqual([]);
    expect([...snapshot(tree).keys()].filter((path) => path.includes('elsewhere') || path.length > 400)).toEqual([]);
    // The hostile carried versions were not carried: the unchanged files get this release.
    expect(latest.assets['assets/chunk.js']?.version).toBe(releases[3]);
    expect(latest.assets['assets/index.css']?.version).toBe(releases[3]);
    // The index keeps the real deploys, drops the hostile ones.
    expect(index.deploys.map((deploy: { release: string }) => deploy.release)).toEqual([...releases].reverse());
  });
});

describe('a hostile deploy history in committed mode', () => {
  it('a version with a line break never reaches git cat-file: every other old version still reads from git', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    const build = (release: string) => runCli(['build', '--assets', 'dist/**', '--out', out, '--release', release, ...QUIET], repo.dir);
    for (const release of ['r1', 'r2', 'r3', 'r4']) expect((await build(repo.sha(release))).code).toBe(0);
    const file = join(out, `manifest/${repo.sha('r4')}.json`);
    const manifest = readJson(file);
    manifest.assets['dist/app.css'].version = `${repo.sha('r1')}\n${repo.sha('r2')}`;
    writeJson(file, manifest);
    const result = await build(repo.sha('r5'));
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as CoverageReport;
    const skipped = report.assets.flatMap((asset) => asset.patches.filter((patch) => patch.status !== 'ok').map((patch) => `${asset.path} ${patch.from}: ${patch.reason}`));
    expect(skipped).toEqual([]);
    expect(report.assets.find((asset) => asset.path === 'dist/app.js')?.patches.map((patch) => patch.from)).toEqual(['r4', 'r3', 'r2', 'r1'].map((name) => repo.sha(name)));
    expect(report.notes.join('\n')).toMatch(new RegExp(`"dist/app.css": its version "${repo.sha('r1')}\\\\n${repo.sha('r2').slice(0, 8)}.* is not a 40-hex commit ID`));
  });
});
