import { type SpawnSyncReturns, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';

/**
 * The install route the README gives, as a user takes it: the package packed by `npm pack`,
 * installed into an empty project from that tarball, run through `npx`. `npm test` builds
 * dist/ first; the tarball holds what `npm publish` would upload.
 */
const ROOT = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Counts CommonJS modules of the AWS SDK loaded by the process (the SDK's package resolves to CommonJS). */
const PROBE = `import { createRequire } from 'node:module';
const { cache } = createRequire(import.meta.url);
process.on('exit', () => process.stderr.write('aws-sdk modules loaded: ' + Object.keys(cache).filter((file) => file.includes('/@aws-sdk/')).length + '\\n'));
`;

let project: string;

function npx(args: string[], options: { probe?: boolean } = {}): SpawnSyncReturns<string> {
  const env = { ...process.env, NODE_OPTIONS: options.probe ? `--import ${join(project, 'probe.mjs')}` : '' };
  return spawnSync('npx', ['--no-install', 'deltawarm', ...args], { cwd: project, env, encoding: 'utf8' });
}

/** The most any process of the run loaded (npx and deltawarm both carry the probe). */
const awsModules = (stderr: string) => Math.max(...[...stderr.matchAll(/aws-sdk modules loaded: (\d+)/g)].map((match) => Number(match[1])));

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run npm run build first');
  const packs = makeTempDir('deltawarm-pack-');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[];
  project = makeTempDir('deltawarm-user-project-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  writeFileSync(join(project, 'probe.mjs'), PROBE);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(packs, packed!.filename)], { cwd: project, encoding: 'utf8' });
}, 300_000);

describe('installed from the packed tarball into an empty project', () => {
  it('answers npx deltawarm --version', () => {
    const run = npx(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('runs plan and build on a repository without loading the AWS SDK', () => {
    const repo = buildRepo(linearSite);
    const plan = npx(['plan', '--repo', repo.dir, '--assets', 'dist/**', '--versions', '3', '--json'], { probe: true });
    expect(plan.status).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ release: repo.sha('r5'), totals: { failed: 0 } });
    expect(awsModules(plan.stderr)).toBe(0);

    const out = join(makeTempDir(), 'tree');
    const build = npx(['build', '--repo', repo.dir, '--assets', 'dist/**', '--out', out, '--quiet'], { probe: true });
    expect(build.status).toBe(0);
    expect(existsSync(join(out, 'manifest/latest.json'))).toBe(true);
    expect(awsModules(build.stderr)).toBe(0);
  });

  it('the probe sees the AWS SDK once publishing code is loaded', () => {
    const publish = join(project, 'node_modules/deltawarm/dist/storage/publish.js');
    const run = spawnSync(process.execPath, ['--import', join(project, 'probe.mjs'), '--input-type=module', '-e', `await import(${JSON.stringify(publish)})`], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(awsModules(run.stderr)).toBeGreaterThan(0);
  });

  it('deltawarm/vite resolves through the exports, with its types, in a project without Vite installed', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('deltawarm/vite'); const p = m.default(); console.log(typeof m.deltawarm, p.name, p.apply)"], { cwd: project, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('function deltawarm build');
    expect(existsSync(join(project, 'node_modules/deltawarm/dist/vite/index.d.ts'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/vite'))).toBe(false);
  });
});
