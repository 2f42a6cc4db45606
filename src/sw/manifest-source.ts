import { checkManifest } from '../client/manifest.js';
import type { AssetStore } from './asset-store.js';
import { type AssetIndex, indexManifest } from './asset-index.js';

/** What the worker knows about the manifest at one moment, read synchronously (as `respondWith` must be decided). */
export interface ManifestState {
  /** The last good index in memory. */
  index: AssetIndex | undefined;
  /** Whether a network read is in flight. */
  reading: boolean;
  /** `performance.now()` when the last network read settled (ok or not); -Infinity before the first. */
  checkedAt: number;
}

export interface ManifestSource {
  /** Starts reading the manifest from the network, unless a read is in flight; resolves to the index in use after it. */
  refresh(): Promise<AssetIndex | undefined>;
  /** The index being read, or the last good one (from memory, else from storage, else read now). */
  get(): Promise<AssetIndex | undefined>;
  state(): ManifestState;
}

/**
 * The manifest at `url`, read with a `timeout`; on failure (offline, HTTP error, not a
 * manifest) the last good one stays in use, in memory and in `store` across worker restarts.
 *
 * Ordering: a manifest read from the network always replaces the one in use; the stored one
 * (read at worker start) is adopted only while nothing else is, so a slow storage read can
 * never put an older manifest back over a fresher one.
 */
export function manifestSource(url: string, publicBase: string, timeout: number, store: AssetStore): ManifestSource {
  let current: AssetIndex | undefined;
  let pending: Promise<AssetIndex | undefined> | undefined;
  let checkedAt = -Infinity;
  // Stored manifests are written in the order they were read.
  let storing: Promise<unknown> = Promise.resolve();
  const parse = (text: string) => indexManifest(checkManifest(JSON.parse(text)), url, publicBase);
  const stored = async () => {
    try {
      const text = await store.getManifest();
      if (text !== undefined && !current) current = parse(text);
    } catch {
      // unreadable storage or a stored body that is not a manifest: nothing to fall back to
    }
    return current;
  };
  const read = async () => {
    try {
      const response = await fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(timeout) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      const index = (current = parse(text));
      // Kept for restarts and offline visits; a storage failure only loses that.
      storing = storing.then(() => Promise.all([store.putManifest(text), store.prune(index.manifest.assets)])).catch(() => undefined);
    } catch {
      if (!current) await stored();
    }
    checkedAt = performance.now();
    pending = undefined;
    return current;
  };
  const refresh = () => (pending ??= read());
  return {
    refresh,
    get: async () => (pending ? await pending : (current ?? (await stored()) ?? (await refresh()))),
    state: () => ({ index: current, reading: pending !== undefined, checkedAt }),
  };
}
