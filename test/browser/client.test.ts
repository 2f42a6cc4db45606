import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import { type ClientSiteRelease, clientSiteFiles } from '../../fixtures/client-site.js';
import { encodeDeltaPatch } from '../../src/patch/delta-form.js';
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

  describe.each(['json', 'tab', 'delta'] as const)('%s patches', (format) => {
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
      const corruptPatches = {
        json: JSON.stringify({ ...patchHeader(format, 'r2'), ops: [corruptText] }),
        tab: `-${oldLength}\t+${corruptText}`,
        delta: encodeDeltaPatch([corruptText], oldLength),
      };
      const corruptPatch = corruptPatches[format];
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

  describe('failover', () => {
    it.each(['refuse', 'error500', 'hang'] as const)('CDN A down (%s): full files and patches come from CDN B', async (mode) => {
      const options = { timeout: 1500 };
      await open('json', 'r1', ALL, options);
      await cdnA.setMode(mode);
      const patched = await open('json', 'r2', ALL, options);
      expect(patched.ran).toEqual(['vendor@1', 'app@2', 'text']);
      expect(patched.loaded!.filter((r) => r.mode === 'patch').map((r) => [r.path, r.cdn])).toEqual([
        ['dist/app.js', `${cdnB.url}json/`],
        ['dist/app.css', `${cdnB.url}json/`],
      ]);
      await context.close();
      context = await browser.newContext();
      const first = await visit(await context.newPage(), site.url + 'index.html', trees.manifest('json', 'r2'), ALL, options);
      expect(first.ran).toEqual(['vendor@1', 'app@2', 'text']);
      expect(first.bodyColor).toBe('rgb(4, 5, 6)');
      const reason = { refuse: /Failed to fetch/, error500: /HTTP 500/, hang: /signal timed out/ }[mode];
      for (const report of first.loaded!) {
        expect([report.mode, report.cdn]).toEqual(['full', `${cdnB.url}json/`]);
        expect(report.error).toMatch(new RegExp(`^${cdnA.url}json/\\S+: ${reason.source}$`));
      }
      expect(requested(cdnB)).toEqual([
        ...['dist/app.js', 'dist/app.css'].map((path) => served('json', asset('json', 'r2', path).patches[sha('r1')]!.key)),
        ...ALL.map((path) => served('json', asset('json', 'r2', path).full)),
      ].sort());
    });

    it('every source fails: load rejects listing what was tried; nothing corrupt runs or is stored', async () => {
      await open('json', 'r1', SCRIPTS);
      const app = asset('json', 'r2', 'dist/app.js');
      const patch = app.patches[sha('r1')]!;
      for (const cdn of [cdnA, cdnB]) {
        cdn.overrides.set(served('json', patch.key), '{"format":"deltawarm-patch/1"}');
        cdn.overrides.set(served('json', app.full), 'window.corrupted = true;');
      }
      const state = await open('json', 'r2', SCRIPTS);
      const tried = [
        `${cdnA.url}json/${keyToUrlPath(patch.key)}: toLength is not a non-negative integer`,
        `${cdnB.url}json/${keyToUrlPath(patch.key)}: toLength is not a non-negative integer`,
        `${cdnA.url}json/${keyToUrlPath(app.full)}: integrity mismatch`,
        `${cdnB.url}json/${keyToUrlPath(app.full)}: integrity mismatch`,
      ].join('; ');
      expect(state.error).toBe(`deltawarm: dist/app.js could not be loaded: ${tried}`);
      expect(state.reports.find((r) => r.path === 'dist/app.js')).toMatchObject({ mode: 'full', bytes: 0, error: tried });
      expect(state.corrupted).toBeUndefined();
      expect(state.ran).toEqual(['vendor@1']); // scripts after the failed one do not run out of order
      expect(storedEntry(state, 'dist/app.js')).toBe(`${sha('r1')}\n${textOf('r1', 'dist/app.js')}`);
    });

    it('caps requests in flight', async () => {
      await cdnA.setMode('hang');
      const state = await open('json', 'r1', ALL, { maxRequests: 2, timeout: 600 });
      expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
      const arrivals = cdnA.log.map((entry) => entry.at - cdnA.log[0]!.at);
      expect(arrivals).toHaveLength(ALL.length);
      expect(arrivals.filter((ms) => ms < 400)).toHaveLength(2);
    });
  });

  describe('storage', () => {
    const fill = (page: Page) =>
      page.evaluate(() => {
        let size = 1 << 20;
        for (let i = 0; size >= 1; i++) {
          try {
            localStorage.setItem(`other-app:${i}`, 'x'.repeat(size));
          } catch {
            size = Math.floor(size / 2);
          }
        }
      });

    it("quota exceeded: evicts this runtime's least recently used entries, then stores", async () => {
      const leastRecentFirst = ['dist/bom.css', 'dist/text.js', 'dist/vendor.js', 'dist/app.css'];
      for (const path of leastRecentFirst) await open('json', 'r1', [path]);
      const page = await context.newPage();
      await page.goto(site.url + 'index.html');
      await fill(page);
      const state = await open('json', 'r5', ['dist/app.js']);
      expect(state.ran).toEqual(['app@5']);
      expect(storedEntry(state, 'dist/app.js')).toBe(`${sha('r5')}\n${textOf('r5', 'dist/app.js')}`);
      // app.js needs about as much room as vendor.js: the three least recently used go, app.css stays
      for (const path of leastRecentFirst.slice(0, 3)) expect(storedEntry(state, path)).toBeUndefined();
      expect(storedEntry(state, 'dist/app.css')).toBe(`${sha('r1')}\n${textOf('r1', 'dist/app.css')}`);
      expect(Object.keys(JSON.parse(state.stored.deltawarm!)).sort()).toEqual(['dist/app.css', 'dist/app.js']);
      expect(Object.keys(state.stored).filter((key) => key.startsWith('other-app:')).length).toBeGreaterThan(0);
    });

    it('storage full of other data: the page works uncached', async () => {
      const page = await context.newPage();
      await page.goto(site.url + 'index.html');
      await fill(page);
      for (let visitNumber = 0; visitNumber < 2; visitNumber++) {
        const state = await open('json', 'r1');
        expect(state.error).toBeUndefined();
        expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
        expect(state.loaded!.map((r) => r.mode)).toEqual(ALL.map(() => 'full'));
        expect(Object.keys(state.stored).filter((key) => key.startsWith('deltawarm'))).toEqual([]);
      }
    });

    it('storage option that throws on every call: the page works uncached', async () => {
      for (let visitNumber = 0; visitNumber < 2; visitNumber++) {
        const state = await open('json', 'r1', ALL, { storage: 'throwing' });
        expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
        expect(state.loaded!.map((r) => r.mode)).toEqual(ALL.map(() => 'full'));
        expect(cdnA.log).toHaveLength(ALL.length);
      }
    });

    it('localStorage itself throwing (Safari private mode, sandboxed frames): the page works uncached', async () => {
      await context.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      });
      for (let visitNumber = 0; visitNumber < 2; visitNumber++) {
        const state = await open('json', 'r1');
        expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
        expect(state.loaded!.map((r) => r.mode)).toEqual(ALL.map(() => 'full'));
      }
    });

    it('no SubtleCrypto (insecure context): full files, nothing cached', async () => {
      const insecure = site.url.replace('127.0.0.1', INSECURE_HOST) + 'index.html';
      for (let visitNumber = 0; visitNumber < 2; visitNumber++) {
        cdnA.log.length = 0;
        const page = await context.newPage();
        const state = await visit(page, insecure, trees.manifest('json', 'r1'), ALL);
        expect(await page.evaluate(() => [isSecureContext, typeof crypto.subtle])).toEqual([false, 'undefined']);
        expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
        expect(state.loaded!.map((r) => r.mode)).toEqual(ALL.map(() => 'full'));
        expect(state.stored).toEqual({});
        expect(cdnA.log).toHaveLength(ALL.length);
      }
    });
  });

  describe('weak network (emulated with DevTools throttling)', () => {
    const throttle = async (page: Page) => {
      const devtools = await context.newCDPSession(page);
      await devtools.send('Network.enable');
      await devtools.send('Network.emulateNetworkConditions', { offline: false, latency: 1500, downloadThroughput: 6000, uploadThroughput: 6000 });
    };

    it('runs the cached older version at once and stores the new one for the next visit', async () => {
      await open('json', 'r1');
      cdnA.log.length = 0;
      const page = await context.newPage();
      await throttle(page);
      const state = await visit(page, site.url + 'index.html', trees.manifest('json', 'r2'), ALL);
      expect(await page.evaluate(() => (navigator as Navigator & { connection: { effectiveType: string } }).connection.effectiveType)).toBe('2g');
      expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
      expect(state.bodyColor).toBe('rgb(1, 2, 3)');
      expect(state.loaded!.map((r) => r.mode)).toEqual(ALL.map(() => 'cache'));
      expect(state.reports).toHaveLength(ALL.length); // load resolved before any update finished

      await page.waitForFunction(() => (window as unknown as { reports: unknown[] }).reports.length === 7, undefined, { timeout: 30_000 });
      const updated = await pageState(page);
      expect(updated.reports.slice(5).map((r) => [r.path, r.mode]).sort()).toEqual([
        ['dist/app.css', 'patch'],
        ['dist/app.js', 'patch'],
      ]);
      expect(updated.ran).toEqual(['vendor@1', 'app@1', 'text']); // the update is not run now
      expect(storedEntry(updated, 'dist/app.js')).toBe(`${sha('r2')}\n${textOf('r2', 'dist/app.js')}`);

      const next = await open('json', 'r2');
      expect(next.ran).toEqual(['vendor@1', 'app@2', 'text']);
      expect(cdnA.log).toEqual([]);
    });

    it('an older cached text that does not match fromIntegrity never runs: the full file is fetched and runs instead', async () => {
      await open('json', 'r1');
      const page = await context.newPage();
      await page.goto(site.url + 'index.html');
      await page.evaluate((version) => localStorage.setItem('deltawarm:dist/app.js', `${version}\nwindow.tampered = true; (window.ran ||= []).push("tampered");`), sha('r1'));
      await throttle(page);
      const state = await visit(page, site.url + 'index.html', trees.manifest('json', 'r2'), SCRIPTS);
      expect(state.ran).toEqual(['vendor@1', 'app@2', 'text']);
      expect(await page.evaluate(() => 'tampered' in window)).toBe(false);
      expect(state.loaded!.map((r) => r.mode)).toEqual(['cache', 'full', 'cache']);
    });

    it('a manifest without fromIntegrity (older deltawarm) cannot vouch for the older text: it waits for the patch', async () => {
      await open('json', 'r1');
      const page = await context.newPage();
      await throttle(page);
      const manifest = structuredClone(trees.manifest('json', 'r2'));
      for (const asset of Object.values(manifest.assets)) for (const patch of Object.values(asset.patches)) delete patch.fromIntegrity;
      const state = await visit(page, site.url + 'index.html', manifest, SCRIPTS);
      expect(state.ran).toEqual(['vendor@1', 'app@2', 'text']);
      expect(state.loaded!.map((r) => r.mode)).toEqual(['cache', 'patch', 'cache']);
    });

    it('with weakNetwork: false it waits for the patch', async () => {
      await open('json', 'r1');
      const page = await context.newPage();
      await throttle(page);
      const state = await visit(page, site.url + 'index.html', trees.manifest('json', 'r2'), ALL, { weakNetwork: false });
      expect(state.ran).toEqual(['vendor@1', 'app@2', 'text']);
    });
  });

  describe('hand-written manifests, and scripts that do not run', () => {
    /** A hand-written manifest (no cdns, no patches) of scripts the site serves at full/VERSION/PATH. */
    const handWritten = (scripts: Record<string, string>, version = 'v1') => {
      const assets: Record<string, unknown> = {};
      for (const [path, text] of Object.entries(scripts)) {
        site.pages.set(`/full/${version}/${path}`, text);
        const integrity = `sha256-${createHash('sha256').update(text).digest('base64')}`;
        assets[path] = { version, size: Buffer.byteLength(text), integrity, contentType: 'text/javascript; charset=utf-8', text: true, full: `full/${version}/${path}` };
      }
      return { format: 'deltawarm-manifest/1', release: version, createdAt: '2026-01-01T00:00:00.000Z', patchFormat: 'json', assets } as unknown as Manifest;
    };

    it('without cdns or patches: full files relative to the page, and a new version replaces the cached one', async () => {
      const first = await visit(await context.newPage(), site.url + 'index.html', handWritten({ 'a.js': '(window.ran ||= []).push("a1");' }), ['a.js']);
      expect([first.error, first.ran]).toEqual([undefined, ['a1']]);
      const next = await visit(await context.newPage(), site.url + 'index.html', handWritten({ 'a.js': '(window.ran ||= []).push("a2");' }, 'v2'), ['a.js']);
      expect([next.error, next.ran, next.loaded![0]!.mode]).toEqual([undefined, ['a2'], 'full']);
      expect(next.stored['deltawarm:a.js']).toBe('v2\n(window.ran ||= []).push("a2");');
    });

    it('a script that throws rejects load() with the reason, onAsset says so, and its text is not stored; scripts after it do not run', async () => {
      const manifest = handWritten({ 'ok.js': '(window.ran ||= []).push("ok");', 'bad.js': 'throw new Error("boom");', 'after.js': '(window.ran ||= []).push("after");' });
      const state = await visit(await context.newPage(), site.url + 'index.html', manifest, ['ok.js', 'bad.js', 'after.js']);
      expect(state.error).toMatch(/^deltawarm: bad\.js could not be loaded: it threw (Uncaught )?Error: boom$/);
      expect(state.reports.map((r) => [r.path, r.mode, r.error?.replace('Uncaught ', '')])).toEqual([
        ['ok.js', 'full', undefined],
        ['bad.js', 'full', 'it threw Error: boom'],
      ]);
      expect(state.ran).toEqual(['ok']);
      expect(Object.keys(state.stored).filter((key) => key.startsWith('deltawarm:'))).toEqual(['deltawarm:ok.js']);
    });

    it('an ES module the manifest marks is refused before any request, with a pointer to the service worker, and no error reaches the page', async () => {
      const manifest = handWritten({ 'module.js': 'export const answer = 42;', 'ok.js': '(window.ran ||= []).push("ok");' });
      (manifest.assets['module.js'] as { module?: true }).module = true;
      const page = await context.newPage();
      await page.addInitScript(() => {
        const seen: string[] = ((window as unknown as { pageErrors: string[] }).pageErrors = []);
        addEventListener('error', (event) => seen.push(event.message));
        addEventListener('unhandledrejection', (event) => seen.push(String(event.reason)));
      });
      site.log.length = 0;
      const state = await visit(page, site.url + 'index.html', manifest, ['module.js', 'ok.js']);
      expect(state.error).toBe('deltawarm: module.js could not be loaded: it is an ES module: use deltawarm-sw.js');
      expect(state.reports).toEqual([expect.objectContaining({ path: 'module.js', bytes: 0, error: 'it is an ES module: use deltawarm-sw.js' })]);
      expect(site.log.map((entry) => entry.path)).not.toContain('/full/v1/module.js');
      expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
      expect(state.stored['deltawarm:module.js']).toBeUndefined();
    });

    it('unmarked ES module code (a manifest older than the mark) fails to run, is reported, and is not stored', async () => {
      for (const module of ['export const answer = 42;', 'console.log(import.meta.url);', 'import "./other.js";']) {
        const manifest = handWritten({ 'module.js': module });
        const state = await visit(await context.newPage(), site.url + 'index.html', manifest, ['module.js']);
        expect(state.error).toMatch(/^deltawarm: module\.js could not be loaded: it threw (Uncaught )?SyntaxError: .*(import|export|module)/);
        expect(state.stored['deltawarm:module.js']).toBeUndefined();
      }
    });
  });

  describe('how pages include it', () => {
    it('as an ES module', async () => {
      const state = await open('json', 'r1', ALL, {}, 'esm.html');
      expect(state.ran).toEqual(['vendor@1', 'app@1', 'text']);
    });

    it('with a CSP nonce', async () => {
      const blocked = await open('json', 'r1', SCRIPTS, {}, 'csp.html');
      expect(blocked.ran).toEqual([]);
      const allowed = await open('json', 'r1', SCRIPTS, { nonce: 'n0nce' }, 'csp.html');
      expect(allowed.ran).toEqual(['vendor@1', 'app@1', 'text']);
    });

    it('manifest with no CDNs: keys relative to where the manifest was loaded from, or to the page', async () => {
      const manifest = (await (await fetch(site.url + 'local/manifest/latest.json')).json()) as Manifest;
      expect(manifest.cdns).toEqual([]);
      const fullFiles = ALL.map((path) => `/local/${decodeURIComponent(keyToUrlPath(manifest.assets[path]!.full))}`).sort();
      for (const source of ['manifest/latest.json', manifest]) {
        await context.close();
        context = await browser.newContext();
        site.log.length = 0;
        const state = await visit(await context.newPage(), site.url + 'local/index.html', source, ALL);
        expect(state.ran).toEqual(['vendor@2', 'app@5', 'text']);
        expect(requested(site).filter((path) => path.includes('/full/'))).toEqual(fullFiles);
      }
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
