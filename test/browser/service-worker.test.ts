import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import { encodeDeltaPatch } from '../../src/patch/delta-form.js';
import { keyToUrlPath } from '../../src/tree/layout.js';
import type { SwReport } from '../../src/sw/options.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { StaticServer } from './static-server.js';
import { type WebAppDeploy, buildWebAppDeploys } from './web-app-trees.js';

/**
 * deltawarm-sw.js in headless Chromium, under the fixture web app (real esbuild output: ES
 * module chunks, a dynamic import, CSS with a url() to an image), against built-mode trees of
 * three deploys served by the site's origin and two local CDNs.
 */

const ORDERS = [
  { id: 'a1', customer: 'Ada', placedAt: Date.UTC(2026, 0, 2), totalCents: 1250, items: [1, 2] },
  { id: 'b2', customer: 'Bob', placedAt: Date.UTC(2026, 0, 3), totalCents: 990, items: [1] },
];

let browser: Browser;
let site: StaticServer;
let cdnA: StaticServer;
let cdnB: StaticServer;
let deploys: WebAppDeploy[];
let context: BrowserContext;

/** What the page shows and what the worker reported. */
interface Seen {
  totals: string[];
  logo: string;
  reports: SwReport[];
  corrupted: boolean;
}

describe.skipIf(!chromiumAvailable())('service worker runtime in Chromium', () => {
  beforeAll(async () => {
    const tree = makeTempDir('deltawarm-sw-site-');
    [site, cdnA, cdnB] = await Promise.all([StaticServer.start(tree), StaticServer.start(tree), StaticServer.start(tree)]);
    deploys = await buildWebAppDeploys([cdnA.url, cdnB.url], tree, 3);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), cdnA?.close(), cdnB?.close()]);
  });

  beforeEach(async () => {
    context = await browser.newContext();
  });

  afterEach(async () => {
    await context.close();
    await Promise.all([site.reset(), cdnA.reset(), cdnB.reset()]);
  });

  /** Makes the site serve deploy `n` (1-based): its index.html and manifest/latest.json. */
  const deploy = (n: number, manifest = n) => {
    site.pages.set('/index.html', deploys[n - 1]!.html);
    site.pages.set('/manifest/latest.json', deploys[manifest - 1]!.manifestText);
    site.pages.set('/manifest/head.json', deploys[manifest - 1]!.headText);
    site.pages.set('/api/orders', JSON.stringify(ORDERS));
  };

  const clearLogs = () => {
    for (const server of [site, cdnA, cdnB]) server.log.length = 0;
  };

  /** Opens the app and waits until it rendered its orders, the worker controls it and `reports` reports arrived. */
  const open = async (page: Page, { query = '', reports = 3 } = {}): Promise<Seen> => {
    await page.goto(`${site.url}index.html${query}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null && document.querySelectorAll('.order__total').length === 2);
    return seen(page, reports);
  };

  /** The page's state once `reports` reports arrived (they are posted as each response completes). */
  const seen = async (page: Page, reports: number): Promise<Seen> => {
    await page.waitForFunction((count) => (window as unknown as { swReports: unknown[] }).swReports.length >= count, reports);
    return page.evaluate(() => {
      const w = window as unknown as { swReports: SwReport[]; corrupted?: boolean };
      return {
        totals: [...document.querySelectorAll('.order__total')].map((element) => element.textContent ?? ''),
        logo: getComputedStyle(document.querySelector('.logo')!).backgroundImage,
        reports: w.swReports,
        corrupted: w.corrupted === true,
      };
    });
  };

  /** The visit beacons (SPEC §14) CDN A logged: its only requests under `manifest/`. */
  const beacons = () => cdnA.log.filter((entry) => entry.path.startsWith('/manifest/')).map((entry) => entry.path);

  /**
   * First visit: installs the worker, which stores every text asset of the manifest before it
   * takes over, then sends that visit's beacon; returns once CDN A logged it, so that it is not
   * counted among a later step's requests.
   */
  const install = async (n: number) => {
    deploy(n);
    const page = await context.newPage();
    await page.goto(`${site.url}index.html`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await expect.poll(beacons).toEqual([`/manifest/${deploys[n - 1]!.release}.json`]);
    return page;
  };

  const textAssets = (n: number) => Object.entries(deploys[n - 1]!.manifest.assets).filter(([, asset]) => asset.text);
  const cdnPath = (key: string) => `/${decodeURIComponent(keyToUrlPath(key))}`;
  const urlsOf = (n: number) => textAssets(n).map(([, asset]) => `/${asset.url}`);
  const requested = (server: StaticServer) => server.log.map((entry) => entry.path);
  const byPath = (reports: SwReport[]) => Object.fromEntries(reports.map((report) => [report.path, report.mode]));
  const stored = (page: Page) =>
    page.evaluate(async () => {
      const cache = await caches.open('deltawarm');
      const entries = (await cache.keys()).map(async ({ url }) => [decodeURIComponent(url.slice(url.indexOf('deltawarm-cache/') + 16)), (await cache.match(url))!.headers.get('x-deltawarm-version')]);
      return Object.fromEntries(await Promise.all(entries)) as Record<string, string | null>;
    });

  it('first visit: the worker installs and stores every text asset, full files from CDN A; a revisit is served from the cache', async () => {
    const page = await install(1);
    expect(requested(cdnA).filter((path) => !beacons().includes(path)).sort()).toEqual(textAssets(1).map(([, asset]) => cdnPath(asset.full)).sort());
    expect(cdnB.log).toEqual([]);
    expect(await stored(page)).toEqual(Object.fromEntries([...textAssets(1).map(([path, asset]) => [`asset/${path}`, asset.version]), ['manifest', null]]));

    clearLogs();
    const again = await open(page);
    expect(again.totals).toEqual(['$9.90', '$12.50']);
    // the style sheet's url() resolved against the asset's own URL, and the image loaded
    const logo = /\/assets\/logo-[A-Z0-9]{8}\.png/.exec(again.logo)![0];
    expect(again.logo).toBe(`url("${site.url}${logo.slice(1)}")`);
    expect(site.log.filter((entry) => entry.path === logo).map((entry) => entry.status)).toEqual([200]);
    expect(byPath(again.reports)).toEqual({ 'assets/index.js': 'cache', 'assets/chunk.js': 'cache', 'assets/index.css': 'cache' });
    expect([...cdnA.log, ...cdnB.log]).toEqual([]);
    expect(requested(site).filter((path) => urlsOf(1).includes(path))).toEqual([]);
    await page.click('.settings');
    await page.waitForSelector('.settings-dialog');
    const afterImport = await seen(page, 4);
    expect(afterImport.reports.find((report) => report.path === 'assets/settings.js')).toMatchObject({ mode: 'cache', bytes: 0 });
  });

  it('next deploy: only patches cross the network, and the page renders the new version', async () => {
    const page = await install(1);
    deploy(2);
    clearLogs();
    const next = await open(page);
    expect(next.totals).toEqual(['€9.90', '€12.50']);
    const changed = textAssets(2).filter(([path, asset]) => asset.version !== deploys[0]!.manifest.assets[path]!.version);
    const patches = changed.filter(([path]) => path !== 'assets/settings.js').map(([path, asset]) => asset.patches[deploys[0]!.manifest.assets[path]!.version]!);
    expect(requested(cdnA).sort()).toEqual(patches.map((patch) => cdnPath(patch.key)).sort());
    expect(cdnB.log).toEqual([]);
    expect(requested(site).filter((path) => path.startsWith('/assets/') && !path.endsWith('.png'))).toEqual([]);
    expect(next.reports.map((report) => [report.path, report.mode, report.bytes]).sort()).toEqual(
      textAssets(2)
        .filter(([path]) => path !== 'assets/settings.js')
        .map(([path, asset]) => {
          const patch = asset.patches[deploys[0]!.manifest.assets[path]!.version];
          return patch ? [path, 'patch', patch.size] : [path, 'cache', 0];
        })
        .sort(),
    );
    expect((await stored(page))['asset/assets/index.js']).toBe(deploys[1]!.manifest.assets['assets/index.js']!.version);
  });

  it('corrupt patch on both CDNs and a corrupt full file on CDN A: the full file from CDN B, corrupt text never served', async () => {
    const page = await install(1);
    deploy(2);
    const entry = deploys[1]!.manifest.assets['assets/index.js']!;
    const old = deploys[0]!.manifest.assets['assets/index.js']!;
    const patch = entry.patches[old.version]!;
    // A well-formed patch (the default delta form) whose result is other text of the right length.
    expect(deploys[1]!.manifest.patchFormat).toBe('delta');
    const text = (key: string) => readFileSync(join(site.root, keyToUrlPath(key)), 'utf8');
    const evil = 'window.corrupted = true;//';
    const corrupt = encodeDeltaPatch([evil.padEnd(text(entry.full).length, 'x')], text(old.full).length);
    for (const cdn of [cdnA, cdnB]) cdn.overrides.set(cdnPath(patch.key), corrupt);
    cdnA.overrides.set(cdnPath(entry.full), evil);
    clearLogs();
    const next = await open(page);
    expect(next.corrupted).toBe(false);
    expect(next.totals).toEqual(['€9.90', '€12.50']);
    const report = next.reports.find((r) => r.path === 'assets/index.js')!;
    expect([report.mode, report.cdn, report.bytes]).toEqual(['full', cdnB.url, entry.size]);
    expect(report.error).toBe(
      [`${cdnA.url}${keyToUrlPath(patch.key)}: integrity mismatch`, `${cdnB.url}${keyToUrlPath(patch.key)}: integrity mismatch`, `${cdnA.url}${keyToUrlPath(entry.full)}: integrity mismatch`].join('; '),
    );
  });

  it('every CDN down: the original requests go to the network and the page renders the new version', async () => {
    const page = await install(1);
    deploy(2);
    await cdnA.setMode('refuse');
    await cdnB.setMode('error500');
    clearLogs();
    const next = await open(page);
    expect(next.totals).toEqual(['€9.90', '€12.50']);
    const modes = byPath(next.reports);
    const changed = Object.keys(modes).filter((path) => deploys[1]!.manifest.assets[path]!.version !== deploys[0]!.manifest.assets[path]!.version);
    expect(changed.length).toBeGreaterThan(0);
    for (const path of Object.keys(modes)) expect(modes[path]).toBe(changed.includes(path) ? 'network' : 'cache');
    expect(requested(site).filter((path) => path.startsWith('/assets/') && !path.endsWith('.png')).sort()).toEqual(changed.map((path) => `/${deploys[1]!.manifest.assets[path]!.url}`).sort());
  });

  it('a CDN without CORS is reported as refused by CORS, a CDN that is down as a network error, and the page still works', async () => {
    const page = await install(1);
    deploy(2);
    cdnA.allowOrigin = null;
    await cdnB.setMode('refuse');
    clearLogs();
    const next = await open(page);
    expect(next.totals).toEqual(['€9.90', '€12.50']);
    const failed = next.reports.filter((report) => report.mode === 'network');
    expect(failed.length).toBeGreaterThan(0);
    const origin = new URL(site.url).origin;
    for (const report of failed) {
      const reasons = report.error!.split('; ');
      expect(reasons.length, report.error).toBe(4); // the patch and the full file, through each CDN
      for (const reason of reasons) {
        if (reason.startsWith(cdnA.url)) expect(reason).toMatch(new RegExp(`: refused by CORS: no Access-Control-Allow-Origin for ${origin}$`));
        else expect(reason).toMatch(/: network error \(Failed to fetch\)$/);
      }
    }
  });

  it('a report\'s bytes are those received: a CDN that gzips reports the compressed size; ms is rounded to 0.1 ms', async () => {
    const page = await install(1);
    deploy(2);
    cdnA.gzipLevel = 6;
    clearLogs();
    const next = await open(page);
    expect(next.totals).toEqual(['€9.90', '€12.50']);
    const patched = next.reports.filter((report) => report.mode === 'patch');
    expect(patched.length).toBeGreaterThan(0);
    for (const report of patched) {
      const sent = cdnA.log.find((entry) => entry.path === cdnPath(deploys[1]!.manifest.assets[report.path]!.patches[deploys[0]!.manifest.assets[report.path]!.version]!.key))!;
      expect(report.bytes).toBe(sent.bytes);
    }
    for (const report of next.reports) expect(Math.round(report.ms * 10) / 10).toBe(report.ms);
  });

  it('offline revisit: the manifest unreadable and every CDN down, the last good manifest and the cache serve the page; offline, a dynamic import still works', async () => {
    const page = await install(1);
    site.pages.set('/manifest/latest.json', 'offline');
    site.pages.set('/manifest/head.json', 'offline');
    await cdnA.setMode('refuse');
    await cdnB.setMode('refuse');
    const again = await open(page);
    expect(again.totals).toEqual(['$9.90', '$12.50']);
    expect(new Set(Object.values(byPath(again.reports)))).toEqual(new Set(['cache']));
    await context.setOffline(true);
    await page.click('.settings');
    await page.waitForSelector('.settings-dialog');
    expect((await seen(page, 4)).reports.find((report) => report.path === 'assets/settings.js')?.mode).toBe('cache');
  });

  it('storage that throws: every asset request goes to the network, and the page works', async () => {
    site.pages.set('/throwing-sw.js', `caches.open = () => Promise.reject(new DOMException('storage is full', 'QuotaExceededError'));\n${readFileSync(join(site.root, 'deltawarm-sw.js'), 'utf8')}`);
    deploy(1);
    const page = await context.newPage();
    await page.goto(`${site.url}index.html?sw=/throwing-sw.js`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    clearLogs();
    const again = await open(page, { query: '?sw=/throwing-sw.js' });
    expect(again.totals).toEqual(['$9.90', '$12.50']);
    expect(again.reports.map((report) => [report.mode, report.error])).toEqual(again.reports.map(() => ['network', 'storage is full']));
    expect(requested(site).filter((path) => urlsOf(1).includes(path)).length).toBe(again.reports.length);
  });

  it('a URL the manifest does not know (a newer deploy than the manifest) goes to the network untouched, with a report saying why', async () => {
    const page = await install(1);
    deploy(3, 1);
    clearLogs();
    const unknown = urlsOf(3).filter((url) => !urlsOf(1).includes(url) && !url.includes('settings'));
    expect(unknown.length).toBeGreaterThan(0);
    const next = await open(page, { reports: unknown.length });
    expect(next.totals).toEqual(['€9.90', '€12.50']);
    for (const url of unknown) expect(requested(site)).toContain(url);
    const passed = next.reports.filter((report) => report.path === '');
    expect(passed.map((report) => [new URL(report.url).pathname, report.mode, report.error]).sort()).toEqual(unknown.map((url) => [url, 'network', `not in manifest ${deploys[0]!.release}`]).sort());
    expect(next.reports.filter((report) => report.path !== '').every((report) => report.mode === 'cache')).toBe(true);
    expect([...cdnA.log, ...cdnB.log]).toEqual([]);
  });
});
