import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type InlineConfig, type Logger, build, createLogger } from 'vite';
import { describe, expect, it } from 'vitest';
import { commitAll, makeTempDir, runGit, writeFiles } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { CoverageReport } from '../report/coverage.js';
import type { Manifest } from '../tree/manifest.js';
import { crossOriginWarnings } from './cross-origin.js';
import { type DeltawarmViteOptions, deltawarm } from './index.js';

/** A two-file app in a git repository, built by real Vite with the plugin; returns the repo and what Vite warned. */
async function viteBuild(options: DeltawarmViteOptions, config: InlineConfig = {}, files: Record<string, string> = {}): Promise<{ dir: string; warnings: string[] }> {
  const dir = makeTempDir('deltawarm-vite-plugin-');
  runGit(dir, ['init', '-q', '-b', 'main']);
  writeFiles(dir, {
    'index.html': '<!doctype html><html><head><title>t</title></head><body><script type="module" src="/main.js"></script></body></html>',
    'main.js': "document.body.append('hello')\n",
    '.gitignore': 'dist\n',
    ...files,
  });
  commitAll(dir, 'app', 3600);
  const warnings: string[] = [];
  const logger: Logger = { ...createLogger('silent'), warn: (message) => void warnings.push(message) };
  await build({ root: dir, configFile: false, logLevel: 'silent', customLogger: logger, plugins: [deltawarm(options)], ...config });
  return { dir, warnings };
}

const read = (dir: string, path: string) => readFileSync(join(dir, 'dist', path), 'utf8');

describe('deltawarm/vite in a real Vite build', () => {
  it("base /: the worker at the root, configured with the base, registered first in the head; no warning without CDNs", async () => {
    const { dir, warnings } = await viteBuild({});
    expect(read(dir, 'deltawarm-sw.js')).toMatch(/^self\.deltawarmSw = \{"base":"\/"\};\n/);
    expect(read(dir, 'index.html')).toMatch(/<head>\s*<script>navigator\.serviceWorker\?\.register\("\/deltawarm-sw\.js"\)<\/script>/);
    expect(warnings).toEqual([]);
  });

  it('a relative base registers beside the page and warns that the worker takes the site to be at /', async () => {
    const { dir, warnings } = await viteBuild({}, { base: './' });
    expect(read(dir, 'index.html')).toContain('register("./deltawarm-sw.js")');
    expect(read(dir, 'deltawarm-sw.js')).toMatch(/^self\.deltawarmSw = \{\};\n/);
    expect(warnings).toEqual([expect.stringMatching(/^deltawarm: Vite's base "\.\/" is relative/)]);
  });

  it('an absolute base keeps the worker on the site root and says so; manifest and register options are honoured', async () => {
    const { dir, warnings } = await viteBuild({ manifest: '/static/manifest/latest.json', register: false }, { base: 'https://assets.example.com/app/' });
    expect(read(dir, 'deltawarm-sw.js')).toMatch(/^self\.deltawarmSw = \{"base":"https:\/\/assets\.example\.com\/app\/","manifest":"\/static\/manifest\/latest\.json"\};\n/);
    expect(read(dir, 'index.html')).not.toContain('serviceWorker');
    expect(warnings).toEqual([expect.stringMatching(/^deltawarm: Vite's base https:\/\/assets\.example\.com\/app\/ is another origin: .*site's root/)]);
  });

  it("CDNs come from deltawarm.config.json; one on the site's origin needs no CORS, another does", async () => {
    const config = JSON.stringify({ cdns: ['https://www.example.com/static/', 'https://cdn-b.example.net/static/'] });
    const known = await viteBuild({ origin: 'https://www.example.com' }, {}, { 'deltawarm.config.json': config });
    expect(known.warnings).toEqual([expect.stringMatching(/^deltawarm: the worker fetches patches and full files from https:\/\/cdn-b\.example\.net, not the site's origin https:\/\/www\.example\.com: .*Access-Control-Allow-Origin/)]);
    const unknown = await viteBuild({}, {}, { 'deltawarm.config.json': config });
    expect(unknown.warnings[0]).toMatch(/from https:\/\/www\.example\.com, https:\/\/cdn-b\.example\.net, another origin than the site/);
  });

  it('an SSR build writes no worker', async () => {
    const { dir } = await viteBuild({}, { build: { ssr: 'main.js' } });
    expect(existsSync(join(dir, 'dist/deltawarm-sw.js'))).toBe(false);
  });
});

describe('cross-origin warnings', () => {
  it('a manifest on another origin is named; same-origin and relative manifests are not', () => {
    expect(crossOriginWarnings({ cdns: [], manifest: 'https://cdn.example/manifest/latest.json', origin: 'https://www.example.com' })).toEqual([expect.stringMatching(/reads the manifest from https:\/\/cdn\.example: it needs CORS/)]);
    expect(crossOriginWarnings({ cdns: [], manifest: 'https://www.example.com/m/latest.json', origin: 'https://www.example.com/' })).toEqual([]);
    expect(crossOriginWarnings({ cdns: [], manifest: '/m/latest.json', origin: undefined })).toEqual([]);
  });
});

describe('build and push with the plugin output in --dir', () => {
  it("publish the plugin's worker beside the manifest, never as an asset; --sw besides is a usage error", async () => {
    const { dir } = await viteBuild({});
    const out = join(makeTempDir(), 'site');
    const run = await runCli(['build', '--dir', 'dist', '--assets', '**/*.js', '--out', out, '--json', '--quiet', '--concurrency', '1'], dir);
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest/latest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.assets)).toEqual(['assets/index.js']);
    expect(readFileSync(join(out, 'deltawarm-sw.js'), 'utf8')).toBe(read(dir, 'deltawarm-sw.js'));
    expect((JSON.parse(run.stdout) as CoverageReport).notes).toContain("deltawarm-sw.js under --dir is deltawarm's service worker (from deltawarm/vite): not an asset; build and push publish it beside the manifest");

    const both = await runCli(['push', '--dry-run', '--bucket', 'site-bucket', '--dir', 'dist', '--assets', '**/*.js', '--sw', '--quiet'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^deltawarm: --dir .*dist holds deltawarm-sw\.js from the Vite plugin \(deltawarm\/vite\): leave out --sw/);
  });

  it("a deltawarm-sw.js of the app's own (not deltawarm's) stays an ordinary asset", async () => {
    const { dir } = await viteBuild({}, {}, {});
    writeFileSync(join(dir, 'dist/deltawarm-sw.js'), 'self.addEventListener("fetch", () => {});\n');
    const out = join(makeTempDir(), 'site');
    const run = await runCli(['build', '--dir', 'dist', '--assets', '**/*.js', '--out', out, '--quiet', '--concurrency', '1'], dir);
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest/latest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.assets).sort()).toEqual(['assets/index.js', 'deltawarm-sw.js']);
    expect(existsSync(join(out, 'deltawarm-sw.js'))).toBe(false);
  });
});
