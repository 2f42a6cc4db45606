import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, makeTempDir, runGit } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { CoverageReport } from '../../src/report/coverage.js';
import type { SwReport } from '../../src/sw/options.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { StaticServer } from './static-server.js';

/**
 * The Vite target of issue 15, as a new user takes it: `create-vite` scaffolds the vanilla
 * template (its real CLI, from this package's devDependencies: `npm create vite` would fetch the
 * same package), and the only files written by hand are vite.config.js with the plugin line and
 * deltawarm.config.json. `npm install` is replaced by links into this checkout's node_modules
 * (the machine has no registry access in tests); deltawarm is linked as installed, so
 * `deltawarm/vite` resolves through the package's exports. Each deploy is `npm run build`
 * (vite build, base /app/ given on the command line), `deltawarm build` into the site's
 * directory in CI mode, and a copy of dist/ there (standing for the user's upload tool).
 */

const ROOT = join(import.meta.dirname, '../..');
const BASE = '/app/';

const VITE_CONFIG = `import { defineConfig } from 'vite'
import deltawarm from 'deltawarm/vite'

export default defineConfig({ plugins: [deltawarm()] })
`;

function scaffold(): string {
  const parent = makeTempDir('deltawarm-vite-');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/create-vite/index.js'), 'app', '--template', 'vanilla', '--no-interactive'], { cwd: parent, stdio: 'pipe' });
  const app = join(parent, 'app');
  mkdirSync(join(app, 'node_modules/.bin'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules/vite'), join(app, 'node_modules/vite'));
  symlinkSync(ROOT, join(app, 'node_modules/deltawarm'));
  symlinkSync('../vite/bin/vite.js', join(app, 'node_modules/.bin/vite'));
  return app;
}

interface Deploy {
  release: string;
  viteOutput: string;
  report: CoverageReport;
}

/** One deploy: commit, vite build, deltawarm build (CI) into the site's tree, then the site's own upload. */
async function deploy(app: string, siteDir: string, n: number, extra: string[] = []): Promise<Deploy> {
  const release = commitAll(app, `deploy ${n}`, n * 3600);
  const vite = spawnSync('npm', ['run', 'build', '--', '--base', BASE], { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(vite.status, vite.stderr).toBe(0);
  const run = await runCli(['build', '--out', siteDir, '--json', '--quiet', '--concurrency', '1', ...extra], app, { CI: 'true' });
  expect(run.code, run.stderr).toBe(0);
  cpSync(join(app, 'dist'), siteDir, { recursive: true });
  return { release, viteOutput: vite.stdout + vite.stderr, report: JSON.parse(run.stdout) as CoverageReport };
}

const reportsOf = (page: Page) => page.evaluate(() => (window as unknown as { swReports: SwReport[] }).swReports);

describe.skipIf(!chromiumAvailable())('deltawarm/vite: from create-vite to a worker patching the second deploy', () => {
  let browser: Browser;
  let site: StaticServer;
  let cdn: StaticServer;
  let app: string;
  let siteDir: string;
  const deploys: Deploy[] = [];

  beforeAll(async () => {
    const root = makeTempDir('deltawarm-vite-site-');
    siteDir = join(root, 'app');
    mkdirSync(siteDir);
    [site, cdn] = await Promise.all([StaticServer.start(root), StaticServer.start(root)]);
    app = scaffold();
    runGit(app, ['init', '-q', '-b', 'main']);
    writeFileSync(join(app, 'vite.config.js'), VITE_CONFIG);
    writeFileSync(join(app, 'deltawarm.config.json'), JSON.stringify({ dir: 'dist', assets: ['**/*.{js,css}'], cdns: [`${cdn.url}app/`], versions: 5 }, null, 2));
    deploys.push(await deploy(app, siteDir, 1, ['--first-deploy']));
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), cdn?.close()]);
  });

  it('vite build writes the worker configured with base, registers it in index.html, and warns that the CDN needs CORS', () => {
    const [first] = deploys as [Deploy];
    const html = readFileSync(join(app, 'dist/index.html'), 'utf8');
    expect(html).toContain(`<script>navigator.serviceWorker?.register("${BASE}deltawarm-sw.js")</script>`);
    expect(readFileSync(join(app, 'dist/deltawarm-sw.js'), 'utf8')).toMatch(/^self\.deltawarmSw = \{"base":"\/app\/"\};\n/);
    expect(first.viteOutput).toContain(`deltawarm: the worker fetches patches and full files from ${new URL(cdn.url).origin}, another origin than the site`);
    expect(first.report.notes.join('\n')).toMatch(/first deploy to .*: full files only; patches start with the next deploy/);
    expect(first.report.notes.join('\n')).toMatch(/deltawarm-sw\.js under --dir is deltawarm's service worker .*not an asset/);
    const manifest = JSON.parse(readFileSync(join(siteDir, 'manifest/latest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.assets).sort()).toEqual(['assets/index.css', 'assets/index.js']);
    expect(readFileSync(join(siteDir, 'deltawarm-sw.js'), 'utf8')).toBe(readFileSync(join(app, 'dist/deltawarm-sw.js'), 'utf8'));
  });

  it('the page registers the worker; after the second deploy the changed entry script arrives as a patch from the CDN', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { swReports: unknown[] };
      w.swReports = [];
      navigator.serviceWorker.addEventListener('message', (event) => w.swReports.push(event.data));
      navigator.serviceWorker.startMessages();
    });
    await page.goto(`${site.url}app/index.html`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null && document.querySelector('#counter')?.textContent === 'Count is 0');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${site.url}app/deltawarm-sw.js`);

    writeFileSync(join(app, 'src/counter.js'), readFileSync(join(app, 'src/counter.js'), 'utf8').replace('Count is', 'Clicked'));
    const second = await deploy(app, siteDir, 2);
    expect(second.report.totals.patches).toBe(1);
    cdn.log.length = 0;

    await page.reload();
    await page.waitForFunction(() => document.querySelector('#counter')?.textContent === 'Clicked 0');
    await page.waitForFunction(() => (window as unknown as { swReports: SwReport[] }).swReports.some((report) => report.path === 'assets/index.js'));
    const byPath = Object.fromEntries((await reportsOf(page)).map((report) => [report.path, report]));
    expect(byPath['assets/index.js']?.mode).toBe('patch');
    expect(byPath['assets/index.css']?.mode ?? 'cache').toBe('cache');
    const manifest = JSON.parse(readFileSync(join(siteDir, 'manifest/latest.json'), 'utf8')) as Manifest;
    const patch = manifest.assets['assets/index.js']?.patches[deploys[0]!.release];
    expect(patch).toBeDefined();
    expect(cdn.log.map((entry) => entry.path)).toContain(`/app/${patch!.key}`);
    expect(byPath['assets/index.js']?.bytes).toBe(patch!.size);
    expect(patch!.size).toBeLessThan(manifest.assets['assets/index.js']!.size / 10);
    const fullRequests = cdn.log.filter((entry) => entry.path.includes('/full/'));
    expect(fullRequests).toEqual([]);
    await context.close();
  });
});
