import { checkManifest } from '../client/manifest.js';
import { integrityOf } from '../client/integrity.js';
import { none } from '../client/download.js';
import type { Manifest } from '../tree/manifest.js';
import { type Changes, HEAD_CHAIN, HEAD_FORMAT, type Head, applyChanges, manifestText } from '../tree/manifest-changes.js';
import type { AssetStore } from './asset-store.js';
import { type AssetIndex, indexManifest } from './asset-index.js';

/** What the worker knows about the manifest at one moment, read synchronously (as `respondWith` must be decided). */
export interface ManifestState {
  /** The last good index in memory. */
  index: AssetIndex | undefined;
  /** `performance.now()` when the last network read settled (ok or not); -Infinity before the first. */
  checkedAt: number;
}

export interface ManifestSource {
  /** Starts reading the manifest from the network, unless a read is in flight; resolves to the index in use after it. */
  refresh(): Promise<AssetIndex | undefined>;
  /** The index being read, or the last good one (from memory, else from storage, else read now). */
  get(): Promise<AssetIndex | undefined>;
  /** The last good index, from memory or else from storage, without waiting for the network. */
  held(): Promise<AssetIndex | undefined>;
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
  let storedText: Promise<string | undefined> | undefined;
  const stored = async () => {
    try {
      // Read once per worker: later manifests are in memory.
      const text = await (storedText ??= store.getManifest());
      if (text !== undefined && !current) current = parse(text);
    } catch {
      // unreadable storage or a stored body that is not a manifest: nothing to fall back to
    }
    return current;
  };
  // One deadline per read, for the head, the changes objects and the full manifest together.
  let signal: AbortSignal;
  const get = async (at: string) => {
    const response = await fetch(new URL(at, url), { cache: 'no-cache', signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  };
  /**
   * The new manifest's text from the head and the changes objects since the held one (SPEC
   * §12); undefined when that cannot be had (no head, too far behind, anything malformed): the
   * full manifest is read then. Trusted only when it hashes to the head's integrity.
   */
  const fromHead = async (held: Manifest) => {
    try {
      const head = JSON.parse(await get('head.json')) as Head;
      const behind = head.chain.indexOf(held.release);
      if (head.format !== HEAD_FORMAT || head.chain[0] !== head.release || behind < 0 || behind >= HEAD_CHAIN) return;
      if (!behind) return current;
      const steps = await Promise.all(head.chain.slice(0, behind).map(async (to, n) => JSON.parse(await get(`changes/${head.chain[n + 1]}/${to}.json`)) as Changes));
      const text = manifestText(steps.reduceRight(applyChanges, held));
      if ((await integrityOf(text)) === head.manifest) return adopt(text);
    } catch {
      // read the full manifest
    }
  };
  /** Adopts a manifest's text: in use at once, and stored for restarts and offline visits (a storage failure only loses that). */
  const adopt = (text: string) => {
    const index = (current = parse(text));
    storing = storing.then(() => Promise.all([store.putManifest(text), store.prune(index.manifest.assets)])).catch(none);
    return index;
  };
  const read = async () => {
    signal = AbortSignal.timeout(timeout);
    try {
      if (!(current && (await fromHead(current.manifest)))) adopt(await get(url));
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
    held: async () => current ?? stored(),
    state: () => ({ index: current, checkedAt }),
  };
}
