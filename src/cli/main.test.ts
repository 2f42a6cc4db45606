import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import type { CliIO } from './io.js';
import { main } from './main.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
  };
  const code = await main(['node', 'deltawarm', ...args], io);
  return { code, stdout, stderr };
}

const site = () => buildRepo(linearSite);

describe('deltawarm plan', () => {
  it('prints the coverage report and writes nothing', async () => {
    const repo = site();
    const result = await run(['plan', '--assets', 'dist/**'], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^dist\/app\.js {2}[0-9a-f]{10} /m);
    expect(result.stdout).toMatch(/coverage +5 of 5 older versions patched \(100\.0 %\)/);
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(result.stdout).toMatch(/\d+\.\d kB\b/);
    expect(result.stdout).not.toMatch(/KB|KiB/);
    expect(readdirSync(repo.dir).sort()).toEqual(['.git', 'README.md', 'dist']);
  });

  it('with --json prints only JSON on stdout, progress on stderr', async () => {
    const repo = site();
    const result = await run(['plan', '--assets', 'dist/**', '--json', '--repo', repo.dir]);
    const report = JSON.parse(result.stdout);
    expect(report.totals).toMatchObject({ assets: 2, patches: 5, coverage: 1 });
    expect(report.assets[0].patches[0]).toMatchObject({ status: 'ok', bytes: expect.any(Number), gzipBytes: expect.any(Number), ms: expect.any(Number) });
    expect(result.stderr).toMatch(/^deltawarm: patches 5\/5$/m);
  });

  it('finds deltawarm.config.json at the repository root from a subdirectory', async () => {
    const repo = site();
    writeFileSync(join(repo.dir, 'deltawarm.config.json'), JSON.stringify({ assets: ['dist/*.css'] }));
    const result = await run(['plan', '--json'], { cwd: join(repo.dir, 'dist') });
    expect([result.code, JSON.parse(result.stdout).totals.assets]).toEqual([0, 1]);
  });

  it('writes --report JSON and --markdown files', async () => {
    const repo = site();
    const out = makeTempDir();
    const result = await run(['plan', '--assets', 'dist/**', '--repo', repo.dir, '--report', join(out, 'r.json'), '--markdown', join(out, 'r.md'), '--quiet']);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')).release).toBe(repo.sha('r5'));
    expect(readFileSync(join(out, 'r.md'), 'utf8')).toMatch(/^## deltawarm prewarm coverage\n/);
  });

  it('takes each option from flag, then env, then config, then default', async () => {
    const repo = site();
    writeFileSync(join(repo.dir, 'deltawarm.config.json'), JSON.stringify({ assets: ['dist/*.css'], versions: 1, patchFormat: 'tab' }));
    const json = async (args: string[], env: Record<string, string> = {}) => JSON.parse((await run(['plan', '--json', ...args], { cwd: repo.dir, env })).stdout);
    expect(await json([])).toMatchObject({ versionsWanted: 1, patchFormat: 'tab', totals: { assets: 1 } });
    expect(await json([], { DELTAWARM_VERSIONS: '2', DELTAWARM_ASSETS: 'dist/app.js\ndist/app.css' })).toMatchObject({ versionsWanted: 2, totals: { assets: 2 } });
    expect(await json(['--versions', '3'], { DELTAWARM_VERSIONS: '2' })).toMatchObject({ versionsWanted: 3 });
    expect(await json(['--versions', '3', '--patch-format', 'json'])).toMatchObject({ patchFormat: 'json' });
  });
});

describe('deltawarm build', () => {
  it('writes the SPEC tree, then skips identical files on a re-run', async () => {
    const repo = site();
    const out = join(makeTempDir(), 'tree');
    const first = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--prefix', 'static/']);
    expect(first.code).toBe(0);
    const release = repo.sha('r5');
    expect(existsSync(join(out, 'static/full', release, 'dist/app.js'))).toBe(true);
    expect(existsSync(join(out, 'static/patch', repo.sha('r1'), release, 'dist/app.js.dpatch'))).toBe(true);
    const latest = JSON.parse(readFileSync(join(out, 'static/manifest/latest.json'), 'utf8'));
    expect(readFileSync(join(out, `static/manifest/${release}.json`), 'utf8')).toBe(JSON.stringify(latest, null, 2) + '\n');
    expect(first.stdout).toMatch(/wrote 12 files/);
    expect(readFileSync(join(out, 'static/deltawarm.min.js'), 'utf8')).toBe(readFileSync(join(import.meta.dirname, '../../dist/client/deltawarm.min.js'), 'utf8'));
    expect(existsSync(join(out, 'static/deltawarm-sw.js'))).toBe(false);
    const second = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--prefix', 'static']);
    expect(second.stdout).toMatch(/wrote 0 files .* 12 already there/);
    expect(readdirSync(join(out, '..'))).toEqual(['tree']);
  });

  it('--sw writes deltawarm-sw.js configured for the tree; --sw-base alone is a usage error', async () => {
    const repo = site();
    const out = join(makeTempDir(), 'tree');
    const worker = readFileSync(join(import.meta.dirname, '../../dist/client/deltawarm-sw.min.js'), 'utf8');
    const plain = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--sw']);
    expect(plain.code).toBe(0);
    expect(readFileSync(join(out, 'deltawarm-sw.js'), 'utf8')).toBe(`self.deltawarmSw = {};\n${worker}`);
    const configured = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--sw', '--sw-base', '/app', '--sw-manifest', '/static/manifest/latest.json']);
    expect(configured.code).toBe(0);
    expect(readFileSync(join(out, 'deltawarm-sw.js'), 'utf8')).toBe(`self.deltawarmSw = {"base":"/app/","manifest":"/static/manifest/latest.json"};\n${worker}`);
    const alone = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--sw-base', '/app/']);
    expect([alone.code, alone.stderr.trim()]).toEqual([2, 'deltawarm: --sw-base and --sw-manifest configure the worker: add --sw']);
    const badBase = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--sw', '--sw-base', 'app/']);
    expect(badBase.code).toBe(2);
  });

  it('refuses to overwrite an immutable file with other bytes, and writes nothing', async () => {
    const repo = site();
    const out = join(makeTempDir(), 'tree');
    await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out, '--versions', '1']);
    const full = join(out, 'full', repo.sha('r5'), 'dist/app.js');
    writeFileSync(full, 'tampered');
    const before = readFileSync(join(out, 'manifest/latest.json'), 'utf8');
    const result = await run(['build', '--assets', 'dist/**', '--repo', repo.dir, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/immutable file\(s\) .* already hold other bytes, e\.g\. full\//);
    expect(readFileSync(full, 'utf8')).toBe('tampered');
    expect(readFileSync(join(out, 'manifest/latest.json'), 'utf8')).toBe(before);
  });
});

describe('bad input', () => {
  const cases: Array<[string, (dir: string) => string[], RegExp, Record<string, string>?]> = [
    ['not a git repository', () => ['plan', '--assets', 'x', '--repo', makeTempDir()], /not a git repository/],
    ['unknown release', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir, '--release', 'nope'], /unknown release "nope"/],
    ['no asset matches', (dir) => ['plan', '--assets', 'src/**', '--repo', dir], /no file at [0-9a-f]+ matches --assets src\/\*\*/],
    ['no assets at all', (dir) => ['plan', '--repo', dir], /no asset globs: pass --assets/],
    ['window size below 1', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir, '--versions', '0'], /--versions must be a whole number of at least 1/],
    ['bad patch format', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir, '--patch-format', 'xml'], /json, tab/],
    ['bad env value', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir], /--concurrency must be/, { DELTAWARM_CONCURRENCY: 'many' }],
    ['unreadable config', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir, '--config', 'missing.json'], /cannot read config .*missing\.json/],
    ['unknown flag', () => ['plan', '--asset', 'x'], /unknown option '--asset'/],
    ['unwritable --report', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir, '--report', '/nonexistent/dir/r.json'], /cannot write --report \/nonexistent\/dir\/r\.json: ENOENT/],
    ['unwritable --out', (dir) => ['build', '--assets', 'dist/**', '--repo', dir, '--out', join(dir, 'README.md', 'tree')], /cannot write the tree to .*README\.md\/tree: E[A-Z]+ \(check --out\)/],
    ['credentials in a CDN URL', (dir) => ['plan', '--assets', 'dist/**', '--repo', dir, '--cdn', 'https://user:secret@cdn.example/'], /must not hold credentials/],
  ];

  it.each(cases)('%s: one line, exit 2', async (_name, args, message, env) => {
    const repo = site();
    const result = await run(args(repo.dir), { cwd: repo.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('with --json also writes the error as a JSON object on stdout', async () => {
    const repo = site();
    const usage = await run(['plan', '--assets', 'dist/**', '--repo', repo.dir, '--release', 'nope', '--json']);
    expect([usage.code, usage.stderr.trim().split('\n')]).toEqual([2, [expect.stringMatching(/^deltawarm: unknown release "nope"/)]]);
    expect(JSON.parse(usage.stdout)).toEqual({ error: { kind: 'usage', message: expect.stringMatching(/^unknown release "nope"/), exitCode: 2 } });
    const flag = await run(['plan', '--json', '--asset', 'x']);
    expect(JSON.parse(flag.stdout)).toEqual({ error: { kind: 'usage', message: "unknown option '--asset' (Did you mean --assets?)", exitCode: 2 } });
    const unwritable = await run(['plan', '--assets', 'dist/**', '--repo', repo.dir, '--json', '--report', '/nonexistent/r.json']);
    expect(JSON.parse(unwritable.stdout)).toMatchObject({ error: { kind: 'environment', exitCode: 2 } });
    const plain = await run(['plan', '--assets', 'dist/**', '--repo', repo.dir, '--release', 'nope']);
    expect(plain.stdout).toBe('');
  });

  it('names an unknown config key and a bad config value', async () => {
    const repo = site();
    writeFileSync(join(repo.dir, 'deltawarm.config.json'), JSON.stringify({ asset: ['dist/**'] }));
    const unknown = await run(['plan'], { cwd: repo.dir });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/unknown key "asset"/)]);
    writeFileSync(join(repo.dir, 'deltawarm.config.json'), JSON.stringify({ assets: ['dist/**'], versions: 'ten' }));
    const bad = await run(['plan'], { cwd: repo.dir });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/"versions": versions must be a whole number/)]);
  });
});

describe('bin/deltawarm.js', () => {
  it('runs the built CLI as a process with real exit codes', () => {
    const root = join(import.meta.dirname, '../..');
    expect(execFileSync('node', ['bin/deltawarm.js', '--help'], { cwd: root, encoding: 'utf8' })).toMatch(/Usage: deltawarm/);
    const dir = makeTempDir();
    mkdirSync(join(dir, 'x'));
    const failed = spawnSync('node', [join(root, 'bin/deltawarm.js'), 'plan', '--assets', 'x'], { cwd: join(dir, 'x'), encoding: 'utf8' });
    expect(failed.status).toBe(2);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
  });
});
