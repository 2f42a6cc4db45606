import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import { FLAGS, inputVariable } from './inputs.js';
import { runAction } from './main.js';

const ROOT = join(import.meta.dirname, '../..');
const actionYml = () => parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));

async function act(inputs: Record<string, string>, cwd: string, runner: Record<string, string> = {}) {
  const github = makeTempDir('deltawarm-action-test-');
  const env: Record<string, string> = { ...runner, GITHUB_OUTPUT: join(github, 'output'), GITHUB_STEP_SUMMARY: join(github, 'summary.md'), RUNNER_TEMP: github };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  writeFileSync(env.GITHUB_OUTPUT as string, '');
  let stdout = '';
  const code = await runAction({ env, cwd, stdout: (text) => void (stdout += text) });
  const outputs = Object.fromEntries(readFileSync(env.GITHUB_OUTPUT as string, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)));
  return { code, stdout, outputs, summary: () => readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8') };
}

describe('GitHub Action', () => {
  it('runs plan with the inputs, writes the job summary and sets outputs', async () => {
    const repo = buildRepo(linearSite);
    const result = await act({ command: 'plan', assets: 'dist/*.js\ndist/*.css', versions: '3' }, repo.dir);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ release: repo.sha('r5'), patches: '4', 'old-versions': '4', coverage: '1.0000', failed: '0' });
    expect(JSON.parse(readFileSync(result.outputs.report as string, 'utf8')).versionsWanted).toBe(3);
    expect(result.summary()).toMatch(/^## deltawarm prewarm coverage/);
    expect(Object.keys(result.outputs).sort()).toEqual(Object.keys(actionYml().outputs).sort());
  });

  it('runs build into the out input', async () => {
    const repo = buildRepo(linearSite);
    const out = join(makeTempDir(), 'tree');
    const result = await act({ command: 'build', assets: 'dist/**', out }, repo.dir);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'manifest/latest.json'), 'utf8')).toContain(repo.sha('r5'));
  });

  it('turns bad input into an error annotation and exit 2', async () => {
    const repo = buildRepo(linearSite);
    const noMatch = await act({ command: 'plan', assets: 'nothing/**' }, repo.dir);
    expect(noMatch.code).toBe(2);
    expect(noMatch.stdout).toMatch(/^::error title=deltawarm plan::no file at [0-9a-f]+ matches --assets nothing\/\*\*/m);
    const badCommand = await act({ command: 'deploy' }, repo.dir);
    expect(badCommand.code).toBe(2);
    expect(badCommand.stdout).toMatch(/::error title=deltawarm::input "command" must be plan, build, push or finish/);
  });

  describe('built mode on a runner (CI=true)', () => {
    const RUNNER = { CI: 'true', GITHUB_ACTIONS: 'true' };
    const BUILT = { dir: 'dist', assets: '**/*.js\n**/*.css', concurrency: '1' };
    let repo: WebAppRepo;
    beforeAll(async () => {
      repo = createWebAppRepo();
      commitDeploy(repo, 1);
      await buildDist(repo.dir);
    });

    it('a fresh out is an error annotation naming the ways out and exit 2; first-deploy lets it through; history then patches with the worker configured', async () => {
      const fresh = await act({ command: 'build', ...BUILT, out: join(makeTempDir(), 'site') }, repo.dir, RUNNER);
      expect(fresh.code).toBe(2);
      expect(fresh.stdout).toMatch(/^::error title=deltawarm build::no earlier deploy at .*--history URL.*deltawarm push.*--first-deploy/m);

      const served = join(makeTempDir(), 'served');
      const first = await act({ command: 'build', ...BUILT, out: served, 'first-deploy': 'true' }, repo.dir, RUNNER);
      expect(first.code, first.stdout).toBe(0);
      expect(first.outputs).toMatchObject({ patches: '0', failed: '0' });

      commitDeploy(repo, 2);
      await buildDist(repo.dir);
      const out = join(makeTempDir(), 'site');
      const second = await act({ command: 'build', ...BUILT, out, history: served, sw: 'true', 'sw-base': '/app/', 'hash-pattern': '-[A-Za-z0-9_-]{8}(?=\\.)' }, repo.dir, RUNNER);
      expect(second.code, second.stdout).toBe(0);
      expect(Number(second.outputs.patches)).toBeGreaterThan(0);
      expect(readFileSync(join(out, 'deltawarm-sw.js'), 'utf8')).toMatch(/^self\.deltawarmSw = \{"base":"\/app\/"\};/);
      expect(readFileSync(join(out, 'manifest/deploys.json'), 'utf8')).toContain(repo.git('rev-parse', 'HEAD^').trim());
    });

    it('shard inputs, then command finish with shards, make the same manifest as one build', async () => {
      const history = join(makeTempDir(), 'served');
      expect((await act({ command: 'build', ...BUILT, out: history, 'first-deploy': 'true' }, repo.dir, RUNNER)).code).toBe(0);
      const whole = join(makeTempDir(), 'whole');
      const sharded = join(makeTempDir(), 'sharded');
      expect((await act({ command: 'build', ...BUILT, history, out: whole }, repo.dir, RUNNER)).code).toBe(0);
      for (const shard of ['1/2', '2/2']) {
        const part = await act({ command: 'build', ...BUILT, history, out: sharded, shard }, repo.dir, RUNNER);
        expect(part.code, part.stdout).toBe(0);
        expect(existsSync(join(sharded, 'manifest/latest.json'))).toBe(false);
      }
      const finish = await act({ command: 'finish', ...BUILT, history, out: sharded, shards: '2' }, repo.dir, RUNNER);
      expect(finish.code, finish.stdout).toBe(0);
      expect(finish.outputs).toMatchObject({ release: repo.git('rev-parse', 'HEAD').trim() });
      expect(readFileSync(join(sharded, 'manifest/latest.json'), 'utf8')).toBe(readFileSync(join(whole, 'manifest/latest.json'), 'utf8'));
    });
  });

  it('action.yml declares exactly the inputs the entry point reads, and runs the bundle on node24', () => {
    const action = actionYml();
    expect(Object.keys(action.inputs).sort()).toEqual(['command', ...FLAGS.map(([input]) => input)].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'action/index.js' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });
});
