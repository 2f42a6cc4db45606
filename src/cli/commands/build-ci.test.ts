import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../fixtures/git-fixture.js';
import { runCli } from '../../../fixtures/run-cli.js';
import { type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../../fixtures/web-app/app.js';
import type { CoverageReport } from '../../report/coverage.js';

const BUILT = ['build', '--dir', 'dist', '--assets', '**/*.{js,css}', '--concurrency', '1', '--quiet'];
const CI = { CI: 'true' };

describe('build in built mode in CI: a fresh --out is never silently a first deploy', () => {
  let repo: WebAppRepo;
  beforeAll(async () => {
    repo = createWebAppRepo();
    commitDeploy(repo, 1);
    await buildDist(repo.dir);
  });

  it('stops with exit 2 and one line naming --history, push and --first-deploy; writes nothing', async () => {
    const out = join(makeTempDir(), 'site');
    const result = await runCli([...BUILT, '--out', out], repo.dir, CI);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^deltawarm: no earlier deploy at .*site.*--history URL.*deltawarm push.*--first-deploy/);
    expect(existsSync(out)).toBe(false);
  });

  it('outside CI, or with CI=false, the same run is a first deploy (exit 0, and the report says so)', async () => {
    for (const env of [{}, { CI: 'false' }]) {
      const out = join(makeTempDir(), 'site');
      const result = await runCli([...BUILT, '--out', out, '--json'], repo.dir, env);
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as CoverageReport).notes.join('\n')).toMatch(/first deploy to .*: full files only; patches start with the next deploy/);
    }
  });

  it('--first-deploy, DELTAWARM_FIRST_DEPLOY or config firstDeploy let the first deploy through in CI', async () => {
    const config = join(makeTempDir(), 'deltawarm.config.json');
    writeFileSync(config, JSON.stringify({ firstDeploy: true }));
    const ways: Array<[string[], Record<string, string>]> = [[['--first-deploy'], CI], [[], { ...CI, DELTAWARM_FIRST_DEPLOY: '1' }], [['--config', config], CI]];
    for (const [flags, env] of ways) {
      const out = join(makeTempDir(), 'site');
      const result = await runCli([...BUILT, '--out', out, ...flags], repo.dir, env);
      expect(result.code, `${flags.join(' ')} ${JSON.stringify(env)}: ${result.stderr}`).toBe(0);
      expect(existsSync(join(out, 'manifest/deploys.json'))).toBe(true);
    }
    writeFileSync(config, JSON.stringify({ firstDeploy: 'yes' }));
    const bad = await runCli([...BUILT, '--out', join(makeTempDir(), 'site'), '--config', config], repo.dir, CI);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"firstDeploy" must be true or false/);
  });

  it('an --out that holds earlier deploys, or --history naming them, needs nothing more; --first-deploy there patches and says so', async () => {
    const out = join(makeTempDir(), 'site');
    expect((await runCli([...BUILT, '--out', out, '--first-deploy'], repo.dir, CI)).code).toBe(0);
    const history = join(makeTempDir(), 'served');
    cpSync(out, history, { recursive: true });
    commitDeploy(repo, 2);
    await buildDist(repo.dir);

    const kept = await runCli([...BUILT, '--out', out, '--json'], repo.dir, CI);
    expect(kept.code, kept.stderr).toBe(0);
    expect((JSON.parse(kept.stdout) as CoverageReport).totals.patches).toBeGreaterThan(0);

    const fresh = join(makeTempDir(), 'site');
    const named = await runCli([...BUILT, '--out', fresh, '--history', history, '--json'], repo.dir, CI);
    expect(named.code, named.stderr).toBe(0);
    expect((JSON.parse(named.stdout) as CoverageReport).totals.patches).toBeGreaterThan(0);
    expect(readFileSync(join(fresh, 'manifest/latest.json'), 'utf8')).toContain('"patches"');

    const again = await runCli([...BUILT, '--out', join(makeTempDir(), 'site'), '--history', history, '--first-deploy', '--json'], repo.dir, CI);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as CoverageReport).notes.join('\n')).toMatch(/--first-deploy, but .* already holds 1 deploy\(s\): patching from them/);
  });

  it('--history naming an empty tree is exit 2 unless --first-deploy says this is the first deploy', async () => {
    const empty = makeTempDir();
    const named = await runCli([...BUILT, '--out', join(makeTempDir(), 'site'), '--history', empty], repo.dir, CI);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/no deploy index at/);
    const first = await runCli([...BUILT, '--out', join(makeTempDir(), 'site'), '--history', empty, '--first-deploy'], repo.dir, CI);
    expect(first.code, first.stderr).toBe(0);
  });

  it('committed mode in CI needs no history: its versions come from git', async () => {
    const result = await runCli(['build', '--assets', 'src/**/*.js', '--out', join(makeTempDir(), 'site'), '--quiet', '--concurrency', '1'], repo.dir, CI);
    expect(result.code, result.stderr).toBe(0);
  });
});
