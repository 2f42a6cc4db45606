import { checkManifest } from '../client/manifest.js';
import type { AssetStore } from './asset-store.js';
import { type AssetIndex, indexManifest } from './asset-index.js';

export interface ManifestSource {
  /** Starts reading the manifest again, unless a read is in flight; called once per navigation. */
  refresh(): Promise<AssetIndex | undefined>;
  /** The index being read, or the last good one (from memory, else from storage, else read now). */
  get(): Promise<AssetIndex | undefined>;
  /** The last good index in memory, and whether a read is in flight: to decide synchronously which requests to answer. */
  state(): { index: AssetIndex | undefined; reading: boolean };
}

/**
 * The manifest at `url`, read with a `timeout`; on failure (offline, HTTP error, not a
 * manifest) the last good one stays in use, in memory and in `store` across worker restarts.
 */
export function manifestSource(url: string, publicBase: string, timeout: number, store: AssetStore): ManifestSource {
  let current: AssetIndex | undefined;
  let pending: Promise<AssetIndex | undefined> | undefined;
  const adopt = (text: string) => (current = indexManifest(checkManifest(JSON.parse(text)), url, publicBase));
  const stored = async () => {
    try {
      const text = await store.getManifest();
      return text === undefined ? undefined : adopt(text);
    } catch {
      return undefined;
    }
  };
  const read = async () => {
    try {
      const response = await fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(timeout) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      const index = adopt(text);
      // Kept for restarts and offline visits; a storage failure only loses that.
      Promise.all([store.putManifest(text), store.prune(index.manifest.assets)]).catch(() => undefined);
    } catch {
      if (!current) await stored();
    }
    pending = undefined;
    return current;
  };
  return {
    refresh: () => (pending ??= read()),
    get: async () => (pending ? await pending : (current ?? (await stored()) ?? (await (pending = read())))),
    state: () => ({ index: current, reading: pending !== undefined }),
  };
}
