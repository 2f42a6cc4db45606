import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import { type ClientSiteRelease, clientSiteFiles } from '../../fixtures/client-site.js';
import { keyToUrlPath } from '../../src/tree/layout.js';
import type { Manifest } from '../../src/tree/manifest.js';
import type { PatchFormat } from '../../src/types.js';
import { INSECURE_HOST, chromiumAvailable, launchChromium } from './chromium.js';
import { type PageState, type VisitOptions, addTestPages, pageState, visit } from './page.js';
import { type SiteTrees, buildSiteTrees } from './site-trees.js';
import { StaticServer } from './static-server.js';

/**
 * The browser runtime in headless Chromium, against two local CDNs serving trees that
 * `deltawarm build` made from the client-site fixture (fixtures/client-site.ts).
 */

const SCRIPTS = ['dist/vendor.js', 'dist/app.js', 'dist/text.js'];
const ALL = ['dist/vendor.js', 'dist/app.js', 'dist/app.css', 'dist/text.js', 'dist/bom.css'];

let browser: Browser;
let cdnA: StaticServer;
let cdnB: StaticServer;
let site: StaticServer;
let trees: SiteTrees;
let context: BrowserContext;

describe.skipIf(!chromiumAvailable())('browser runtime in Chromium', () => {
  beforeAll(async () => {
    const root = makeTempDir('deltawarm-site-');
    [cdnA, cdnB, site] = await Promise.all([StaticServer.start(root), StaticServer.start(root), StaticServer.start(root)]);
    addTestPages(site);
    trees = buildSiteTrees([cdnA.url, cdnB.url], root);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([cdnA?.close(), cdnB?.close(), site?.close()]);
  });

  beforeEach(async () => {
    context = await browser.newContext();
  });

  afterEach(async () => {
    await context.close();
    await Promise.all([cdnA.reset(), cdnB.reset(), site.reset()]);
  });

  /** A visit of the test page in this test's browser context (its storage persists across visits). */
  const open = async (format: PatchFormat, release: ClientSiteRelease, paths = ALL, options: VisitOptions = {}, page = 'index.html') => {
    cdnA.log.length = cdnB.log.length = 0;
    const state = await visit(await context.newPage(), site.url + page, trees.manifest(format, release), paths, options);
    return state;
  };

  const sha = (release: ClientSiteRelease) => trees.repo.sha(release);
  const asset = (format: PatchFormat, release: ClientSiteRelease, path: string) => trees.manifest(format, release).assets[path]!;
  /** The URL path a CDN sees for a key of a tree. */
  const served = (format: PatchFormat, key: string) => `/${format}/${decodeURIComponent(keyToUrlPath(key))}`;
  const requested = (server: StaticServer) => server.log.map((entry) => entry.path).sort();
  /** The text the SPEC says a browser has for a file of the fixture: its UTF-8, less a BOM. */
  const textOf = (release: ClientSiteRelease, path: string) => String(clientSiteFiles(release)[path]).replace(/^\uFEFF/, '');
  const storedEntry = (state: PageState, path: string) => state.stored[`deltawarm:${path}`];

  describe.each(['json', 'tab'] as const)('%s patches', (format) => {
    it('first visit: full files from CDN A, stored, scripts ran in order, styles applied', async () => {
      const state = await open(format, 'r1');
      expect(state.error).toBeUndefined();
      expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
      expect(state.bodyColor).toBe('rgb(1, 2, 3)');
      expect(state.htmlBackground).toBe('rgb(10, 20, 30)');
      expect(state.loaded!.map((r) => [r.path, r.mode, r.bytes, r.cdn])).toEqual(
        ALL.map((path) => [path, 'full', asset(format, 'r1', path).size, `${cdnA.url}${format}/`]),
      );
      for (const path of ALL) expect(storedEntry(state, path)).toBe(`${sha('r1')}\n${textOf('r1', path)}`);
      expect(requested(cdnA)).toEqual(ALL.map((path) => served(format, asset(format, 'r1', path).full)).sort());
      expect(cdnB.log).toEqual([]);
    });

    it('same release again: everything from the cache, zero requests', async () => {
      await open(format, 'r1');
      const again = await open(format, 'r1');
      expect(again.ran).toEqual(['vendor@1', 'app@1', 'text']);
      expect(again.bodyColor).toBe('rgb(1, 2, 3)');
      expect(again.loaded!.map((r) => [r.mode, r.bytes, r.cdn])).toEqual(ALL.map(() => ['cache', 0, undefined]));
      expect([...cdnA.log, ...cdnB.log]).toEqual([]);
    });

    it('next release: one patch request per changed asset, of the patch size', async () => {
      await open(format, 'r1');
      const state = await open(format, 'r2');
      expect(state.ran).toEqual(['vendor@1', 'app@2', 'text']);
      expect(state.bodyColor).toBe('rgb(4, 5, 6)');
      const changed = ['dist/app.js', 'dist/app.css'];
      const patches = changed.map((path) => asset(format, 'r2', path).patches[sha('r1')]!);
      expect(cdnA.log.map(({ path, status, bytes }) => [path, status, bytes]).sort()).toEqual(
        patches.map((patch) => [served(format, patch.key), 200, patch.size]).sort(),
      );
      expect(state.loaded!.map((r) => [r.path, r.mode, r.bytes])).toEqual(
        ALL.map((path) => {
          const index = changed.indexOf(path);
          return [path, index < 0 ? 'cache' : 'patch', index < 0 ? 0 : patches[index]!.size];
        }),
      );
      for (const path of changed) expect(storedEntry(state, path)).toBe(`${sha('r2')}\n${textOf('r2', path)}`);
    });

    it('cached version outside the window: full file, no patch request', async () => {
      await open(format, 'r1');
      const app = asset(format, 'r4', 'dist/app.js');
      expect(app.patches[sha('r1')]).toBeUndefined();
      const state = await open(format, 'r4', ['dist/vendor.js', 'dist/app.js']);
      expect(state.ran).toEqual(['vendor@1', 'app@4']);
      expect(state.loaded!.map((r) => r.mode)).toEqual(['cache', 'full']);
      expect(requested(cdnA)).toEqual([served(format, app.full)]);
      expect(storedEntry(state, 'dist/app.js')).toBe(`${sha('r4')}\n${textOf('r4', 'dist/app.js')}`);
    });

    it('non-ASCII, emoji, CRLF and a BOM come out byte-exact, patched and full', async () => {
      const paths = ['dist/text.js', 'dist/bom.css'];
      await open(format, 'r1', paths);
      const patched = await open(format, 'r3', paths);
      expect(patched.loaded!.map((r) => r.mode)).toEqual(['patch', 'patch']);
      await context.close();
      context = await browser.newContext();
      const full = await open(format, 'r3', paths);
      expect(full.loaded!.map((r) => r.mode)).toEqual(['full', 'full']);
      for (const state of [patched, full]) {
        expect(state.text).toBe('h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \u{1F600}\u{1F389} \u{1F44D}\u{1F3FD}');
        expect(state.htmlBackground).toBe('rgb(40, 50, 60)');
        for (const path of paths) {
          const bytes = Buffer.from(storedEntry(state, path)!.slice(41), 'utf8');
          const committed = Buffer.from(clientSiteFiles('r3')[path] as string, 'utf8');
          expect(bytes.equals(path === 'dist/bom.css' ? committed.subarray(3) : committed)).toBe(true);
        }
      }
    });

    it('corrupted patch on both CDNs and full file on CDN A: integrity mismatch, full from CDN B, corrupt text never ran', async () => {
      await open(format, 'r1', SCRIPTS);
      const app = asset(format, 'r2', 'dist/app.js');
      const patch = app.patches[sha('r1')]!;
      const oldLength = textOf('r1', 'dist/app.js').length;
      const evil = 'window.corrupted = true; //';
      const corruptText = evil + 'x'.repeat(textOf('r2', 'dist/app.js').length - evil.length);
      const corruptPatch =
        format === 'json' ? JSON.stringify({ ...patchHeader(format, 'r2'), ops: [corruptText] }) : `-${oldLength}\t+${corruptText}`;
      for (const cdn of [cdnA, cdnB]) cdn.overrides.set(served(format, patch.key), corruptPatch);
      cdnA.overrides.set(served(format, app.full), corruptText);

      const state = await open(format, 'r2', SCRIPTS);
      expect(state.corrupted).toBeUndefined();
      expect(state.ran).toEqual(['vendor@1', 'app@2', 'text']);
      const report = state.loaded![1]!;
      expect([report.mode, report.cdn, report.bytes]).toEqual(['full', `${cdnB.url}${format}/`, app.size]);
      expect(report.error).toBe(
        [`${cdnA.url}${format}/${keyToUrlPath(patch.key)}`, `${cdnB.url}${format}/${keyToUrlPath(patch.key)}`, `${cdnA.url}${format}/${keyToUrlPath(app.full)}`]
          .map((url) => `${url}: integrity mismatch`)
          .join('; '),
      );
      expect(storedEntry(state, 'dist/app.js')).toBe(`${sha('r2')}\n${textOf('r2', 'dist/app.js')}`);
    });
  });

  /** The header of the real JSON patch of app.js from r1 to `release`, to build corrupt ones from. */
  function patchHeader(format: PatchFormat, release: ClientSiteRelease) {
    const app = asset(format, release, 'dist/app.js');
    return {
      format: 'deltawarm-patch/1',
      asset: 'dist/app.js',
      from: sha('r1'),
      to: app.version,
      fromIntegrity: asset(format, 'r1', 'dist/app.js').integrity,
      toIntegrity: app.integrity,
      toLength: textOf(release, 'dist/app.js').length,
    };
  }
});
