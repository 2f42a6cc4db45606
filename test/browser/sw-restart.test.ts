import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { join } from 'node:path';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import type { SwReport } from '../../src/sw/options.js';
import { keyToUrlPath } from '../../src/tree/layout.js';
import { chromiumAvailable, launchPersistentChromium } from './chromium.js';
import { type SeriesDeploy, buildDeploySeries, expectedState, loadedState } from './deploy-series.js';
import { StaticServer } from './static-server.js';

/**
 * The way issue 13 saw deploys missed: one persistent browser profile, the browser closed and
 * started again before every revisit (so the worker starts cold and reads its stored manifest
 * while the navigation reads the fresh one), no latency added to the manifest, deploy after
 * deploy with changed JS and CSS. Every revisit must patch every changed asset it requests and
 * post a report for each asset.
 */

const DEPLOYS = 21;
const CHUNKS = 6;

let site: StaticServer;
let cdn: StaticServer;
let series: SeriesDeploy[];
let profile: string;

describe.skipIf(!chromiumAvailable())('service worker across browser restarts, deploy after deploy', () => {
  beforeAll(async () => {
    const tree = makeTempDir('deltawarm-sw-restart-');
    [site, cdn] = await Promise.all([StaticServer.start(tree), StaticServer.start(tree)]);
    series = await buildDeploySeries({ tree, repo: makeTempDir('deltawarm-sw-restart-repo-'), cdns: [cdn.url], deploys: DEPLOYS, chunks: CHUNKS, changedPerDeploy: 2, moduleSize: 6000, versions: 3 });
    profile = join(makeTempDir('deltawarm-sw-profile-'), 'profile');
  }, 400_000);

  afterAll(async () => {
    await Promise.all([site?.close(), cdn?.close()]);
  });

  const serve = (n: number) => {
    site.pages.set('/index.html', series[n - 1]!.html);
    site.pages.set('/manifest/latest.json', series[n - 1]!.manifestText);
    site.pages.set('/manifest/head.json', series[n - 1]!.headText);
  };

  /** Starts the browser on the profile, opens the site, waits until deploy `n` rendered (and, controlled, `reports` reports arrived); closes the browser. */
  const visit = async (n: number, reports: number) => {
    const browser: BrowserContext = await launchPersistentChromium(profile);
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(`${site.url}index.html`);
      const expected = expectedState(series, n);
      await page.waitForFunction(`JSON.stringify(Object.entries(${loadedState}).sort()) === ${JSON.stringify(JSON.stringify(Object.entries(expected).sort()))}`, undefined, { timeout: 15_000 });
      await page.waitForFunction('navigator.serviceWorker.controller !== null');
      // Missing reports are what a missed deploy looks like: collected and reported below, not a timeout.
      await page.waitForFunction(`window.swReports.length >= ${reports}`, undefined, { timeout: 3000 }).catch(() => undefined);
      await page.waitForTimeout(100); // a report posted after the ones awaited would be an extra answer
      return await page.evaluate(() => (window as unknown as { swReports: SwReport[] }).swReports);
    } finally {
      await browser.close();
    }
  };

  it(`patches every changed asset on each of ${DEPLOYS - 1} revisits, the browser restarted before each`, async () => {
    serve(1);
    await visit(1, 0);
    const missed: string[] = [];
    for (let n = 2; n <= DEPLOYS; n++) {
      serve(n);
      site.log.length = cdn.log.length = 0;
      const deploy = series[n - 1]!;
      const before = series[n - 2]!.manifest.assets;
      const assets = Object.keys(deploy.urls);
      const reports = await visit(n, assets.length);
      const modes = Object.fromEntries(reports.map((report) => [report.path, report.mode]));
      const want = Object.fromEntries(assets.map((path) => [path, deploy.changed.includes(path) ? 'patch' : 'cache']));
      // Only patches crossed the network, each once; no asset went to the site whole.
      const patches = deploy.changed.map((path) => `/${decodeURIComponent(keyToUrlPath(deploy.manifest.assets[path]!.patches[before[path]!.version]!.key))}`);
      const whole = site.log.filter((entry) => entry.path.startsWith('/assets/')).map((entry) => entry.path);
      const sameModes = JSON.stringify(Object.entries(modes).sort()) === JSON.stringify(Object.entries(want).sort());
      const onlyPatches = JSON.stringify(cdn.log.map((entry) => entry.path).sort()) === JSON.stringify(patches.sort());
      if (!sameModes || !onlyPatches || whole.length || reports.length !== assets.length)
        missed.push(`deploy ${n}: reports ${JSON.stringify(reports.map((r) => [r.path, r.mode, r.error]))}; CDN ${JSON.stringify(cdn.log.map((e) => e.path))}; site ${JSON.stringify(whole)}`);
    }
    expect(missed).toEqual([]);
  }, 600_000);
});
