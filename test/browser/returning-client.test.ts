import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import type { CoverageReport } from '../../src/report/coverage.js';
import { keyToUrlPath } from '../../src/tree/layout.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { type LoggedRequest, StaticServer } from './static-server.js';
import { REGISTER, type WebAppDeploy, buildWebAppDeploys } from './web-app-trees.js';

/**
 * The report's figure per returning client against what real Chromium downloads. Six built
 * deploys of the fixture web app (deploy 5 changes no built file), each published with
 * `deltawarm build --dir dist --sw`; the report of deploy 6 says what a client 1..5 deploys
 * behind downloads. For each, a fresh browser installs the worker at that deploy, then visits
 * deploy 6 and opens every part of the app; the servers' logs say what crossed the network.
 * The servers gzip at level 1 (nginx's default), the report at level 6: the two agree within
 * the difference between those levels on the bodies the report counts, which the test works
 * out from the tree.
 */

const DEPLOYS = 6;
const SERVER_GZIP_LEVEL = 1;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ORDERS = [{ id: 'a1', customer: 'Ada', placedAt: Date.UTC(2026, 0, 2), totalCents: 1250, items: [1, 2] }];

let browser: Browser;
let tree: string;
let site: StaticServer;
let cdnA: StaticServer;
let cdnB: StaticServer;
let deploys: WebAppDeploy[];

describe.skipIf(!chromiumAvailable())('report per returning client against real Chromium with the service worker', () => {
  beforeAll(async () => {
    tree = makeTempDir('deltawarm-returning-');
    [site, cdnA, cdnB] = await Promise.all([StaticServer.start(tree), StaticServer.start(tree), StaticServer.start(tree)]);
    for (const server of [site, cdnA, cdnB]) {
      server.gzipLevel = SERVER_GZIP_LEVEL;
      server.cacheControl = IMMUTABLE; // hashed names: what plain HTTP caching keeps
    }
    deploys = await buildWebAppDeploys([cdnA.url, cdnB.url], tree, DEPLOYS);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), cdnA?.close(), cdnB?.close()]);
  });

  const release = () => deploys[DEPLOYS - 1]!;
  const report = (): CoverageReport => release().report;

  /** Makes the site serve deploy `n` (1-based); `withWorker: false` leaves the page to plain HTTP caching. */
  const serve = (n: number, withWorker = true) => {
    const { html, manifestText } = deploys[n - 1]!;
    site.pages.set('/index.html', withWorker ? html : html.replace(REGISTER, ''));
    site.pages.set('/manifest/latest.json', manifestText);
    site.pages.set('/api/orders', JSON.stringify(ORDERS));
  };
  const clearLogs = () => {
    for (const server of [site, cdnA, cdnB]) server.log.length = 0;
  };

  /** Opens the app, and its settings (a dynamic import), so that the page has loaded every asset. */
  const useEverything = async (page: Page, withWorker: boolean) => {
    await page.goto(`${site.url}index.html`);
    if (withWorker) await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForSelector('.order__total');
    await page.click('.settings');
    await page.waitForSelector('.settings-dialog');
    if (withWorker) await page.waitForFunction(() => (window as unknown as { swReports: unknown[] }).swReports.length >= 4);
    await page.waitForLoadState('networkidle');
  };

  /** What the client `behind` deploys behind downloads for the assets, by request. */
  const assetRequests = (): LoggedRequest[] => [...cdnA.log, ...cdnB.log, ...site.log.filter((entry) => entry.path.startsWith('/assets/'))];

  /**
   * The bodies the report counts for a client holding deploy `from`'s versions, read from the
   * tree: nothing for a version it holds, the patch from it, else the full file.
   */
  const countedBodies = (from: Manifest): Uint8Array[] =>
    Object.entries(release().manifest.assets).flatMap(([name, asset]) => {
      const held = from.assets[name]?.version;
      if (held === asset.version) return [];
      const key = (held && asset.patches[held]?.key) || asset.full;
      return [readFileSync(join(tree, keyToUrlPath(key)))];
    });
  const wire = (body: Uint8Array, level: number) => Math.min(body.length, gzipSync(body, { level }).length);
  const gzipSpread = (bodies: Uint8Array[]) => bodies.reduce((sum, body) => sum + Math.abs(wire(body, 6) - wire(body, SERVER_GZIP_LEVEL)), 0);

  it('the report names the gzip level its figures use, and has a client per earlier deploy', () => {
    expect(report().compression.gzipLevel).toBe(6);
    expect(report().clients.map((client) => client.at)).toEqual(deploys.slice(0, DEPLOYS - 1).map((d) => d.release).reverse());
    // deploy 5 changed no built file, so its client is the same as deploy 4's
    expect(report().clients[0]).toMatchObject({ gzipBytes: report().clients[1]!.gzipBytes });
  });

  for (let behind = 1; behind < DEPLOYS; behind++) {
    it(`a client ${behind} deploy(s) behind: with the worker it downloads what the report says, within the gzip levels' difference`, async () => {
      const from = deploys[DEPLOYS - 1 - behind]!;
      const client = report().clients[behind - 1]!;
      const context = await browser.newContext();
      try {
        serve(DEPLOYS - behind);
        const page = await context.newPage();
        await page.goto(`${site.url}index.html`);
        // The worker takes over once its install stored every text asset of that deploy.
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
        serve(DEPLOYS);
        clearLogs();
        await useEverything(page, true);
        const requests = assetRequests();
        const received = requests.reduce((sum, entry) => sum + entry.bytes, 0);
        const bodies = countedBodies(from.manifest);
        expect(requests.map((entry) => entry.status).every((status) => status === 200)).toBe(true);
        expect(requests).toHaveLength(bodies.length);
        expect(client.assets.patch + client.assets.full + client.assets.new).toBe(bodies.length);
        expect(client.gzipBytes).toBe(bodies.reduce((sum, body) => sum + wire(body, 6), 0));
        expect(Math.abs(received - client.gzipBytes)).toBeLessThanOrEqual(gzipSpread(bodies));
        // The worker learns of the deploy from head.json and the changes objects since the release
        // it held (SPEC §12), not from the whole manifest.
        const manifests = site.log.filter((entry) => entry.path.startsWith('/manifest/')).map((entry) => entry.path);
        expect(manifests).toContain('/manifest/head.json');
        expect(manifests.filter((path) => path.startsWith('/manifest/changes/'))).toHaveLength(behind);
        expect(manifests).not.toContain('/manifest/latest.json');
      } finally {
        await context.close();
      }
    });

    it(`a client ${behind} deploy(s) behind with plain HTTP caching downloads the report's HTTP caching figure`, async () => {
      const client = report().clients[behind - 1]!;
      const context = await browser.newContext();
      try {
        serve(DEPLOYS - behind, false);
        const page = await context.newPage();
        await useEverything(page, false);
        serve(DEPLOYS, false);
        clearLogs();
        await useEverything(page, false);
        const requests = site.log.filter((entry) => entry.path.startsWith('/assets/'));
        const received = requests.reduce((sum, entry) => sum + entry.bytes, 0);
        const changed = Object.entries(release().manifest.assets).filter(([name, asset]) => deploys[DEPLOYS - 1 - behind]!.manifest.assets[name]?.version !== asset.version);
        const bodies = changed.map(([, asset]) => readFileSync(join(tree, keyToUrlPath(asset.full))));
        expect(requests.map((entry) => entry.path).sort()).toEqual(changed.map(([, asset]) => `/${asset.url}`).sort());
        expect(Math.abs(received - client.httpGzipBytes)).toBeLessThanOrEqual(gzipSpread(bodies));
      } finally {
        await context.close();
      }
    });
  }
});
