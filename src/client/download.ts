import type { ManifestAsset } from '../tree/manifest.js';
import type { PatchFormat, Version } from '../types.js';
import type { FetchThroughCdns } from './fetch-through-cdns.js';
import { integrityOf, subtle } from './integrity.js';
import { applyPatch } from './patch.js';

/** Where a downloaded text came from. */
export interface Source {
  mode: 'patch' | 'full';
  /** Body bytes received for the patch or full file: its Content-Length, else its manifest size. */
  bytes: number;
  cdn: string;
  /** Every source that failed before this one. */
  error?: string;
}

/** The current text of an asset, verified, and its source. */
export interface Downloaded {
  text: string;
  source: Source;
}

export const none = () => undefined;

/** A cached older version; its text may still be being read while the patch is fetched. */
export interface OldVersion {
  version: Version;
  text: string | Promise<string>;
}

/**
 * Downloads the current version of `asset`: the listed patch of the `cached` version applied,
 * else the full file, each through the CDNs in order and integrity-checked (without
 * SubtleCrypto, full files unchecked). A cached text that is not the patch's old text fails
 * that check, so it is not hashed beforehand: that would cost a SHA-256 of the old text on
 * every patch to save a request in the rare case of a corrupt cache. Throws listing every URL
 * tried and why it failed.
 */
export async function download(format: PatchFormat, asset: ManifestAsset, cached: OldVersion | undefined, fromCdns: FetchThroughCdns): Promise<Downloaded> {
  const tried: string[] = [];
  const patch = cached && asset.patches?.[cached.version];
  const patched = patch && (await fromCdns(patch.key, async (text) => applyPatch(format, text, await cached.text, asset), tried).catch(none));
  const got = patched || (await fromCdns(asset.full, (text) => verifyFull(text, asset), tried).catch(none));
  const error = tried.join('; ') || undefined;
  if (!got) throw new Error(error);
  return { text: got.value, source: { mode: patched ? 'patch' : 'full', bytes: got.size || (patched ? patch!.size : asset.size), cdn: got.cdn, error } };
}

async function verifyFull(text: string, asset: ManifestAsset): Promise<string> {
  if (subtle && (await integrityOf(text)) !== asset.integrity) throw new Error('integrity mismatch');
  return text;
}
