import type { StorageKey } from '../types.js';
import { keyToUrlPath } from '../tree/layout.js';

/** What a source gave once its text passed the caller's check. */
export interface Fetched<T> {
  value: T;
  /** Base URL of the CDN that served it. */
  cdn: string;
  /** Its Content-Length (the bytes received, compressed or not); 0 when the response had none. */
  size: number;
}

/**
 * Fetches `key` from each CDN base in order (with `get`, by default `fetch`) until one serves a text that `check` accepts.
 * Every failure (network, HTTP status, timeout, rejected by `check`) is appended to `tried`
 * as `URL: reason`; when all fail, throws.
 */
export type FetchThroughCdns = <T>(key: StorageKey, check: (text: string) => T | Promise<T>, tried: string[]) => Promise<Fetched<T>>;

export function fetchThroughCdns(bases: readonly string[], maxRequests: number, timeout: number, get: (url: string, init: RequestInit) => Promise<Response> = fetch): FetchThroughCdns {
  const limit = limiter(maxRequests);
  const fetchText = (url: string) =>
    limit(async () => {
      const response = await get(url, { signal: AbortSignal.timeout(timeout) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return [await response.text(), +response.headers.get('content-length')! || 0] as const;
    });
  return async (key, check, tried) => {
    for (const base of bases) {
      const url = new URL(keyToUrlPath(key), base).href;
      try {
        const [text, size] = await fetchText(url);
        return { value: await check(text), cdn: base, size };
      } catch (error) {
        tried.push(`${url}: ${(error as Error).message}`);
      }
    }
    throw new Error(); // the reasons are in `tried`
  };
}

/** Runs at most `max` tasks at once; the rest wait their turn in order. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
