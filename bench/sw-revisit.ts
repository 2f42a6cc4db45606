/**
 * A revisit after a deploy with deltawarm-sw.js against plain HTTP caching (hashed or
 * versioned URLs, immutable caching: every changed file is downloaded whole), in headless
 * Chromium over localhost:
 *   - the fixture web app (fixtures/web-app, real esbuild output), each deploy 1..10 -> next;
 *   - jQuery (dist/jquery.js, 256 KiB) 4.0.0-rc.2 -> 4.0.0 and 3.6.0 -> 4.0.0, loaded from the
 *     CDN's full-file URL (committed mode, cross-origin);
 * and the time the worker adds by patching the 256 KiB jquery.js: its response time when
 * patched against when served from its cache, each on the first visit after the worker
 * installed (median of RUNS). Both include waiting for the navigation's manifest read.
 *
 * Bytes are bodies as served (no compression on the test servers) and, beside them, the
 * gzip size of the same bodies; the worker's bytes include what it reads to learn about the deploy
 * (the head and changes objects, or the full manifest).
 *
 * And a revisit without a deploy with the manifest delayed 2 s (see delayedManifest).
 *
 *   npm run build && node --import tsx bench/sw-revisit.ts [web-app] [delayed] [jquery]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { buildRepo, makeTempDir } from '../fixtures/git-fixture.js';
import type { SwReport } from '../src/sw/options.js';
import type { Manifest } from '../src/tree/manifest.js';
import { keyToUrlPath } from '../src/tree/layout.js';
import { launchChromium, launchPersistentChromium } from '../test/browser/chromium.js';
import { type LoggedRequest, StaticServer } from '../test/browser/static-server.js';
import { REGISTER, buildWebAppDeploys } from '../test/browser/web-app-trees.js';

const RUNS = Number(process.env.RUNS ?? 11);
const MANIFEST_DELAY = 2000;
const DELAYED_RUNS = 5;
const JQUERY = '/work/shared/data/jquery-dist/versions';
const ROOT = join(import.meta.dirname, '..');
const IMMUTABLE = 'public, max-age=31536000, immutable';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

const tree = makeTempDir('deltawarm-bench-sw-');
const [site, cdn] = await Promise.all([StaticServer.start(tree), StaticServer.start(tree)]);
const browser = await launchChromium();
console.log(`Chromium ${browser.version()}; worker script ${gzipSync(readFileSync(join(ROOT, 'dist/client/deltawarm-sw.min.js')), { level: 9 }).length} B gzipped`);

/** Bytes of the logged requests that `counts`, as served and gzipped. */
function bytesOf(server: StaticServer, counts: (path: string) => boolean): { raw: number; gzip: number } {
  const taken = server.log.filter((entry: LoggedRequest) => entry.status === 200 && counts(entry.path));
  const body = (path: string) => (server.pages.has(path) ? Buffer.from(server.pages.get(path)!) : readFileSync(join(server.root, path)));
  return taken.reduce((sum, entry) => ({ raw: sum.raw + entry.bytes, gzip: sum.gzip + gzipSync(body(entry.path)).length }), { raw: 0, gzip: 0 });
}

interface Visit {
  raw: number;
  gzip: number;
  /** Of which the manifest the worker re-read. */
  manifestGzip: number;
  ms: number;
  reports: SwReport[];
}

/**
 * Visits `before` then, after the site switched to `after`, measures the revisit: the bytes the
 * servers sent for what `counts` and the time until `ready` holds.
 */
async function revisit(options: { sw: boolean; url: string; manifest: string; before: () => void; after: () => void; counts: (server: StaticServer, path: string) => boolean; ready: string }): Promise<Visit> {
  for (const server of [site, cdn]) server.cacheControl = options.sw ? 'no-store' : IMMUTABLE;
  const context = await browser.newContext();
  const page = await context.newPage();
  options.before();
  await page.goto(options.url);
  await page.waitForFunction(options.sw ? `navigator.serviceWorker.controller !== null && (${options.ready})` : options.ready);
  options.after();
  site.log.length = cdn.log.length = 0;
  const start = performance.now();
  await page.goto(options.url);
  await page.waitForFunction(options.ready);
  const ms = performance.now() - start;
  const reports = options.sw ? await collectReports(page) : [];
  const [a, b] = [bytesOf(site, (path) => options.counts(site, path)), bytesOf(cdn, (path) => options.counts(cdn, path))];
  await context.close();
  // The manifest, or the head and changes objects beside it.
  const manifestGzip = bytesOf(site, (path) => path.startsWith(options.manifest.replace(/[^/]*$/, ''))).gzip;
  return { raw: a.raw + b.raw, gzip: a.gzip + b.gzip, manifestGzip, ms, reports };
}

async function collectReports(page: Page): Promise<SwReport[]> {
  await page.waitForTimeout(200); // reports are posted as each response completes
  return page.evaluate(() => (window as unknown as { swReports: SwReport[] }).swReports);
}

// Parts to run (all by default): web-app, delayed, jquery.
const parts = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const runs = (part: string) => parts.length === 0 || parts.includes(part);
const deploys = await buildWebAppDeploys([cdn.url], tree, 10);
if (runs('web-app')) await webApp();
if (runs('delayed')) await delayedManifest();
if (runs('jquery') && existsSync(JQUERY)) await jquery();
else if (runs('jquery')) console.log(`\n${JQUERY} is missing: jQuery part skipped`);
await browser.close();
await Promise.all([site.close(), cdn.close()]);

/** The fixture app: every deploy to the next; bytes of its JS and CSS (and, with the worker, the manifest). */
async function webApp(): Promise<void> {
  site.pages.set('/api/orders', '[]');
  const serve = (n: number, sw: boolean) => () => {
    site.pages.set('/index.html', sw ? deploys[n]!.html : deploys[n]!.html.replace(REGISTER, ''));
    site.pages.set('/manifest/latest.json', deploys[n]!.manifestText);
    site.pages.set('/manifest/head.json', deploys[n]!.headText);
  };
  const counts = (server: StaticServer, path: string) => (server === cdn ? true : /\.(js|css)$/.test(path) || path.startsWith('/manifest/'));
  const ready = `document.querySelector('.empty') !== null`;
  console.log('\nfixture web app, revisit after each deploy (JS + CSS it loads; the worker adds the manifest)');
  console.log('deploy   changed  plain HTTP raw / gzip     worker raw / gzip (manifest)      ratio gzip  no manifest  plain ms  worker ms  worker modes');
  const totals = { plain: 0, worker: 0, manifest: 0 };
  for (let n = 1; n < deploys.length; n++) {
    const before = deploys[n - 1]!.manifest.assets;
    const changed = Object.entries(deploys[n]!.manifest.assets).filter(([path, asset]) => asset.text && asset.version !== before[path]?.version).length;
    const plain: Visit[] = [];
    const worker: Visit[] = [];
    for (let run = 0; run < 3; run++) {
      plain.push(await revisit({ sw: false, url: `${site.url}index.html`, manifest: '/manifest/latest.json', before: serve(n - 1, false), after: serve(n, false), counts, ready }));
      worker.push(await revisit({ sw: true, url: `${site.url}index.html`, manifest: '/manifest/latest.json', before: serve(n - 1, true), after: serve(n, true), counts, ready }));
    }
    const [p, w] = [plain[0]!, worker[0]!];
    totals.plain += p.gzip;
    totals.worker += w.gzip;
    totals.manifest += w.manifestGzip;
    const modes = [...new Set(w.reports.map((r) => r.mode))].join('/');
    console.log(
      `${n} -> ${n + 1}`.padEnd(9) +
        String(changed).padStart(7) +
        `  ${kb(p.raw)} / ${kb(p.gzip)}`.padEnd(26) +
        `${kb(w.raw)} / ${kb(w.gzip)} (${kb(w.manifestGzip)})`.padEnd(34) +
        (p.gzip ? `${((100 * w.gzip) / p.gzip).toFixed(1)} %` : '-').padStart(10) +
        (p.gzip ? `${((100 * (w.gzip - w.manifestGzip)) / p.gzip).toFixed(1)} %` : '-').padStart(13) +
        `${median(plain.map((v) => v.ms)).toFixed(0)}`.padStart(10) +
        `${median(worker.map((v) => v.ms)).toFixed(0)}`.padStart(11) +
        `  ${modes}`,
    );
  }
  const share = (bytes: number) => `${((100 * bytes) / totals.plain).toFixed(1)} %`;
  console.log(`all deploys: the worker moved ${share(totals.worker)} of the gzip bytes plain HTTP caching moved (${share(totals.worker - totals.manifest)} without the manifest)`);
}

/**
 * A revisit without a deploy while the manifest takes 2 s to arrive: the worker answers every
 * asset it holds from its cache without waiting for it. Per asset, the worker's response time
 * (its report's `ms`); with the worker alive from the first visit, and started cold (a
 * persistent profile, the browser closed and started again).
 */
async function delayedManifest(): Promise<void> {
  const last = deploys[deploys.length - 1]!;
  site.pages.set('/index.html', last.html);
  site.pages.set('/manifest/latest.json', last.manifestText);
  site.pages.set('/manifest/head.json', last.headText);
  site.pages.set('/api/orders', '[]');
  for (const server of [site, cdn]) server.cacheControl = 'no-store';
  const ready = `document.querySelector('.empty') !== null && window.swReports.length >= 3`;
  const profile = join(makeTempDir('deltawarm-bench-profile-'), 'profile');
  const open = async (context: BrowserContext) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const start = performance.now();
    await page.goto(`${site.url}index.html`);
    await page.waitForFunction(ready, undefined, { timeout: 10_000 });
    return { pageMs: performance.now() - start, reports: await collectReports(page) };
  };
  console.log(`\nrevisit without a deploy, manifest delayed ${MANIFEST_DELAY} ms (median of ${DELAYED_RUNS} runs; per asset: the worker's response ms)`);
  console.log('worker   page ready ms  slowest asset ms  assets (median ms, mode)');
  for (const cold of [false, true]) {
    const pageMs: number[] = [];
    const perAsset = new Map<string, number[]>();
    const modes = new Set<string>();
    for (let run = 0; run < DELAYED_RUNS; run++) {
      site.delays.clear();
      let context = await launchPersistentChromium(`${profile}-${cold}-${run}`);
      await open(context).catch(() => undefined); // installs the worker (its reports may not all arrive)
      await context.pages()[0]!.waitForFunction('navigator.serviceWorker.controller !== null');
      if (cold) {
        await context.close();
        context = await launchPersistentChromium(`${profile}-${cold}-${run}`);
      }
      site.delays.set('/manifest/latest.json', MANIFEST_DELAY);
      site.delays.set('/manifest/head.json', MANIFEST_DELAY);
      const visit = await open(context);
      await context.close();
      pageMs.push(visit.pageMs);
      for (const report of visit.reports) {
        perAsset.set(report.path, [...(perAsset.get(report.path) ?? []), report.ms]);
        modes.add(report.mode);
      }
    }
    site.delays.clear();
    const medians = [...perAsset].map(([path, ms]) => [path, median(ms)] as const);
    console.log(
      (cold ? 'cold' : 'alive').padEnd(9) +
        `${median(pageMs).toFixed(0)}`.padStart(13) +
        `${Math.max(...medians.map(([, ms]) => ms)).toFixed(1)}`.padStart(18) +
        `  ${medians.map(([path, ms]) => `${path} ${ms.toFixed(1)}`).join(', ')} (${[...modes].join('/')})`,
    );
  }
}

/** jQuery in committed mode: the page loads the CDN's full-file URL of the current version. */
async function jquery(): Promise<void> {
  const PATH = 'dist/jquery.js';
  const repo = buildRepo(['01', '11', '12'].map((n) => ({ message: n, files: { [PATH]: readFileSync(join(JQUERY, n, PATH)) } })));
  const out = join(tree, 'jq');
  const manifests: Record<string, Manifest> = {};
  const heads: Record<string, string> = {};
  for (const release of ['01', '11', '12']) {
    const flags = ['--repo', repo.dir, '--assets', PATH, '--out', out, '--versions', '2', '--cdn', `${cdn.url}jq/`, '--sw', '--release', repo.sha(release), '--quiet'];
    execFileSync(process.execPath, [join(ROOT, 'bin/deltawarm.js'), 'build', ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
    manifests[release] = JSON.parse(readFileSync(join(out, 'manifest', `${repo.sha(release)}.json`), 'utf8')) as Manifest;
    heads[release] = readFileSync(join(out, 'manifest', 'head.json'), 'utf8');
  }
  // SW_BASELINE=path/to/deltawarm-sw.min.js (e.g. built from main) is measured beside this build's worker, same runs.
  const workers: Record<string, string> = { 'this build': '/jq/deltawarm-sw.js' };
  if (process.env.SW_BASELINE) {
    const config = readFileSync(join(out, 'deltawarm-sw.js'), 'utf8').split('\n')[0]!;
    site.pages.set('/jq/deltawarm-sw-baseline.js', `${config}\n${readFileSync(process.env.SW_BASELINE, 'utf8')}`);
    workers.baseline = '/jq/deltawarm-sw-baseline.js';
  }
  let worker = workers['this build']!;
  const serve = (release: string, sw: boolean) => () => {
    const asset = manifests[release]!.assets[PATH]!;
    site.pages.set('/jq/index.html', `<!doctype html><meta charset="utf-8">${sw ? REGISTER.replace("'/deltawarm-sw.js'", `'${worker}'`) : ''}<script src="${cdn.url}jq/${keyToUrlPath(asset.full)}"></script>`);
    site.pages.set('/jq/manifest/latest.json', JSON.stringify(manifests[release]));
    site.pages.set('/jq/manifest/head.json', heads[release]!);
  };
  const counts = (server: StaticServer, path: string) => (server === cdn ? true : path.startsWith('/jq/manifest/'));
  const ready = `window.jQuery !== undefined`;
  const visit = (from: string, sw: boolean) => revisit({ sw, url: `${site.url}jq/index.html`, manifest: '/jq/manifest/latest.json', before: serve(from, sw), after: serve('12', sw), counts, ready });
  const reportMs = (v: Visit, mode: string) => v.reports.find((r) => r.mode === mode)?.ms ?? NaN;
  console.log(`\njQuery ${PATH}, revisit after a deploy (median of ${RUNS} runs for times)`);
  console.log('pair               plain HTTP raw / gzip   worker raw / gzip (manifest)     ratio gzip  plain ms  worker ms');
  const responses: string[] = [];
  for (const [from, label] of [['11', '4.0.0-rc.2 -> 4.0.0'], ['01', '3.6.0 -> 4.0.0']] as const) {
    const plain: Visit[] = [];
    const patched: Record<string, Visit[]> = {};
    const cached: Record<string, number[]> = {};
    for (let run = 0; run < RUNS; run++) {
      plain.push(await visit(from, false));
      for (const [name, file] of Object.entries(workers)) {
        worker = file;
        (patched[name] ??= []).push(await visit(from, true));
        // Its cache response, on the same visit after install as the patched one.
        (cached[name] ??= []).push(reportMs(await visit('12', true), 'cache'));
      }
    }
    const [p, w] = [plain[0]!, patched['this build']![0]!];
    console.log(
      label.padEnd(19) +
        `${kb(p.raw)} / ${kb(p.gzip)}`.padEnd(24) +
        `${kb(w.raw)} / ${kb(w.gzip)} (${kb(w.manifestGzip)})`.padEnd(33) +
        `${((100 * w.gzip) / p.gzip).toFixed(1)} %`.padStart(10) +
        `${median(plain.map((v) => v.ms)).toFixed(0)}`.padStart(10) +
        `${median(patched['this build']!.map((v) => v.ms)).toFixed(0)}`.padStart(11),
    );
    for (const name of Object.keys(workers)) {
      const patchMs = patched[name]!.map((v) => reportMs(v, 'patch'));
      const added = patchMs.map((ms, i) => ms - cached[name]![i]!);
      responses.push(label.padEnd(21) + name.padEnd(12) + `${median(patchMs).toFixed(1)}`.padStart(18) + `${median(cached[name]!).toFixed(1)}`.padStart(18) + `${median(added).toFixed(1)}`.padStart(14));
    }
  }
  console.log(`\njquery.js response time in the worker, first visit after install (median of ${RUNS}; added = median of per-run patch - cache)`);
  console.log('pair                 worker      patch response ms  cache response ms  added ms');
  console.log(responses.join('\n'));
}
