import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Step, buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { body } from '../../fixtures/histories.js';
import { main } from '../../src/cli/main.js';
import type { CoverageReport } from '../../src/report/coverage.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

const HOSTILE = 'dist/<img src=x onerror=alert(1)>.js';

/** Four releases; the hostile name proves paths are text, never markup. */
const steps: Step[] = ['one', 'two', 'three', 'four'].map((word, i) => ({
  message: `r${i + 1}`,
  files: {
    'dist/app.js': body('app') + `console.log("${word}");\n`.repeat(i + 1),
    'dist/app.css': body('css') + `body{color:#${i}${i}${i}}\n`,
    [HOSTILE]: body('x') + `let v = ${i};\n`,
    ...(i === 3 ? { 'dist/new.js': 'export const fresh = 1;\n' } : {}),
  },
}));

/** `deltawarm plan --html` on a real repository, then the page in headless Chromium. */
describe.skipIf(!chromiumAvailable())('HTML report in Chromium', () => {
  let browser: Browser;
  let html: string;
  let report: CoverageReport;

  beforeAll(async () => {
    const repo = buildRepo(steps);
    const out = makeTempDir();
    const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: out, isTTY: false };
    const code = await main(['node', 'deltawarm', 'plan', '--repo', repo.dir, '--assets', 'dist/**', '--html', 'r.html', '--report', 'r.json', '--quiet'], io);
    expect(code).toBe(0);
    html = readFileSync(join(out, 'r.html'), 'utf8');
    report = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the charts and tables from the report, fetching nothing and running nothing', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
    await page.setContent(html, { waitUntil: 'load' });

    expect(await page.title()).toBe(`deltawarm coverage, release ${report.release.slice(0, 10)}`);
    const withDeltawarm = await barValues(page, '#total-downloads', 'with deltawarm');
    const http = await barValues(page, '#total-downloads', 'plain HTTP caching');
    // Every commit changed the three old assets, so the client k commits behind holds their
    // version k older (patches[k - 1]); new.js is new to every client. Bytes on the wire: the
    // smaller of compressed and whole.
    const wire = (raw: number, gzip: number) => Math.min(raw, gzip);
    const old = report.assets.filter((a) => a.patches.length > 0);
    const fresh = report.assets.filter((a) => a.patches.length === 0);
    const full = (a: (typeof report.assets)[number]) => wire(a.bytes, a.gzipBytes);
    const downloads = (k: number) => old.reduce((sum, a) => sum + wire(a.patches[k - 1]!.bytes!, a.patches[k - 1]!.gzipBytes!), 0) + fresh.reduce((sum, a) => sum + full(a), 0);
    expect(report.behind).toBe('commits');
    expect(withDeltawarm.map((bar) => bar.value)).toEqual([1, 2, 3].map(downloads));
    expect(http.map((bar) => bar.value)).toEqual([1, 2, 3].map(() => report.assets.reduce((sum, a) => sum + full(a), 0)));
    for (const [i, bar] of withDeltawarm.entries()) {
      expect(bar.height).toBeGreaterThan(0);
      expect(bar.height).toBeLessThan(http[i]!.height);
    }
    expect(await page.locator('#total-downloads').innerText()).toContain('commits behind the release');
    const patched = await barValues(page, '#coverage', 'patched');
    expect(patched.map((bar) => bar.value)).toEqual([3, 3, 3]);
    expect((await barValues(page, '#coverage', 'new')).map((bar) => bar.value)).toEqual([1, 1, 1]);
    expect(await page.locator('#clients tbody tr').count()).toBe(3);
    expect(await page.locator('#per-asset figure').count()).toBe(4);
    expect(await page.locator('#assets tbody tr').count()).toBe(4);
    expect(await page.locator('#assets').innerText()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    expect([requests, problems]).toEqual([[], []]);
    await page.close();
  });
});

/** Value and on-screen height of each bar of one series in a chart. */
async function barValues(page: import('playwright-core').Page, chart: string, series: string): Promise<Array<{ value: number; height: number }>> {
  const bars = page.locator(`${chart} svg rect[data-series="${series}"]`);
  const result: Array<{ value: number; height: number }> = [];
  for (const bar of await bars.all()) {
    const box = await bar.boundingBox();
    result.push({ value: Number(await bar.getAttribute('data-value')), height: box?.height ?? 0 });
  }
  return result;
}
