/**
 * What the worker downloads to learn about a deploy (issue 13, SPEC §12): the head and the
 * changes object since the release it holds, against the full manifest it read before; and a
 * whole revisit after a deploy (that, plus the patches of the changed assets) against plain
 * HTTP caching (content-hashed URLs, immutable caching: every changed file downloaded whole).
 *
 *   - a code-split app of 300 chunks (+ entry + style sheet), 12 assets changed per deploy,
 *     10-deploy windows (`--versions 10`), measured on deploys 12..14 (full windows);
 *   - a small app of 4 assets (entry, 2 chunks, style sheet), 3 changed per deploy.
 *
 * Sizes are gzip (level 6, as a CDN compresses) of the bodies the tree holds. The last deploy
 * of each app is then revisited in headless Chromium with the worker, to check that it fetched
 * exactly the head, the changes object and the patches (and to count the bytes the servers sent).
 *
 *   npm run build && node --import tsx bench/sw-manifest.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from '../fixtures/git-fixture.js';
import type { SwReport } from '../src/sw/options.js';
import { keyToUrlPath } from '../src/tree/layout.js';
import { changesKey } from '../src/tree/manifest-changes.js';
import { launchChromium } from '../test/browser/chromium.js';
import { type SeriesDeploy, buildDeploySeries } from '../test/browser/deploy-series.js';
import { StaticServer } from '../test/browser/static-server.js';

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
const gz = (file: string) => gzipSync(readFileSync(file)).length;

interface App {
  label: string;
  chunks: number;
  changedPerDeploy: number;
  deploys: number;
  measured: number[];
}

const APPS: App[] = [
  { label: '300 chunks, 12 changed per deploy, --versions 10', chunks: 300, changedPerDeploy: 10, deploys: 14, measured: [12, 13, 14] },
  { label: '4 assets, 3 changed per deploy, --versions 10', chunks: 2, changedPerDeploy: 1, deploys: 14, measured: [12, 13, 14] },
];

const browser = await launchChromium();
for (const app of APPS) await measure(app);
await browser.close();

async function measure(app: App): Promise<void> {
  const tree = makeTempDir('deltawarm-bench-manifest-');
  const [site, cdn] = await Promise.all([StaticServer.start(tree), StaticServer.start(tree)]);
  const started = performance.now();
  const series = await buildDeploySeries({ tree, repo: makeTempDir('deltawarm-bench-manifest-repo-'), cdns: [cdn.url], deploys: app.deploys, chunks: app.chunks, changedPerDeploy: app.changedPerDeploy, moduleSize: 3000, versions: 10 });
  console.log(`\n${app.label} (${app.deploys} deploys built in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log('deploy  changed  full manifest  head + changes  patches   revisit (worker)  plain HTTP  manifest share  worker / plain');
  for (const n of app.measured) {
    const [before, deploy] = [series[n - 2]!, series[n - 1]!];
    const full = gz(join(tree, 'manifest', `${deploy.release}.json`));
    const head = gzipSync(deploy.headText).length + gz(join(tree, changesKey(before.release, deploy.release)));
    const patches = deploy.changed.reduce((sum, path) => sum + gz(join(tree, keyToUrlPath(deploy.manifest.assets[path]!.patches[before.manifest.assets[path]!.version]!.key))), 0);
    const plain = deploy.changed.reduce((sum, path) => sum + gz(join(tree, deploy.urls[path]!)), 0);
    const revisit = head + patches;
    console.log(
      `${n - 1} -> ${n}`.padEnd(8) +
        String(deploy.changed.length).padStart(7) +
        kb(full).padStart(15) +
        kb(head).padStart(16) +
        kb(patches).padStart(10) +
        kb(revisit).padStart(18) +
        kb(plain).padStart(12) +
        `${((100 * head) / revisit).toFixed(1)} %`.padStart(16) +
        `${((100 * revisit) / plain).toFixed(1)} %`.padStart(16),
    );
  }
  await browserRevisit(site, cdn, series);
  await Promise.all([site.close(), cdn.close()]);
}

/** The last deploy revisited by a worker that holds the one before: what it requested, and the bytes sent. */
async function browserRevisit(site: StaticServer, cdn: StaticServer, series: SeriesDeploy[]): Promise<void> {
  const serve = (deploy: SeriesDeploy) => {
    site.pages.set('/index.html', deploy.html);
    site.pages.set('/manifest/latest.json', deploy.manifestText);
    site.pages.set('/manifest/head.json', deploy.headText);
  };
  const [before, last] = series.slice(-2) as [SeriesDeploy, SeriesDeploy];
  const context = await browser.newContext();
  const page = await context.newPage();
  serve(before);
  await page.goto(`${site.url}index.html`);
  await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 120_000 });
  serve(last);
  site.log.length = cdn.log.length = 0;
  await page.goto(`${site.url}index.html`);
  const assets = Object.keys(last.urls).length;
  await page.waitForFunction(`window.swReports.length >= ${assets}`, undefined, { timeout: 60_000 });
  const reports = await page.evaluate(() => (window as unknown as { swReports: SwReport[] }).swReports);
  await context.close();
  const manifestRequests = site.log.filter((entry) => entry.path.startsWith('/manifest/'));
  const modes = reports.reduce<Record<string, number>>((count, report) => ({ ...count, [report.mode]: (count[report.mode] ?? 0) + 1 }), {});
  const sent = (entries: typeof site.log) => entries.reduce((sum, entry) => sum + entry.bytes, 0);
  console.log(
    `Chromium revisit ${series.length - 1} -> ${series.length}: manifest requests ${manifestRequests.map((entry) => `${entry.path.replace(/[0-9a-f]{40}/g, (sha) => sha.slice(0, 7))} (${entry.bytes} B)`).join(', ')}; ` +
      `reports ${JSON.stringify(modes)}; CDN requests ${cdn.log.length} (${sent(cdn.log)} B raw), site asset requests ${site.log.filter((entry) => entry.path.startsWith('/assets/')).length}`,
  );
}
