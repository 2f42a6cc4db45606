import type { AssetPath, Version } from '../types.js';

/**
 * A stored asset: its version, known as soon as the entry is found, and its body, read only
 * by whoever needs it (as bytes to answer with, or as text to patch), once.
 */
export interface StoredAsset {
  version: Version;
  body: Response;
}

/**
 * Verified asset bodies and the last good manifest in Cache Storage, one entry per asset path
 * (its current version, so storing a new version replaces the old one), under URLs of the
 * worker's scope that are never requested. Every method may reject: storage disabled, quota
 * exceeded.
 */
export interface AssetStore {
  get(path: AssetPath): Promise<StoredAsset | undefined>;
  /** Stores `body` (a response's own or a clone, consumed here) as `version` of `path`. */
  put(path: AssetPath, version: Version, body: Response): Promise<void>;
  getManifest(): Promise<string | undefined>;
  putManifest(text: string): Promise<void>;
  /** Deletes the entries of assets not in `keep`. */
  prune(keep: Record<AssetPath, unknown>): Promise<void>;
}

const VERSION_HEADER = 'x-deltawarm-version';

export function openStore(cacheName: string, scope: string): AssetStore {
  const assetUrl = (path: AssetPath) => new URL(`deltawarm-cache/asset/${encodeURIComponent(path)}`, scope).href;
  const manifestUrl = new URL('deltawarm-cache/manifest', scope).href;
  const cache = () => caches.open(cacheName);
  const text = async (url: string) => (await (await cache()).match(url))?.text();
  return {
    async get(path) {
      const body = await (await cache()).match(assetUrl(path));
      const version = body?.headers.get(VERSION_HEADER);
      return body && version ? { version, body } : undefined;
    },
    async put(path, version, body) {
      await (await cache()).put(assetUrl(path), new Response(body.body, { headers: { [VERSION_HEADER]: version } }));
    },
    getManifest: () => text(manifestUrl),
    async putManifest(body) {
      await (await cache()).put(manifestUrl, new Response(body));
    },
    async prune(keep) {
      const opened = await cache();
      const prefix = assetUrl('');
      for (const request of await opened.keys()) {
        const path = request.url.startsWith(prefix) && decodeURIComponent(request.url.slice(prefix.length));
        if (path && !(path in keep)) await opened.delete(request);
      }
    },
  };
}
