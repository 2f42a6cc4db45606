import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, makeTempDir, runGit, shallowClone } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import { DEPLOY_COUNT, type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import { StaticServer } from '../../test/browser/static-server.js';
import { freePort } from '../../test/storage/support/free-port.js';
import type { CoverageReport } from '../report/coverage.js';
import { applyEncodedPatch } from '../patch/verify.js';
import { decodeText } from '../text/decode.js';
import type { DeployIndex } from '../history/deploy-index.js';
import type { Manifest } from '../tree/manifest.js';

const ASSETS = ['--dir', 'dist', '--assets', '**/*.{js,css}'];
const QUIET = ['--json', '--quiet', '--concurrency', '1'];

interface Deployed {
  code: number;
  stderr: string;
  report: CoverageReport;
}

/** Builds dist/ from the working tree and deploys it to the tree at `out` (its own history). */
async function deploy(repo: WebAppRepo, out: string, extra: string[] = []): Promise<Deployed> {
  await buildDist(repo.dir);
  const result = await runCli(['build', ...ASSETS, '--out', out, ...QUIET, ...extra], repo.dir);
  return { code: result.code, stderr: result.stderr, report: result.code === 0 ? (JSON.parse(result.stdout) as CoverageReport) : ({} as CoverageReport) };
}

function copyTree(tree: string): string {
  const copy = join(makeTempDir(), 'tree');
  cpSync(tree, copy, { recursive: true });
  return copy;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const latest = (out: string) => readJson<Manifest>(join(out, 'manifest/latest.json'));
const deploysIn = (out: string) => readJson<DeployIndex>(join(out, 'manifest/deploys.json')).deploys.map((deploy) => deploy.release);

/** Bytes a client holding `before` downloads to reach `after`: nothing for a kept version, else the patch or the full file. */
function downloadBytes(before: Manifest, after: Manifest): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const [name, asset] of Object.entries(after.assets)) {
    const held = before.assets[name]?.version;
    bytes[name] = held === asset.version ? 0 : held && asset.patches[held] ? (asset.patches[held]?.size ?? 0) : asset.size;
  }
  return bytes;
}

describe('built mode, ten deploys of a real bundled app to a tree on disk', () => {
  const repo = createWebAppRepo();
  const out = join(makeTempDir(), 'tree');
  const releases: string[] = [];
  const reports: CoverageReport[] = [];
  const manifests: Manifest[] = [];

  beforeAll(async () => {
    for (let n = 1; n <= DEPLOY_COUNT; n++) {
      releases.push(commitDeploy(repo, n));
      const result = await deploy(repo, out);
      expect(result.code, result.stderr).toBe(0);
      reports.push(result.report);
      manifests.push(latest(out));
    }
  }, 300_000);

  it('first deploy: full files only under logical names with their built url, and the report says patches start next time', () => {
    const [first] = manifests as [Manifest];
    expect(first.mode).toBe('built');
    expect(Object.keys(first.assets)).toEqual(['assets/chunk.js', 'assets/index.css', 'assets/index.js', 'assets/settings.js']);
    for (const [name, asset] of Object.entries(first.assets)) {
      expect(asset.url).toMatch(new RegExp(`^${name.replace('.', '-[A-Z0-9]{8}\\.')}$`));
      expect(asset).toMatchObject({ version: releases[0], full: `full/${releases[0]}/${name}`, patches: {} });
    }
    expect(reports[0]?.notes.join('\n')).toMatch(/first deploy .*full files only; patches start with the next deploy/);
  });

  it('an unchanged file keeps its version, so a returning client downloads nothing for it; a changed one gets the release', () => {
    for (let n = 1; n < DEPLOY_COUNT; n++) {
      const [before, after] = [manifests[n - 1] as Manifest, manifests[n] as Manifest];
      const cost = downloadBytes(before, after);
      for (const [name, asset] of Object.entries(after.assets)) {
        const same = before.assets[name]?.integrity === asset.integrity;
        expect(asset.version, `${name} at deploy ${n + 1}`).toBe(same ? before.assets[name]?.version : releases[n]);
        if (same) expect(cost[name]).toBe(0);
        else expect(cost[name]).toBe(asset.patches[before.assets[name]?.version ?? '']?.size);
      }
    }
    expect(Object.values(downloadBytes(manifests[3] as Manifest, manifests[4] as Manifest))).toEqual([0, 0, 0, 0]);
    expect(existsSync(join(out, 'full', releases[4] as string))).toBe(false);
  });

  it('windows are the distinct versions of the last deploys, every patch verified against the published old file, coverage 100 %', () => {
    for (const [n, report] of reports.entries()) {
      expect(report.totals.coverage, `deploy ${n + 1}`).toBe(1);
      const manifest = manifests[n] as Manifest;
      for (const [name, asset] of Object.entries(manifest.assets)) {
        const older = new Set(manifests.slice(0, n).map((m) => m.assets[name]?.version).filter((v) => v && v !== asset.version));
        expect(new Set(Object.keys(asset.patches)), `${name} at deploy ${n + 1}`).toEqual(older);
        const newText = decodeText(readFileSync(join(out, asset.full))) as string;
        for (const [from, patch] of Object.entries(asset.patches)) {
          const oldText = decodeText(readFileSync(join(out, 'full', from, name))) as string;
          const expectation = { fromIntegrity: patch.fromIntegrity as string, toIntegrity: asset.integrity, toLength: newText.length };
          expect(applyEncodedPatch(manifest.patchFormat, readFileSync(join(out, patch.key), 'utf8'), oldText, expectation)).toBe(newText);
        }
      }
    }
  });

  it('the deploy index lists every deploy newest first; reading history is one index read, one head read, one read of the release manifest itself (a stored one is a redeploy), one per manifest, one per old file', () => {
    expect(deploysIn(out)).toEqual([...releases].reverse());
    for (const report of reports.slice(1)) {
      expect(report.history?.requests).toBe(3 + (report.history?.deploysRead ?? 0) + report.totals.oldVersions);
    }
  });

  it('per returning client, the report counts what the tree serves it: nothing for a version it holds, the patch from it, else the full file', () => {
    const wire = (file: string) => {
      const body = readFileSync(join(out, file));
      return Math.min(body.length, gzipSync(body, { level: 6 }).length);
    };
    for (let n = 1; n < DEPLOY_COUNT; n++) {
      const report = reports[n] as CoverageReport;
      expect(report.clients.map((client) => client.at)).toEqual(releases.slice(0, n).reverse());
      for (const client of report.clients) {
        const [before, after] = [manifests[n - client.behind] as Manifest, manifests[n] as Manifest];
        const expected = { assets: { unchanged: 0, patch: 0, full: 0, new: 0 }, gzipBytes: 0, httpGzipBytes: 0 };
        for (const [name, asset] of Object.entries(after.assets)) {
          const held = before.assets[name]?.version;
          if (held === asset.version) {
            expected.assets.unchanged++;
            continue;
          }
          const patch = held === undefined ? undefined : asset.patches[held];
          expected.assets[patch ? 'patch' : held ? 'full' : 'new']++;
          expected.gzipBytes += wire(patch ? patch.key : asset.full);
          expected.httpGzipBytes += wire(asset.full);
        }
        expect(client, `deploy ${n + 1}, ${client.behind} behind`).toMatchObject(expected);
      }
    }
    // Deploy 5 changed no built file: its clients download nothing, and deploy 6's clients of 4 and 5 the same.
    expect(reports[4]?.clients[0]).toMatchObject({ gzipBytes: 0, httpGzipBytes: 0, assets: { patch: 0, full: 0, new: 0 } });
    expect(reports[5]?.clients[0]?.gzipBytes).toBe(reports[5]?.clients[1]?.gzipBytes);
  });

  it('a rollback to an earlier deploy rebuilds its tree byte for byte and puts it at the front of the index; a re-run changes nothing', async () => {
    const third = releases[2] as string;
    runGit(repo.dir, ['checkout', '-q', third]);
    try {
      const rollback = await deploy(repo, out);
      expect(rollback.code, rollback.stderr).toBe(0);
      expect(rollback.report.notes.join('\n')).toMatch(/deployed before/);
      expect(latest(out)).toEqual(manifests[2]);
      expect(deploysIn(out)).toEqual([third, ...[...releases].reverse().filter((r) => r !== third)]);
      const again = await runCli(['build', ...ASSETS, '--out', out, '--concurrency', '1'], repo.dir);
      expect(again.stdout).toMatch(/wrote 0 files/);
    } finally {
      runGit(repo.dir, ['checkout', '-q', 'main']);
    }
  });
});

describe('built mode, history sources and failures', () => {
  let repo: WebAppRepo;
  let out: string;
  let releases: string[];
  let server: StaticServer;

  beforeAll(async () => {
    repo = createWebAppRepo();
    out = join(makeTempDir(), 'tree');
    releases = [];
    for (let n = 1; n <= 3; n++) {
      releases.push(commitDeploy(repo, n));
      expect((await deploy(repo, out)).code).toBe(0);
    }
    server = await StaticServer.start(out);
  }, 120_000);
  afterAll(async () => server?.close());

  it('--history URL: one GET of the index, one per manifest, one per old full file, never a probe', async () => {
    commitDeploy(repo, 4);
    await buildDist(repo.dir);
    server.log.length = 0;
    const plan = await runCli(['plan', ...ASSETS, '--history', server.url, ...QUIET], repo.dir);
    expect(plan.code, plan.stderr).toBe(0);
    const report = JSON.parse(plan.stdout) as CoverageReport;
    const paths = server.log.map((request) => request.path);
    expect(paths.filter((p) => p.endsWith('/manifest/deploys.json'))).toHaveLength(1);
    // The three deploys' manifests, and this release's own (not stored: not a redeploy).
    expect(paths.filter((p) => /\/manifest\/[0-9a-f]{40}\.json$/.test(p))).toHaveLength(4);
    expect(paths.filter((p) => p.includes('/full/'))).toHaveLength(report.totals.oldVersions);
    expect(report.history?.requests).toBe(paths.length);
    expect(server.log.filter((request) => request.status !== 200).map((request) => request.path)).toEqual([expect.stringMatching(/\/manifest\/[0-9a-f]{40}\.json$/)]);
    expect(report.totals.coverage).toBe(1);
    runGit(repo.dir, ['reset', '-q', '--hard', 'HEAD~1']);
  });

  it('an old full file with other bytes, or missing, is skipped with the reason; never patched from', async () => {
    const tree = copyTree(out);
    const entry = latest(tree).assets['assets/index.js'];
    const settings = latest(tree).assets['assets/settings.js'];
    writeFileSync(join(tree, entry?.full as string), 'console.log("not what was published")');
    rmSync(join(tree, settings?.full as string));
    commitDeploy(repo, 4);
    try {
      const result = await deploy(repo, tree);
      expect(result.code, result.stderr).toBe(0);
      const skipped = result.report.assets.flatMap((asset) => asset.patches.filter((p) => p.status === 'skipped').map((p) => `${asset.path} ${p.from}: ${p.reason}`));
      expect(skipped).toContain(`assets/index.js ${entry?.version}: ${entry?.full} in ${tree} does not match the integrity its manifest recorded`);
      expect(skipped).toContain(`assets/settings.js ${settings?.version}: ${settings?.full} is missing from ${tree}`);
      expect(latest(tree).assets['assets/index.js']?.patches[entry?.version as string]).toBeUndefined();
    } finally {
      runGit(repo.dir, ['reset', '-q', '--hard', 'HEAD~1']);
    }
  });

  it('a history source that cannot be read is exit 2 naming it, and nothing is written', async () => {
    const fresh = join(makeTempDir(), 'tree');
    const missingDir = await runCli(['build', ...ASSETS, '--out', fresh, '--history', join(out, 'nope'), '--quiet'], repo.dir);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toMatch(/^deltawarm: the deploy history .*nope is not a directory \(check --history\)\n$/);
    const closed = `http://127.0.0.1:${await freePort()}/static/`;
    const refused = await runCli(['build', ...ASSETS, '--out', fresh, '--history', closed, '--quiet'], repo.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`deltawarm: cannot read the deploy history at ${closed}: reading manifest/deploys.json: ECONNREFUSED after 3 attempts (check --history, or --request-timeout, --attempts, --network-deadline)\n`);
    await server.setMode('error500');
    try {
      const failing = await runCli(['plan', ...ASSETS, '--history', server.url, '--quiet'], repo.dir);
      expect(failing.code).toBe(2);
      expect(failing.stderr).toMatch(/reading manifest\/deploys\.json: HTTP 500 after 3 attempts/);
    } finally {
      await server.reset();
    }
    const noIndex = await runCli(['plan', ...ASSETS, '--history', `${server.url}elsewhere/`, '--quiet'], repo.dir);
    expect(noIndex.stderr).toMatch(/no deploy index at .*elsewhere\/manifest\/deploys\.json \(check --history; a first deploy needs no --history\)/);
    expect(existsSync(fresh)).toBe(false);
  });

  it('two built files with one logical name, and a symlink leading out of --dir, are usage errors naming them', async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets/app-AAAA1111.js'), 'a');
    writeFileSync(join(dir, 'assets/app-BBBB2222.js'), 'b');
    const collision = await runCli(['plan', '--dir', dir, '--assets', '**/*.js', '--quiet'], repo.dir);
    expect(collision.code).toBe(2);
    expect(collision.stderr).toMatch(/assets\/app-AAAA1111\.js and assets\/app-BBBB2222\.js both have the logical name assets\/app\.js/);
    rmSync(join(dir, 'assets/app-BBBB2222.js'));
    symlinkSync('/etc/hostname', join(dir, 'assets/leak.js'));
    const leak = await runCli(['plan', '--dir', dir, '--assets', '**/*.js', '--quiet'], repo.dir);
    expect(leak.code).toBe(2);
    expect(leak.stderr).toMatch(/assets\/leak\.js under --dir is a symlink leading outside it/);
  });

  it('a deploy from a branch and one from a clone that lacks that branch both use every deploy of the index', async () => {
    const tree = copyTree(out);
    runGit(repo.dir, ['checkout', '-q', '-b', 'feature']);
    writeFileSync(join(repo.dir, 'src/index.css'), readFileSync(join(repo.dir, 'src/index.css'), 'utf8').replace('--muted: #6b7280', '--muted: #4b5563'));
    const feature = commitAll(repo.dir, 'feature: darker muted text', 100_000);
    const fromBranch = await deploy(repo, tree);
    expect(fromBranch.code, fromBranch.stderr).toBe(0);
    expect(latest(tree).assets['assets/index.css']?.version).toBe(feature);
    runGit(repo.dir, ['checkout', '-q', 'main']);
    const clone = makeTempDir('deltawarm-main-only-');
    runGit(clone, ['clone', '-q', '--single-branch', '--branch', 'main', `file://${repo.dir}`, '.']);
    expect(() => runGit(clone, ['cat-file', '-e', feature])).toThrow();
    commitDeploy({ dir: clone, git: (...args) => runGit(clone, args) }, 4);
    const fromMain = await deploy({ dir: clone, git: (...args) => runGit(clone, args) }, tree);
    expect(fromMain.code, fromMain.stderr).toBe(0);
    expect(Object.keys(latest(tree).assets['assets/index.css']?.patches ?? {})).toContain(feature);
    expect(deploysIn(tree).slice(0, 2)).toEqual([runGit(clone, ['rev-parse', 'HEAD']), feature]);
  });

  it('works in a shallow clone: versions and old bytes come from the deploy history, not from git', async () => {
    const tree = copyTree(out);
    const clone = shallowClone(repo.dir, 1);
    const shallow = { dir: clone, git: (...args: string[]) => runGit(clone, args) };
    expect(runGit(clone, ['rev-parse', '--is-shallow-repository'])).toBe('true');
    commitDeploy(shallow, 4);
    const result = await deploy(shallow, tree);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(latest(tree).assets['assets/index.js']?.patches ?? {})).toEqual(expect.arrayContaining([releases[0], releases[1]]));
    expect(result.report.totals.coverage).toBe(1);
  });
});
