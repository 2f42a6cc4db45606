import type { AssetPath } from '../types.js';
import type { Manifest } from '../tree/manifest.js';
import { keyToUrlPath } from '../tree/layout.js';
import { basesOf } from '../client/manifest.js';

/** A manifest as the worker uses it: which asset each URL it answers is, and where keys are fetched from. */
export interface AssetIndex {
  manifest: Manifest;
  /** Base URLs to fetch keys from, in order of preference. */
  bases: string[];
  /** Asset path by absolute URL, for the text assets only. */
  byUrl: Map<string, AssetPath>;
  /**
   * The URLs of `byUrl` whose bytes cannot change: full-file URLs (their key holds the version)
   * and built URLs with a content hash (`url` differs from the logical name).
   */
  immutable: Set<string>;
  /** File extensions of those URLs (`.js`, `.css`): a newer deploy's assets will have the same. */
  extensions: Set<string>;
}

/** The file extension of a URL's path, or '' without one. */
export const extensionOf = (url: string): string => /\.[^./]*$/.exec(new URL(url).pathname)?.[0] ?? '';

/**
 * Indexes the text assets of `manifest` (fetched from `manifestUrl`) by the URLs a page
 * requests them at: a built asset's `url` under `publicBase`, and every asset's full-file URL
 * through each CDN (or, with no CDNs, in the manifest's own tree).
 */
export function indexManifest(manifest: Manifest, manifestUrl: string, publicBase: string): AssetIndex {
  const bases = basesOf(manifest, new URL('..', manifestUrl).href);
  const byUrl = new Map<string, AssetPath>();
  const immutable = new Set<string>();
  for (const [path, asset] of Object.entries(manifest.assets)) {
    if (!asset.text) continue;
    const built = asset.url && new URL(asset.url, publicBase).href;
    if (built) byUrl.set(built, path);
    if (built && asset.url !== path) immutable.add(built);
    for (const base of bases) {
      const full = new URL(keyToUrlPath(asset.full), base).href;
      byUrl.set(full, path);
      immutable.add(full);
    }
  }
  return { manifest, bases, byUrl, immutable, extensions: new Set([...byUrl.keys()].map(extensionOf)) };
}
