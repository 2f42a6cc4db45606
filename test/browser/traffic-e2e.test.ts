import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { SwReport } from '../../src/sw/options.js';
import type { TrafficReport } from '../../src/traffic/analyze.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { type LoggedRequest, StaticServer } from './static-server.js';
import { type WebAppDeploy, buildWebAppDeploys } from './web-app-trees.js';

/**
 * End to end (issue 16): real Chromium visits the fixture web app through deltawarm-sw.js over
 * four built-mode deploys published with a window of one version, against a site and two CDNs
 * that write a combined access log; one patch is corrupted on the CDN. Then `deltawarm traffic`
 * over that log must recover what the visitors did: visits, new and returning, deploys behind,
 * patches against full files by cause, the incremental share and the window that covers them.
 * Every expected figure is counted from the servers' logs, the worker's reports or the visits
 * the test made.
 */

const ORDERS = [{ id: 'a1', customer: 'Ada', placedAt: Date.UTC(2026, 0, 2), totalCents: 1250, items: [1] }];
const DEPLOYS = 4;
/** `--versions` of every deploy: visits 2 deploys behind are outside it. */
const WINDOW = 1;

/** One visit as the test made it, and the CDN requests it caused. */
interface Visit {
  deploy: number;
  /** The deploy the visitor held before (undefined: a new visitor). */
  held: number | undefined;
  /** Requests of both CDNs during the visit. */
  cdn: LoggedRequest[];
  reports: SwReport[];
}

const PATCH = /\/patch\//;
const FULL = /\/full\//;

describe.skipIf(!chromiumAvailable())('deltawarm traffic over a real browser log', () => {
  let browser: Browser;
  let site: StaticServer;
  let cdnA: StaticServer;
  let cdnB: StaticServer;
  let deploys: WebAppDeploy[];
  let tree: string;
  const visits: Visit[] = [];

  beforeAll(async () => {
    tree = makeTempDir('deltawarm-traffic-e2e-');
    [site, cdnA, cdnB] = await Promise.all([StaticServer.start(tree), StaticServer.start(tree), StaticServer.start(tree)]);
    deploys = await buildWebAppDeploys([cdnA.url, cdnB.url], tree, DEPLOYS, WINDOW);
    for (const server of [site, cdnA, cdnB]) server.accessLog = [];
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), cdnA?.close(), cdnB?.close()]);
  });

  /** Makes the site serve deploy `n` (1-based). */
  const serveDeploy = (n: number) => {
    site.pages.set('/index.html', deploys[n - 1]!.html);
    site.pages.set('/manifest/latest.json', deploys[n - 1]!.manifestText);
    site.pages.set('/manifest/head.json', deploys[n - 1]!.headText);
    site.pages.set('/api/orders', JSON.stringify(ORDERS));
  };

  const beacons = () => cdnA.accessLog!.filter((line) => line.includes('held='));

  /** Waits until the CDN logged `count` beacons (the worker sends one a few seconds after a navigation). */
  const beaconCount = async (count: number) => {
    const deadline = Date.now() + 15_000;
    while (beacons().length < count) {
      if (Date.now() > deadline) throw new Error(`${beacons().length} beacon(s) logged, ${count} expected`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const textAssets = (n: number) => Object.keys(deploys[n - 1]!.manifest.assets).filter((path) => deploys[n - 1]!.manifest.assets[path]!.text);

  /** A visit of deploy `n` in `context`: a first one installs the worker, a later one goes through it and loads every text asset. */
  const visit = async (context: BrowserContext, n: number, held: number | undefined) => {
    serveDeploy(n);
    const [fromA, fromB, expectedBeacons] = [cdnA.log.length, cdnB.log.length, beacons().length + 1];
    const page: Page = await context.newPage();
    await page.goto(`${site.url}index.html`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null && document.querySelectorAll('.order__total').length === 1);
    let reports: SwReport[] = [];
    if (held !== undefined) {
      await page.click('.settings');
      await page.waitForSelector('.settings-dialog');
      await page.waitForFunction((count) => (window as unknown as { swReports: unknown[] }).swReports.length >= count, textAssets(n).length);
      reports = await page.evaluate(() => (window as unknown as { swReports: SwReport[] }).swReports);
      expect(reports.map((report) => report.path).sort()).toEqual(textAssets(n).sort());
    }
    await beaconCount(expectedBeacons);
    await page.close();
    visits.push({ deploy: n, held, cdn: [...cdnA.log.slice(fromA), ...cdnB.log.slice(fromB)], reports });
  };

  it('recovers visits, new and returning, deploys behind, patches and full files from the access log', async () => {
    const [v1, v2, v3, v4] = await Promise.all([1, 2, 3, 4].map(() => browser.newContext()));
    await visit(v1!, 1, undefined);
    await visit(v2!, 1, undefined);
    await visit(v1!, 2, 1); // 1 behind
    await visit(v3!, 2, undefined);
    await visit(v2!, 3, 1); // 2 behind
    // 1 behind, with the first patch it needs corrupted on both CDNs: the worker falls back to the full file
    const [previous, current] = [deploys[1]!.manifest, deploys[2]!.manifest];
    const corrupted = Object.entries(current.assets).find(([path, asset]) => asset.text && asset.patches[previous.assets[path]?.version ?? '']);
    const patchUrl = `/${corrupted![1].patches[previous.assets[corrupted![0]]!.version]!.key}`;
    for (const cdn of [cdnA, cdnB]) cdn.overrides.set(patchUrl, 'not a patch');
    await visit(v3!, 3, 2);
    for (const cdn of [cdnA, cdnB]) cdn.overrides.clear();
    await visit(v1!, 4, 2); // 2 behind
    await visit(v4!, 4, undefined);
    await visit(v4!, 4, 4); // 0 behind: revisit of the same deploy
    await Promise.all([v1, v2, v3, v4].map((context) => context!.close()));

    const log = join(tree, 'access.log');
    writeFileSync(log, [...site.accessLog!, ...cdnA.accessLog!, ...cdnB.accessLog!].join('\n') + '\n');
    const run = await runCli(['traffic', log, '--history', tree, '--json'], tree);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as TrafficReport;

    // What the test made happen, counted from its visits, the CDNs' logs and the worker's reports.
    const returning = visits.filter((v) => v.held !== undefined);
    const behindOf = (v: Visit) => v.deploy - v.held!;
    const behind: number[] = [];
    for (const v of returning) behind[behindOf(v)] = (behind[behindOf(v)] ?? 0) + 1;
    for (let i = 0; i < behind.length; i++) behind[i] ??= 0;
    const sent = (entries: LoggedRequest[], kind: RegExp) => entries.filter((entry) => kind.test(entry.path) && entry.status === 200);
    const cdnOf = (some: Visit[]) => some.flatMap((v) => v.cdn);
    const [patches, fulls] = [sent(cdnOf(visits), PATCH), sent(cdnOf(visits), FULL)];
    // patches tried, by asset: a patch that failed is tried on each CDN, one download all the same
    const returningPatches = returning.reduce((sum, v) => sum + new Set(sent(v.cdn, PATCH).map((entry) => entry.path)).size, 0);
    const fullsInWindow = sent(cdnOf(returning.filter((v) => behindOf(v) <= WINDOW)), FULL).length;
    const fullsBeyondWindow = sent(cdnOf(returning.filter((v) => behindOf(v) > WINDOW)), FULL).length;
    const failed = returning.flatMap((v) => v.reports).filter((r) => r.mode === 'full' && /\/patch\//.test(r.error ?? '')).length;
    const bytesOf = (entries: LoggedRequest[]) => entries.reduce((sum, entry) => sum + entry.bytes, 0);

    // the scenario happened as designed, so the figures below test something
    expect(beacons()).toHaveLength(visits.length); // one beacon per visit, installs included
    expect(beacons().map((line) => /failed=(\d+)/.exec(line)![1]).reduce((sum, k) => sum + Number(k), 0)).toBe(failed);
    expect(failed).toBe(1);
    expect(fullsBeyondWindow).toBeGreaterThan(0);
    expect(returningPatches).toBeGreaterThan(failed);
    // the worker's reports agree with the CDNs' logs: one patch request per patched asset
    expect(returning.flatMap((v) => v.reports).filter((r) => r.mode === 'patch')).toHaveLength(returningPatches - failed);

    expect(report.visits).toBe(visits.length);
    expect(report.newVisits).toBe(visits.filter((v) => v.held === undefined).length);
    expect(report.returningByBehind).toEqual(behind);
    expect(report.returningBeyondIndex).toBe(0);
    expect(report.bytes.requests).toEqual({ patches: patches.length, fulls: fulls.length });
    expect(report.bytes.logged).toEqual({ patches: bytesOf(patches), fulls: bytesOf(fulls) });
    // what the manifests say was sent agrees with the bytes the CDNs logged (the corrupted patch's body aside)
    expect(Math.abs(report.bytes.deltawarm - bytesOf([...patches, ...fulls])) / bytesOf([...patches, ...fulls])).toBeLessThan(0.01);
    expect(report.downloads.failed).toBe(failed);
    expect(report.downloads.patched).toBe(returningPatches - failed);
    expect(report.downloads.behindWindow).toBe(fullsBeyondWindow);
    expect(report.downloads.skipped + report.downloads.added + report.downloads.failed).toBe(fullsInWindow);
    const patched = returningPatches - failed;
    expect(report.incrementalShare).toBeCloseTo(patched / (patched + fullsInWindow + fullsBeyondWindow), 10);
    expect(report.patchSuccess).toBeCloseTo(patched / returningPatches, 10);
    expect(report.recommendedVersions).toBe(behind.length - 1);
    expect(report.windows[0]!.coverage).toBeCloseTo(behind[1]! / behind.slice(1).reduce((a, b) => a + b, 0), 10);
    for (const row of report.deploys) {
      const n = deploys.findIndex((d) => d.release === row.release) + 1;
      const here = visits.filter((v) => v.deploy === n);
      expect(row.window, `deploy ${n}`).toBe(Math.min(WINDOW, n - 1));
      expect(row.visits, `deploy ${n}`).toBe(here.length);
      expect(row.newVisits, `deploy ${n}`).toBe(here.filter((v) => v.held === undefined).length);
    }
    expect(report.deploys).toHaveLength(DEPLOYS);
    expect(report.notes).toEqual([]);
  }, 150_000);
});
