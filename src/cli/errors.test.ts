import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { runCli } from '../../fixtures/run-cli.js';
import { type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import { StaticServer } from '../../test/browser/static-server.js';
import type { Manifest } from '../tree/manifest.js';

const oneLine = (stderr: string) => expect(stderr).toMatch(/^deltawarm: [^\n]+\n$/);

describe('errors a user or a store can cause are one typed line, never "internal error"', () => {
  let repo: WebAppRepo;

  beforeAll(async () => {
    repo = createWebAppRepo();
    commitDeploy(repo, 1);
    await buildDist(repo.dir);
  }, 120_000);

  it('--dir naming a file', async () => {
    const result = await runCli(['plan', '--dir', 'dist/index.html', '--assets', '**/*.js', '--quiet'], repo.dir);
    expect(result.code).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/--dir \S*dist\/index\.html is a file, not a directory/);
  });

  it('a symlink loop under --dir is reported as a loop, a dangling link as a link to nothing', async () => {
    const dir = join(makeTempDir(), 'dist');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.js'), 'x');
    symlinkSync('b.js', join(dir, 'a.js'));
    symlinkSync('a.js', join(dir, 'b.js'));
    const loop = await runCli(['plan', '--dir', dir, '--assets', '**/*.js', '--quiet'], repo.dir);
    expect(loop.code).toBe(2);
    oneLine(loop.stderr);
    expect(loop.stderr).toContain('a.js under --dir is a symlink loop');
    rmSync(join(dir, 'b.js'));
    const dangling = await runCli(['plan', '--dir', dir, '--assets', '**/*.js', '--quiet'], repo.dir);
    expect(dangling.stderr).toContain('a.js under --dir is a symlink to nothing');
  });

  it('an HTTP history that drops the connection mid-body: exit 2, one line naming the source', async () => {
    const server = await cuttingServer();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/static/`;
      const result = await runCli(['plan', '--dir', 'dist', '--assets', '**/*.js', '--history', url, '--quiet', '--json'], repo.dir);
      expect(result.code).toBe(2);
      oneLine(result.stderr);
      expect(result.stderr).toContain(`deploy history at ${url}`);
      expect(result.stderr).not.toMatch(/internal error|a bug/);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { kind: 'environment', exitCode: 2 } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('credentials in URLs never appear in errors, JSON errors or reports', async () => {
    const secret = 's3cr3t-pw';
    const runs = await Promise.all([
      runCli(['plan', '--dir', 'dist', '--assets', '**/*.js', '--history', `http://deploy:${secret}@127.0.0.1:9/static/`, '--json'], repo.dir),
      runCli(['plan', '--dir', 'dist', '--assets', '**/*.js', '--cdn', `https://deploy:${secret}@cdn.example.com/`, '--json'], repo.dir),
      runCli(['verify', '--manifest', `http://deploy:${secret}@127.0.0.1:9/manifest/latest.json`, '--json'], repo.dir),
      runCli(['verify', '--manifest', 'm.json', '--base', `http://deploy:${secret}@127.0.0.1:9/`], repo.dir),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    expect(runs[0]?.stderr).toContain('--history: the URL holds credentials');
    expect(runs[1]?.stderr).toContain('***@cdn.example.com');
  });
});

/** Answers every request with headers promising 10,000 bytes, sends 10 and closes the socket. */
async function cuttingServer(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
    response.write('{"format":');
    setTimeout(() => response.socket?.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('build removes the staging directories a killed build left, and only those', () => {
  it('removes a dead process\'s staging of this tree on this host; keeps a live one, another host\'s and any other name', async () => {
    const repo = buildRepo(linearSite);
    const parent = makeTempDir();
    const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const stale = join(parent, `.tree.staging-${host}-${dead}-AbC123`);
    const kept = [`.tree.staging-${host}-${process.pid}-XyZ789`, `.tree.staging-0badc0de-${dead}-AbC123`, '.tree.staging-AbC123', `.other.staging-${host}-${dead}-AbC123`].map((name) => join(parent, name));
    for (const dir of [stale, ...kept]) {
      mkdirSync(join(dir, 'full'), { recursive: true });
      writeFileSync(join(dir, 'full/x.js'), 'half-written');
    }
    const result = await runCli(['build', '--assets', 'dist/**', '--out', join(parent, 'tree'), '--quiet'], repo.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    for (const dir of kept) expect(existsSync(dir), dir).toBe(true);
  });
});

describe('a symlink inside a tree on disk', () => {
  it('leading out of the tree: build refuses to read or write through it (exit 2), and nothing outside changes', async () => {
    const repo = buildRepo(linearSite);
    const sandbox = makeTempDir();
    const tree = join(sandbox, 'tree');
    const build = (release: string) => runCli(['build', '--assets', 'dist/**', '--out', tree, '--release', release, '--quiet'], repo.dir);
    expect((await build(repo.sha('r4'))).code).toBe(0);
    renameSync(join(tree, 'full'), join(sandbox, 'elsewhere'));
    symlinkSync(join(sandbox, 'elsewhere'), join(tree, 'full'));
    const before = readdirSync(join(sandbox, 'elsewhere'), { recursive: true }).sort();
    const result = await build(repo.sha('r5'));
    expect(result.code).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toContain('full in');
    expect(result.stderr).toContain('is a symlink (or leads through one) out of the tree');
    expect(readdirSync(join(sandbox, 'elsewhere'), { recursive: true }).sort()).toEqual(before);
  });
});

describe('verify in built mode applies each patch to the old full file from the store', () => {
  let repo: WebAppRepo;
  let tree: string;
  let server: StaticServer;

  beforeAll(async () => {
    repo = createWebAppRepo();
    tree = join(makeTempDir(), 'tree');
    for (let n = 1; n <= 3; n++) {
      commitDeploy(repo, n);
      await buildDist(repo.dir);
      const built = await runCli(['build', '--dir', 'dist', '--assets', '**/*.{js,css}', '--out', tree, '--patch-format', 'json', '--quiet', '--concurrency', '1'], repo.dir);
      expect(built.code, built.stderr).toBe(0);
    }
    server = await StaticServer.start(tree);
  }, 300_000);
  afterAll(async () => server?.close());

  it('every patch applied when the store is intact; a tampered patch (well-formed, same size, wrong result) is a mismatch', async () => {
    const manifestUrl = `${server.url}manifest/latest.json`;
    const intact = await runCli(['verify', '--manifest', manifestUrl, '--json'], repo.dir);
    expect(intact.code, intact.stdout).toBe(0);
    const manifest = JSON.parse(readFileSync(join(tree, 'manifest/latest.json'), 'utf8')) as Manifest;
    const patches = Object.values(manifest.assets).flatMap((asset) => Object.values(asset.patches));
    expect(patches.length).toBeGreaterThan(0);
    expect(JSON.parse(intact.stdout).bases[0]).toMatchObject({ applied: patches.length, mismatches: [] });

    const key = (patches[0] as { key: string }).key;
    const file = join(tree, key);
    const patch = JSON.parse(readFileSync(file, 'utf8')) as { ops: unknown[] };
    const at = patch.ops.findIndex((op) => typeof op === 'string' && /[a-y]/.test(op));
    patch.ops[at] = (patch.ops[at] as string).replace(/[a-y]/, (c) => String.fromCharCode(c.charCodeAt(0) + 1));
    writeFileSync(file, JSON.stringify(patch));
    expect(readFileSync(file).length).toBe((patches[0] as { size: number }).size);
    const tampered = await runCli(['verify', '--manifest', manifestUrl, '--json'], repo.dir);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout).bases[0].mismatches).toEqual([{ kind: 'patch', key, problem: 'result does not match toIntegrity' }]);
  });
});

describe('finish checks that every object of the merged manifest is stored', () => {
  it('an object deleted after the shards ran: exit 1 naming it, and no manifest', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    for (const shard of ['1/2', '2/2']) {
      const built = await runCli(['build', '--repo', repo.dir, '--assets', 'dist/**', '--out', out, '--shard', shard, '--quiet', '--concurrency', '1'], repo.dir);
      expect(built.code, built.stderr).toBe(0);
    }
    const gone = `full/${repo.sha('r5')}/dist/app.js`;
    rmSync(join(out, gone));
    const result = await runCli(['finish', '--repo', repo.dir, '--assets', 'dist/**', '--out', out, '--shards', '2', '--quiet'], repo.dir);
    expect(result.code).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toContain(`${gone}: missing`);
    expect(existsSync(join(out, 'manifest'))).toBe(false);
  });
});
