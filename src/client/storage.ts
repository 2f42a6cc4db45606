import type { AssetPath, Version } from '../types.js';
import type { StorageLike } from './types.js';

export interface CachedAsset {
  version: Version;
  text: string;
}

/**
 * Cached asset texts in Web Storage. Entry `NAMESPACE:PATH` holds `VERSION\nTEXT`; key
 * `NAMESPACE` holds when each entry was last used, for least-recently-used eviction.
 * Storage failures never escape: a read that throws is a miss, a write that fails is skipped.
 */
export interface AssetCache {
  get(path: AssetPath): CachedAsset | undefined;
  /** Stores `entry`; on a full quota, evicts least recently used entries and retries once. */
  put(path: AssetPath, entry: CachedAsset): void;
  /** Marks the entry as used now. */
  touch(path: AssetPath): void;
  /** Forgets the entry (a text that failed to run is not kept as good). */
  remove(path: AssetPath): void;
}

type LastUsed = Record<AssetPath, number>;

/** The cache, or undefined when storage is disabled, absent or throws (Safari private mode). */
export function openCache(storage: StorageLike | null | undefined, namespace: string): AssetCache | undefined {
  let store: StorageLike;
  try {
    store = storage === undefined ? localStorage : storage!;
    store.getItem(namespace);
  } catch {
    return undefined;
  }
  const entryKey = (path: AssetPath) => `${namespace}:${path}`;
  const attempt = <T>(action: () => T): T | undefined => {
    try {
      return action();
    } catch {
      return undefined;
    }
  };
  const lastUsed = (): LastUsed => attempt(() => JSON.parse(store.getItem(namespace) ?? '{}') as LastUsed) ?? {};
  const saveLastUsed = (used: LastUsed) => attempt(() => store.setItem(namespace, JSON.stringify(used)));

  /** Removes entries other than `keep`, least recently used first, until `needed` characters are freed. */
  const evict = (keep: AssetPath, needed: number) => {
    const used = lastUsed();
    for (const path of Object.keys(used).sort((a, b) => used[a]! - used[b]!)) {
      if (needed <= 0) break;
      if (path === keep) continue;
      needed -= store.getItem(entryKey(path))?.length ?? 0;
      store.removeItem(entryKey(path));
      delete used[path];
    }
    saveLastUsed(used);
  };

  const touch = (path: AssetPath) => saveLastUsed({ ...lastUsed(), [path]: Date.now() });

  return {
    get(path) {
      const value = attempt(() => store.getItem(entryKey(path)));
      const newline = value?.indexOf('\n') ?? -1;
      return newline < 0 ? undefined : { version: value!.slice(0, newline), text: value!.slice(newline + 1) };
    },
    put(path, { version, text }) {
      const value = `${version}\n${text}`;
      try {
        store.setItem(entryKey(path), value);
      } catch (error) {
        const retried = /quota/i.test((error as Error).name) && attempt(() => {
          // frees at least one entry, and as much as the entry grows
          evict(path, Math.max(1, value.length - (store.getItem(entryKey(path))?.length ?? 0)));
          store.setItem(entryKey(path), value);
          return true;
        });
        if (!retried) return;
      }
      touch(path);
    },
    touch,
    remove(path) {
      attempt(() => store.removeItem(entryKey(path)));
    },
  };
}
