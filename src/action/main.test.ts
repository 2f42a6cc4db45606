import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { FLAGS, inputVariable } from './inputs.js';
import { runAction } from './main.js';

const ROOT = join(import.meta.dirname, '../..');
const actionYml = () => parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));

async function act(inputs: Record<string, string>, cwd: string) {
  const github = makeTempDir('deltawarm-action-test-');
  const env: Record<string, string> = { GITHUB_OUTPUT: join(github, 'output'), GITHUB_STEP_SUMMARY: join(github, 'summary.md'), RUNNER_TEMP: github };
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
    expect(badCommand.stdout).toMatch(/::error title=deltawarm::input "command" must be plan, build or push/);
  });

  it('action.yml declares exactly the inputs the entry point reads, and runs the bundle on node24', () => {
    const action = actionYml();
    expect(Object.keys(action.inputs).sort()).toEqual(['command', ...FLAGS.map(([input]) => input)].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'action/index.js' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });
});
