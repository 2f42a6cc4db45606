import type { AssetPath, PatchFormat, Release, StorageKey, Version } from '../types.js';

/** Storage keys and their HTTP headers (SPEC §5). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
export const LATEST_MANIFEST_KEY: StorageKey = 'manifest/latest.json';

export const PATCH_EXTENSION: Record<PatchFormat, string> = { json: '.json', tab: '.patch', delta: '.dpatch' };
export const PATCH_CONTENT_TYPE: Record<PatchFormat, string> = {
  json: 'application/json; charset=utf-8',
  tab: 'text/plain; charset=utf-8',
  // text/plain, so that CDNs compress it on the fly
  delta: 'text/plain; charset=utf-8',
};
export const MANIFEST_CONTENT_TYPE = 'application/json; charset=utf-8';

export const fullKey = (version: Version, asset: AssetPath): StorageKey => `full/${version}/${asset}`;

export const patchKey = (from: Version, to: Version, asset: AssetPath, format: PatchFormat): StorageKey =>
  `patch/${from}/${to}/${asset}${PATCH_EXTENSION[format]}`;

export const releaseManifestKey = (release: Release): StorageKey => `manifest/${release}.json`;

/** Joins a prefix (may be empty, with or without a trailing slash) and a key. */
export function prefixed(prefix: string, key: StorageKey): string {
  const clean = prefix.replace(/^\/+|\/+$/g, '');
  return clean === '' ? key : `${clean}/${key}`;
}

/** The URL path of a key: each segment percent-encoded with encodeURIComponent. */
export function keyToUrlPath(key: StorageKey): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
