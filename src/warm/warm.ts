import pLimit from 'p-limit';
import type { StorageKey } from '../types.js';
import { cacheState, cdnUrl, getObject, networkReason } from './cdn-http.js';

export interface WarmOptions {
  /** Requests in flight per CDN (default 8). */
  concurrency?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export interface CdnWarmResult {
  base: string;
  /** Why the CDN was not warmed at all (its first request got no HTTP answer). */
  down?: string;
  requested: number;
  ok: number;
  /** Answers by HTTP status, e.g. { "200": 41 }. */
  statuses: Record<string, number>;
  /** Answers by the edge's cache verdict (CF-Cache-Status, X-Cache-Status or X-Cache), e.g. { MISS: 40, HIT: 1 }. */
  cache: Record<string, number>;
  /** Answers that carried an Age header. */
  withAge: number;
  failures: { key: StorageKey; reason: string }[];
  wallMs: number;
}

export interface WarmResult {
  cdns: CdnWarmResult[];
}

/**
 * Requests every key through every CDN base URL with bounded concurrency, so that the
 * first users hit warm edges. Best effort: a CDN that is down or answers errors is
 * reported, never thrown. Each CDN is probed with its first key before fanning out.
 */
export async function warm(keys: readonly StorageKey[], bases: readonly string[], options: WarmOptions = {}): Promise<WarmResult> {
  return { cdns: await Promise.all(bases.map((base) => warmOne(keys, base, options))) };
}

async function warmOne(keys: readonly StorageKey[], base: string, options: WarmOptions): Promise<CdnWarmResult> {
  const started = performance.now();
  const result: CdnWarmResult = { base, requested: 0, ok: 0, statuses: {}, cache: {}, withAge: 0, failures: [], wallMs: 0 };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const request = async (key: StorageKey): Promise<boolean> => {
    result.requested++;
    try {
      const got = await getObject(cdnUrl(base, key), timeoutMs);
      count(result.statuses, String(got.status));
      const state = cacheState(got.headers);
      if (state) count(result.cache, state);
      if (got.headers.has('age')) result.withAge++;
      if (got.status >= 200 && got.status < 300) result.ok++;
      else result.failures.push({ key, reason: `HTTP ${got.status}` });
      return true;
    } catch (error) {
      result.failures.push({ key, reason: networkReason(error) });
      return false;
    }
  };
  const [first, ...rest] = keys;
  if (first !== undefined && !(await request(first))) {
    result.down = result.failures[0]?.reason;
  } else {
    const limit = pLimit(options.concurrency ?? 8);
    await Promise.all(rest.map((key) => limit(() => request(key))));
  }
  result.wallMs = performance.now() - started;
  return result;
}

function count(tally: Record<string, number>, name: string): void {
  tally[name] = (tally[name] ?? 0) + 1;
}
