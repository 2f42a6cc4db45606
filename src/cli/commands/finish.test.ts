import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../../fixtures/git-fixture.js';
import { awkwardContent, linearSite } from '../../../fixtures/histories.js';
import { runCli } from '../../../fixtures/run-cli.js';

const run = (args: string[]) => runCli([...args, '--quiet'], process.cwd());

/** Every file under a directory, by relative path. */
function files(dir: string, under = dir): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const entry of readdirSync(under, { withFileTypes: true })) {
    const path = join(under, entry.name);
    if (entry.isDirectory()) for (const [key, body] of files(dir, path)) found.set(key, body);
    else found.set(relative(dir, path), readFileSync(path));
  }
  return found;
}

const withoutShards = (tree: Map<string, Buffer>) => new Map([...tree].filter(([key]) => !key.startsWith('shard/')));

async function buildShards(repoDir: string, out: string, count: number, extra: (index: number) => string[] = () => [], built = count) {
  for (let index = 1; index <= built; index++) {
    const shard = await run(['build', '--repo', repoDir, '--assets', 'dist/**', '--out', out, '--concurrency', '1', '--shard', `${index}/${count}`, ...extra(index)]);
    expect(shard.code, shard.stderr).toBe(0);
  }
}

const finish = (repoDir: string, out: string, count: number, extra: string[] = []) => run(['finish', '--repo', repoDir, '--assets', 'dist/**', '--out', out, '--shards', String(count), ...extra]);

/** finish stops with exit 1, says why, and writes no manifest. */
async function expectRefused(repoDir: string, out: string, count: number, message: string, extra: string[] = []) {
  const result = await finish(repoDir, out, count, extra);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(message);
  expect(existsSync(join(out, 'manifest'))).toBe(false);
}

describe('build --shard K/N, then finish', () => {
  it('makes a tree byte-identical to one build (runtime files included), and each shard stores only its share and no manifest', async () => {
    const repo = buildRepo(awkwardContent);
    const whole = join(makeTempDir(), 'whole');
    expect((await run(['build', '--repo', repo.dir, '--assets', 'dist/**', '--out', whole, '--sw'])).code).toBe(0);
    const sharded = join(makeTempDir(), 'sharded');
    await buildShards(repo.dir, sharded, 4);
    const beforeFinish = files(sharded);
    expect([...beforeFinish.keys()].filter((key) => key.startsWith('manifest/'))).toEqual([]);
    expect([...beforeFinish.keys()].filter((key) => key.startsWith('shard/')).sort()).toEqual([1, 2, 3, 4].map((k) => `shard/${repo.sha('a2')}/${k}-of-4.json`));

    const finished = await finish(repo.dir, sharded, 4, ['--sw']);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain(`finished release ${repo.sha('a2')} from 4 shards (7 assets)`);
    expect(withoutShards(files(sharded))).toEqual(files(whole));

    expect(files(sharded).has('deltawarm-sw.js')).toBe(true);

    const again = await finish(repo.dir, sharded, 4, ['--sw', '--json']);
    expect(again.code).toBe(0);
    // the runtime files, manifest/RELEASE.json, deploys.json, latest.json and head.json (SPEC §12)
    expect(JSON.parse(again.stdout)).toMatchObject({ release: repo.sha('a2'), shards: 4, assets: 7, tree: { written: 0, skipped: 6 } });
  });

  it('with a shard missing: exit 1, the shard named, no manifest', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    await buildShards(repo.dir, out, 3, () => [], 2);
    await expectRefused(repo.dir, out, 3, `no result from shard 3/3 of release ${repo.sha('r5')}`);
  });

  it('with results of another release only: exit 1, no manifest', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    await buildShards(repo.dir, out, 2, (index) => (index === 2 ? ['--release', repo.sha('r4')] : []));
    await expectRefused(repo.dir, out, 2, `no result from shard 2/2 of release ${repo.sha('r5')}`);
  });

  it("with another release's result under this release's key: exit 1, no manifest", async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    await buildShards(repo.dir, out, 2);
    await buildShards(repo.dir, out, 2, () => ['--release', repo.sha('r4')]);
    const [r4, r5] = [repo.sha('r4'), repo.sha('r5')];
    writeFileSync(join(out, `shard/${r5}/2-of-2.json`), readFileSync(join(out, `shard/${r4}/2-of-2.json`)));
    await expectRefused(repo.dir, out, 2, `the result stored for shard 2/2 of release ${r5} is shard 2/2 of release ${r4}`);
  });

  it('with a failed shard: exit 1, its failure named, no manifest', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    await buildShards(repo.dir, out, 2);
    const file = join(out, `shard/${repo.sha('r5')}/1-of-2.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), status: 'failed', reason: '1 patch(es) did not verify', assets: {} }));
    await expectRefused(repo.dir, out, 2, 'shard 1/2 failed: 1 patch(es) did not verify');
  });

  it('with shards that ran with other settings, or a finish with other settings: exit 1, no manifest', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    await buildShards(repo.dir, out, 2, (index) => (index === 2 ? ['--versions', '2'] : []));
    await expectRefused(repo.dir, out, 2, 'shard 2/2 ran with another versions than shard 1/2 (2, not 10)');

    const same = join(makeTempDir(), 'tree');
    await buildShards(repo.dir, same, 2, () => ['--patch-format', 'json']);
    await expectRefused(repo.dir, same, 2, 'the shards ran with patchFormat "json", this finish with "tab"', ['--patch-format', 'tab']);
  });

  it('rejects a malformed --shard and a finish without --shards as usage errors', async () => {
    const repo = buildRepo(linearSite);
    const bad = await run(['build', '--repo', repo.dir, '--assets', 'dist/**', '--shard', '5/4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--shard takes K/N with 1 <= K <= N (e.g. 2/4), got "5/4"');
    const noCount = await run(['finish', '--repo', repo.dir, '--assets', 'dist/**', '--out', makeTempDir()]);
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toContain('pass --shards N');
  });
});
