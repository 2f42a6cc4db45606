import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { addTestPages, visit } from './page.js';
import { type SiteTrees, buildSiteTrees } from './site-trees.js';
import { StaticServer } from './static-server.js';

/** The classic runtime's visit beacon (SPEC §12) in Chromium: what a static log sees per visit. */
describe.skipIf(!chromiumAvailable())('visit beacon of the classic runtime', () => {
  let browser: Browser;
  let cdn: StaticServer;
  let site: StaticServer;
  let trees: SiteTrees;
  beforeAll(async () => {
    const root = makeTempDir('deltawarm-held-');
    [cdn, site] = await Promise.all([StaticServer.start(root), StaticServer.start(root)]);
    addTestPages(site);
    trees = buildSiteTrees([cdn.url], root);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([cdn?.close(), site?.close()]);
  });

  it('one HEAD per visit naming the release held before: new, then r1 on the visit that patches to r2', async () => {
    const context = await browser.newContext();
    const beacons: string[] = [];
    context.on('request', (request) => {
      if (request.url().includes('held=')) beacons.push(`${request.method()} ${request.url().slice(cdn.url.length)}`);
    });
    const paths = ['dist/vendor.js', 'dist/app.js', 'dist/text.js'];
    for (const release of ['r1', 'r2'] as const) {
      const page = await context.newPage();
      await visit(page, site.url + 'index.html', trees.manifest('delta', release), paths, { held: true });
      await page.waitForTimeout(300);
    }
    const [r1, r2] = [trees.repo.sha('r1'), trees.repo.sha('r2')];
    expect(beacons).toEqual([`HEAD delta/manifest/${r1}.json?held=new&failed=0`, `HEAD delta/manifest/${r2}.json?held=${r1}&failed=0`]);
    await context.close();
  });
});
