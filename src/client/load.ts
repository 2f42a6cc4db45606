import type { AssetPath } from '../types.js';
import type { Manifest } from '../tree/manifest.js';
import { type Fetched, fetchThroughCdns } from './fetch-through-cdns.js';
import { integrityOf, subtle } from './integrity.js';
import { resolveManifest } from './manifest.js';
import { isWeakNetwork } from './network.js';
import { applyPatch } from './patch.js';
import { type RunAs, run, runAs } from './run.js';
import { openCache } from './storage.js';
import type { AssetMode, AssetReport, LoadOptions } from './types.js';

interface Ready {
  text: string;
  report: AssetReport;
}

const none = () => undefined;

/**
 * Loads `paths` of the manifest (the object, or a URL to fetch it from): each from the cache,
 * a patch of the cached version, or the full file, verified, stored, then run in order.
 * Resolves with one report per path; rejects when an asset could not be loaded from any source.
 */
export async function load(source: Manifest | string, paths: readonly AssetPath[], options: LoadOptions = {}): Promise<AssetReport[]> {
  const { timeout = 8000, maxRequests = 6, nonce, onAsset } = options;
  const { manifest, bases } = await resolveManifest(source, timeout);
  // Without SubtleCrypto nothing can be verified, so nothing is cached or patched.
  const cache = subtle && openCache(options.storage, options.namespace ?? 'deltawarm');
  const fromCdns = fetchThroughCdns(bases, maxRequests, timeout);
  const weak = options.weakNetwork !== false && isWeakNetwork();

  const obtain = async (path: AssetPath): Promise<Ready & { as: RunAs }> => {
    const start = performance.now();
    const asset = manifest.assets[path];
    const as = asset?.text ? runAs(asset.contentType) : undefined;
    if (!asset || !as) throw new Error(`deltawarm: ${path} is not a script or style sheet of the manifest`);
    const report = (mode: AssetMode, bytes: number, cdn?: string, error?: string): AssetReport => {
      const made: AssetReport = { path, mode, bytes, ms: performance.now() - start, cdn, error };
      onAsset?.(made);
      return made;
    };
    const cached = cache?.get(path);

    const download = async (): Promise<Ready> => {
      const tried: string[] = [];
      const patch = cached && asset.patches[cached.version];
      let got: Fetched<string> | undefined;
      if (patch) {
        const patched = (text: string) => applyPatch(manifest.patchFormat, text, cached.text, cached.version, asset);
        got = await fromCdns(patch.key, patched, tried).catch(none);
      }
      const mode: AssetMode = got ? 'patch' : 'full';
      got ??= await fromCdns(asset.full, verifyFull, tried).catch(none);
      const error = tried.join('; ') || undefined;
      if (!got) {
        report('full', 0, undefined, error);
        throw new Error(`deltawarm: ${path} could not be loaded: ${error}`);
      }
      cache?.put(path, { version: asset.version, text: got.value });
      return { text: got.value, report: report(mode, patch && mode === 'patch' ? patch.size : asset.size, got.cdn, error) };
    };

    const verifyFull = async (text: string) => {
      if (subtle && (await integrityOf(text)) !== asset.integrity) throw new Error('integrity mismatch');
      return text;
    };

    if (cached) {
      const current = cached.version === asset.version;
      if (current ? (await integrityOf(cached.text)) === asset.integrity : weak) {
        cache!.touch(path);
        if (!current) download().catch(none); // stored for the next visit, not run now
        return { text: cached.text, as, report: report('cache', 0) };
      }
    }
    return { ...(await download()), as };
  };

  const pending = paths.map(obtain);
  pending.forEach((ready) => ready.catch(none)); // failures surface in order below
  const reports: AssetReport[] = [];
  for (const ready of pending) {
    const { text, as, report } = await ready;
    run(as, text, nonce);
    reports.push(report);
  }
  return reports;
}
