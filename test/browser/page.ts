import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AssetReport, LoadOptions } from '../../src/client/types.js';
import type { Manifest } from '../../src/tree/manifest.js';
import type { StaticServer } from './static-server.js';

const DIST = join(import.meta.dirname, '../../dist/client');

/** Serves the test pages and the runtime's two builds from `site`. */
export function addTestPages(site: StaticServer): void {
  const page = (head: string) => `<!doctype html><meta charset="utf-8"><title>deltawarm</title>${head}<body><p class="n">deltawarm</p>`;
  const classic = page('<script src="/deltawarm.min.js"></script>');
  site.pages.set('/deltawarm.min.js', readFileSync(join(DIST, 'deltawarm.min.js'), 'utf8'));
  site.pages.set('/deltawarm.mjs', readFileSync(join(DIST, 'deltawarm.mjs'), 'utf8'));
  site.pages.set('/index.html', classic);
  site.pages.set('/local/index.html', classic);
  site.pages.set('/esm.html', page('<script type="module">import * as deltawarm from "/deltawarm.mjs"; window.deltawarm = deltawarm;</script>'));
  const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-n0nce'; style-src 'nonce-n0nce'">`;
  site.pages.set('/csp.html', page(`${csp}<script nonce="n0nce" src="/deltawarm.min.js"></script>`));
}

/** Which storage a visit gives the runtime: the default (localStorage), none, or one that throws on every call. */
export type StorageChoice = 'default' | 'none' | 'throwing';

export type VisitOptions = Omit<LoadOptions, 'storage' | 'onAsset'> & { storage?: StorageChoice };

/** What a page shows after `load`: what ran, what applied, what was stored. */
export interface PageState {
  /** `load` rejected with this message. */
  error?: string;
  /** What `load` resolved with: one report per path, in the order given. */
  loaded?: AssetReport[];
  /** Reports received by `onAsset` as they came (weak-network updates arrive after `load` resolves). */
  reports: AssetReport[];
  /** Labels the fixture's scripts pushed, in execution order. */
  ran: string[];
  /** `window.text`, set by dist/text.js. */
  text?: string;
  /** Set only if a corrupted text ever ran. */
  corrupted?: boolean;
  bodyColor: string;
  htmlBackground: string;
  /** localStorage as it is now. */
  stored: Record<string, string>;
}

/** Opens `path` of the site, calls `deltawarm.load`, and returns the page state once it settles. */
export async function visit(page: Page, url: string, source: Manifest | string, paths: readonly string[], options: VisitOptions = {}): Promise<PageState> {
  await page.goto(url);
  await page.waitForFunction(() => 'deltawarm' in window);
  await page.evaluate(
    async ({ source, paths, options }) => {
      const w = window as unknown as Record<string, unknown> & { deltawarm: { load: (...args: unknown[]) => Promise<unknown> } };
      const reports: unknown[] = (w.reports = []);
      const fail = () => {
        throw new DOMException('storage disabled', 'SecurityError');
      };
      const storage = { default: undefined, none: null, throwing: { getItem: fail, setItem: fail, removeItem: fail } }[options.storage ?? 'default'];
      try {
        w.loaded = await w.deltawarm.load(source, paths, { held: false, ...options, storage, onAsset: (report: unknown) => reports.push(report) }); // the visit beacon only where a test asks for it
      } catch (error) {
        w.loadError = (error as Error).message;
      }
    },
    { source, paths, options },
  );
  return pageState(page);
}

export function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    let stored: Record<string, string> = {};
    try {
      stored = { ...localStorage };
    } catch {
      // storage disabled in this page: nothing stored
    }
    return {
      error: w.loadError as string | undefined,
      loaded: w.loaded as AssetReport[] | undefined,
      reports: w.reports as AssetReport[],
      ran: (w.ran as string[] | undefined) ?? [],
      text: w.text as string | undefined,
      corrupted: w.corrupted as boolean | undefined,
      bodyColor: getComputedStyle(document.body).color,
      htmlBackground: getComputedStyle(document.documentElement).backgroundColor,
      stored,
    };
  });
}
