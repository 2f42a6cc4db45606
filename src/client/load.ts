import type { AssetPath } from '../types.js';
import type { Manifest } from '../tree/manifest.js';
import { type Source, download, none } from './download.js';
import { fetchThroughCdns } from './fetch-through-cdns.js';
import { integrityOf, subtle } from './integrity.js';
import { resolveManifest } from './manifest.js';
import { visited } from './held-beacon.js';
import { isWeakNetwork } from './network.js';
import { type RunAs, run, runAs } from './run.js';
import { type CachedAsset, openCache } from './storage.js';
import type { AssetReport, LoadOptions } from './types.js';

interface Ready {
  text: string;
  as: RunAs;
  report: AssetReport;
  /** Stored once it ran (or at once, for a style sheet); absent for a text taken from the cache. */
  store?: CachedAsset;
}

/**
 * Loads `paths` of the manifest (the object, or a URL to fetch it from): each from the cache,
 * a patch of the cached version, or the full file, verified, then run in order and stored.
 * Resolves with one report per path; rejects when an asset could not be loaded from any
 * source or its script threw while it ran.
 */
export async function load(source: Manifest | string, paths: readonly AssetPath[], options: LoadOptions = {}): Promise<AssetReport[]> {
  const { timeout = 8000, maxRequests = 6, nonce, onAsset } = options;
  const { manifest, bases } = await resolveManifest(source, timeout);
  // Without SubtleCrypto nothing can be verified, so nothing is cached or patched.
  const cache = subtle && openCache(options.storage, options.namespace ?? 'deltawarm');
  const fromCdns = fetchThroughCdns(bases, maxRequests, timeout);
  const weak = options.weakNetwork !== false && isWeakNetwork();

  /** Reports why an asset failed and makes the error `load` rejects with. */
  const fail = (report: AssetReport, error: string) => {
    onAsset?.({ ...report, error });
    return new Error(`deltawarm: ${report.path} could not be loaded: ${error}`);
  };

  const obtain = async (path: AssetPath): Promise<Ready> => {
    const start = performance.now();
    const asset = manifest.assets[path];
    const as = asset?.text ? runAs(asset.contentType) : undefined;
    if (!asset || !as) throw new Error(`deltawarm: ${path} is not a script or style sheet of the manifest`);
    const report = (source: Source | { mode: 'cache' | 'full'; bytes: 0 }): AssetReport => ({ path, ...source, ms: performance.now() - start });
    // A marked ES module is refused before anything is downloaded: it runs only as a module.
    if (asset.module) throw fail(report({ mode: 'full', bytes: 0 }), 'it is an ES module: use deltawarm-sw.js');
    const cached = cache?.get(path);
    const update = () => download(manifest.patchFormat, asset, cached, fromCdns);

    if (cached) {
      const current = cached.version === asset.version;
      // An older version runs now only on a weak network, when the manifest vouches for it (fromIntegrity).
      if ((await integrityOf(cached.text)) === (current ? asset.integrity : weak && asset.patches?.[cached.version]?.fromIntegrity)) {
        cache!.touch(path);
        if (!current) {
          update().then(({ text, source }) => {
            cache!.put(path, { version: asset.version, text }); // stored for the next visit, not run now
            onAsset?.(report(source));
          }, none);
        }
        return { text: cached.text, as, report: report({ mode: 'cache', bytes: 0 }) };
      }
    }
    try {
      const { text, source } = await update();
      return { text, as, report: report(source), store: { version: asset.version, text } };
    } catch (error) {
      throw fail(report({ mode: 'full', bytes: 0 }), (error as Error).message);
    }
  };

  const pending = paths.map(obtain);
  pending.forEach((ready) => ready.catch(none)); // failures surface in order below
  const reports: AssetReport[] = [];
  for (const ready of pending) {
    const { text, as, report, store } = await ready;
    try {
      run(as, text, nonce);
    } catch (error) {
      cache?.remove(report.path);
      throw fail(report, (error as Error).message);
    }
    if (store) cache?.put(report.path, store);
    onAsset?.(report);
    reports.push(report);
  }
  if (cache && options.held !== false) visited(cache, manifest, bases[0]!, reports);
  return reports;
}
