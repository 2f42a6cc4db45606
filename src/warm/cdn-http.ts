import { keyToUrlPath } from '../tree/layout.js';
import type { StorageKey } from '../types.js';

/** A key's URL under a CDN (or store) base URL ending in `/` (SPEC §5, §6). */
export const cdnUrl = (base: string, key: StorageKey) => base + keyToUrlPath(key);

/** The edge's verdict (HIT, MISS, ...) from the first cache-status header present, if any. */
export function cacheState(headers: Headers): string | undefined {
  for (const name of ['cf-cache-status', 'x-cache-status', 'x-cache']) {
    const value = headers.get(name);
    if (value) return value.split(/[\s,]/)[0]?.toUpperCase();
  }
  return undefined;
}

export interface Fetched {
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** GET with a time limit, body read in full (so that the edge can cache it). Throws on network errors. */
export async function getObject(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Fetched> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  const body = new Uint8Array(await response.arrayBuffer());
  return { url, status: response.status, headers: response.headers, body };
}

/** A network failure in one short phrase: ECONNREFUSED, timeout, ... */
export function networkReason(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
