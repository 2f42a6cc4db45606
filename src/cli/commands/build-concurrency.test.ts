import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir, runGit, type Step } from '../../../fixtures/git-fixture.js';
import { body } from '../../../fixtures/histories.js';
import { runCli } from '../../../fixtures/run-cli.js';
import { EnvironmentError } from '../../errors.js';
import { withTreeLock } from '../../tree/tree-lock.js';

const steps: Step[] = Array.from({ length: 21 }, (_, i) => ({ message: `r${i + 1}`, files: { 'dist/app.js': `${body('app')}console.log(${i});\n` } }));

/** The tree's deploy index (newest first), and whether latest.json is the head's manifest. */
function treeState(out: string): { releases: string[]; consistent: boolean } {
  const index = JSON.parse(readFileSync(join(out, 'manifest/deploys.json'), 'utf8')) as { deploys: { release: string }[] };
  const releases = index.deploys.map((deploy) => deploy.release);
  const latest = readFileSync(join(out, 'manifest/latest.json'), 'utf8');
  return { releases, consistent: latest === readFileSync(join(out, `manifest/${releases[0]}.json`), 'utf8') };
}

describe('build --out: concurrent builds and the tree lock', () => {
  it('10 rounds of two builds into one tree at once: no deploy lost, latest.json always the index head', async () => {
    const repo = buildRepo(steps);
    const shas = runGit(repo.dir, ['rev-list', '--reverse', 'HEAD']).split('\n');
    const out = join(makeTempDir('deltawarm-race-'), 'tree');
    const build = (sha: string) => runCli(['build', '--assets', 'dist/**', '--release', sha, '--out', out, '--versions', '2', '--concurrency', '1', '--quiet'], repo.dir);
    const built: string[] = [];
    for (let round = 0; round < 10; round++) {
      const pair = [shas[2 * round + 1], shas[2 * round + 2]] as string[];
      const results = await Promise.all(pair.map(build));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      built.push(...pair);
      const state = treeState(out);
      expect([...state.releases].sort()).toEqual([...built].sort());
      expect(pair).toContain(state.releases[0]);
      expect(state.consistent).toBe(true);
    }
    expect(existsSync(join(out, '..', '.tree.lock'))).toBe(false);
  }, 240_000);

  it('a lock left by a process that died is broken, with a note', async () => {
    const repo = buildRepo(steps.slice(0, 2));
    const out = join(makeTempDir('deltawarm-stale-'), 'tree');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(out, '..', '.tree.lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }));
    const result = await runCli(['build', '--assets', 'dist/**', '--out', out, '--concurrency', '1'], repo.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`removed the stale lock .*\\.tree\\.lock of a run that is gone \\(pid ${dead} on `));
    expect(treeState(out).consistent).toBe(true);
  });

  it('a live lock is waited for, then reported with its owner and how to clear it', async () => {
    const dir = join(makeTempDir('deltawarm-live-'), 'tree');
    const lock = join(dir, '..', '.tree.lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'ci-runner-7', since: new Date().toISOString() }));
    const started = performance.now();
    const attempt = withTreeLock(dir, async () => 'ran', { waitMs: 300 });
    await expect(attempt).rejects.toThrow(EnvironmentError);
    await expect(attempt).rejects.toThrow(`another deltawarm run is writing to ${dir} (pid 1 on ci-runner-7 since `);
    await expect(attempt).rejects.toThrow(`If no run is writing there, delete ${lock}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(existsSync(lock)).toBe(true);
  });
});
