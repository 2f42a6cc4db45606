import { describe, expect, it } from 'vitest';
import { openCache } from './storage.js';
import type { StorageLike } from './types.js';

/** Web Storage in memory, with a quota in characters (keys + values) like the browsers'. */
class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    const used = [...this.items].reduce((sum, [k, v]) => sum + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const later = () => new Promise((resolve) => setTimeout(resolve, 2));

describe('asset cache', () => {
  it('stores version and text under NAMESPACE:PATH', () => {
    const storage = new MemoryStorage();
    const cache = openCache(storage, 'ns')!;
    cache.put('dist/a.js', { version: 'v1', text: 'a\nb' });
    expect(storage.getItem('ns:dist/a.js')).toBe('v1\na\nb');
    expect(cache.get('dist/a.js')).toEqual({ version: 'v1', text: 'a\nb' });
    expect(cache.get('dist/b.js')).toBeUndefined();
    expect(Object.keys(JSON.parse(storage.getItem('ns')!))).toEqual(['dist/a.js']);
  });

  it('on a full quota evicts least recently used entries of its namespace only, then retries once', async () => {
    const storage = new MemoryStorage(200);
    storage.setItem('other', 'x'.repeat(40));
    const cache = openCache(storage, 'ns')!;
    for (const path of ['old', 'mid', 'new']) {
      cache.put(path, { version: 'v', text: 'y'.repeat(20) });
      await later();
    }
    cache.touch('old');
    cache.put('big', { version: 'v', text: 'z'.repeat(40) });
    expect(cache.get('big')?.text).toBe('z'.repeat(40));
    expect(cache.get('mid')).toBeUndefined();
    expect(cache.get('old')).toBeDefined();
    expect(storage.getItem('other')).toBe('x'.repeat(40));
  });

  it('gives up without throwing when eviction does not make room', () => {
    const storage = new MemoryStorage(50);
    const cache = openCache(storage, 'ns')!;
    expect(() => cache.put('huge', { version: 'v', text: 'z'.repeat(100) })).not.toThrow();
    expect(cache.get('huge')).toBeUndefined();
  });

  it('does not evict on errors other than quota', () => {
    const storage = new MemoryStorage();
    const cache = openCache(storage, 'ns')!;
    cache.put('kept', { version: 'v', text: 't' });
    storage.setItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    expect(() => cache.put('other', { version: 'v', text: 't' })).not.toThrow();
    expect(cache.get('kept')).toEqual({ version: 'v', text: 't' });
  });

  it('is absent when storage is disabled or throws, and reads that throw are misses', () => {
    const throwing: StorageLike = {
      getItem: () => {
        throw new Error('private mode');
      },
      setItem: () => {},
      removeItem: () => {},
    };
    expect(openCache(null, 'ns')).toBeUndefined();
    expect(openCache(throwing, 'ns')).toBeUndefined();
    const storage = new MemoryStorage();
    const cache = openCache(storage, 'ns')!;
    storage.getItem = throwing.getItem;
    expect(cache.get('dist/a.js')).toBeUndefined();
  });
});
