import type { AssetPath, Release, Version } from '../types.js';

/** What a visit beacon said (SPEC §14): the release loaded, the one held before (`new`: none), patches that failed. */
export const NEW_VISITOR = 'new';

/** Counts of one kind of request: how many, and the bytes the logs say were sent. */
export interface Count {
  requests: number;
  bytes: number;
}

/**
 * Everything the analysis needs from the logs, aggregated: bounded by the number of distinct
 * objects and release pairs, never by the number of requests. The CSV form (one row per key)
 * is what the SQL of docs/traffic.md produces from a CDN's log table.
 */
export interface Tally {
  /** Visit beacons by `RELEASE HELD`: visits, and patches that failed in them. */
  visits: Map<string, { visits: number; failed: number }>;
  /** Patch downloads by `FROM TO ASSET`. */
  patches: Map<string, Count>;
  /** Full-file downloads by `VERSION ASSET`. */
  fulls: Map<string, Count>;
  /** Log lines read, and those that were not deltawarm's (other paths, errors). */
  lines: number;
  unparsed: number;
}

export const emptyTally = (): Tally => ({ visits: new Map(), patches: new Map(), fulls: new Map(), lines: 0, unparsed: 0 });

export function addVisit(tally: Tally, release: Release, held: Version | typeof NEW_VISITOR, visits: number, failed: number): void {
  const key = `${release} ${held}`;
  const entry = tally.visits.get(key);
  if (entry) {
    entry.visits += visits;
    entry.failed += failed;
  } else tally.visits.set(key, { visits, failed });
}

export function addCount(map: Map<string, Count>, key: string, requests: number, bytes: number): void {
  const entry = map.get(key);
  if (entry) {
    entry.requests += requests;
    entry.bytes += bytes;
  } else map.set(key, { requests, bytes });
}

export const patchKey = (from: Version, to: Version, asset: AssetPath) => `${from} ${to} ${asset}`;
export const fullKey = (version: Version, asset: AssetPath) => `${version} ${asset}`;

/** Splits a tally key back into its parts (the last part, an asset path, may hold spaces). */
export function splitKey(key: string, parts: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = 1; i < parts; i++) {
    const next = key.indexOf(' ', at);
    out.push(key.slice(at, next));
    at = next + 1;
  }
  out.push(key.slice(at));
  return out;
}

export function mergeTally(into: Tally, from: Tally): void {
  for (const [key, { visits, failed }] of from.visits) {
    const [release, held] = splitKey(key, 2) as [string, string];
    addVisit(into, release, held, visits, failed);
  }
  for (const [key, { requests, bytes }] of from.patches) addCount(into.patches, key, requests, bytes);
  for (const [key, { requests, bytes }] of from.fulls) addCount(into.fulls, key, requests, bytes);
  into.lines += from.lines;
  into.unparsed += from.unparsed;
}
