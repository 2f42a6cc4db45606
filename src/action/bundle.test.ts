import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { inputVariable } from './inputs.js';

const ROOT = join(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'action/index.js');

/** The Action as the runner checks it out, without node_modules: package.json (for "type": "module") and the bundle. */
function checkout(): string {
  const dir = makeTempDir('deltawarm-action-checkout-');
  mkdirSync(join(dir, 'action'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  copyFileSync(BUNDLE, join(dir, 'action/index.js'));
  return join(dir, 'action/index.js');
}
const bundle = checkout();

/** Runs the committed bundle as the runner does: `node action/index.js` with INPUT_* variables, in the workspace. */
function runBundle(inputs: Record<string, string>, workspace: string) {
  const github = makeTempDir('deltawarm-bundle-test-');
  const outputFile = join(github, 'output');
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: join(github, 'summary.md'), RUNNER_TEMP: github };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  const run = spawnSync(process.execPath, [bundle], { cwd: workspace, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)));
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, outputs };
}

describe(`the Action bundle action/index.js under Node ${process.versions.node}`, () => {
  it('is current with the source (rebuild with: npm run build:action)', () => {
    const fresh = join(makeTempDir('deltawarm-bundle-'), 'index.js');
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-action.mjs'), fresh], { cwd: ROOT });
    expect(readFileSync(fresh).equals(readFileSync(BUNDLE)), 'action/index.js is stale: run npm run build:action and commit it').toBe(true);
  });

  it('runs plan and build on a fixture repo with worker threads, using nothing but its own file', () => {
    const repo = buildRepo(linearSite);
    const plan = runBundle({ command: 'plan', assets: 'dist/*.js\ndist/*.css', versions: '3', concurrency: '2', 'patch-format': 'tab' }, repo.dir);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.outputs).toMatchObject({ release: repo.sha('r5'), patches: '4', 'old-versions': '4', failed: '0' });
    expect(JSON.parse(readFileSync(plan.outputs.report as string, 'utf8')).patchFormat).toBe('tab');

    const out = join(makeTempDir(), 'tree');
    const build = runBundle({ command: 'build', assets: 'dist/**', out }, repo.dir);
    expect(build.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest/latest.json'), 'utf8')).release).toBe(repo.sha('r5'));
    expect(readFileSync(join(out, 'deltawarm.min.js'))).toEqual(readFileSync(join(ROOT, 'dist/client/deltawarm.min.js')));
  });

  it('fails a bad input with an error annotation and exit 2', () => {
    const repo = buildRepo(linearSite);
    const run = runBundle({ command: 'plan', assets: 'nothing/**' }, repo.dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error title=deltawarm plan::no file at [0-9a-f]+ matches --assets nothing\/\*\*/m);
  });
});
