import { RunFailure } from '../errors.js';
import { MANIFEST_CONTENT_TYPE, NO_CACHE } from '../tree/layout.js';
import type { ManifestAsset } from '../tree/manifest.js';
import type { TreeMeta } from '../tree/release-tree.js';
import type { StoredObject } from '../tree/stored-object.js';
import type { AssetPath, Release, StorageKey } from '../types.js';
import { type Shard, shardName } from './shard.js';

export const SHARD_FORMAT = 'deltawarm-shard/1';

/** What one shard of a release did (SPEC §11): written after its objects, read by `finish`. */
export interface ShardResult {
  format: typeof SHARD_FORMAT;
  release: Release;
  shard: Shard;
  status: 'ok' | 'failed';
  /** Why a failed shard failed. */
  reason?: string;
  /** The settings that shape the tree; every shard of a release must have run with the same. */
  settings: ShardSettings;
  meta: TreeMeta;
  /** Manifest entries of the shard's assets, whose objects are stored (none when failed). */
  assets: Record<AssetPath, ManifestAsset>;
}

export interface ShardSettings {
  assets: string[];
  versions: number;
  maxPatchRatio: number;
  maxSize: number;
  window?: string;
  hashPattern?: string;
}

export const shardResultKey = (release: Release, shard: Shard): StorageKey => `shard/${release}/${shard.index}-of-${shard.count}.json`;

/** Not immutable: a shard re-run after a failure replaces its failed result. */
export function shardResultObject(result: ShardResult): StoredObject {
  const body = new TextEncoder().encode(JSON.stringify(result, null, 2) + '\n');
  return { key: shardResultKey(result.release, result.shard), body, contentType: MANIFEST_CONTENT_TYPE, cacheControl: NO_CACHE, immutable: false };
}

/** Reads a shard result stored under `key`; anything else is a failure naming where it is. */
export function parseShardResult(bytes: Uint8Array, where: string): ShardResult {
  const invalid = (why: string) => new RunFailure(`the shard result ${where} is not valid: ${why} (re-run that shard)`);
  let value: Partial<ShardResult> | null;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<ShardResult> | null;
  } catch {
    throw invalid('not JSON');
  }
  if (value?.format !== SHARD_FORMAT) throw invalid(`format is not "${SHARD_FORMAT}"`);
  if (value.status !== 'ok' && value.status !== 'failed') throw invalid('"status" is not "ok" or "failed"');
  if (typeof value.release !== 'string' || !value.shard || !value.settings || !value.meta || typeof value.assets !== 'object' || value.assets === null) {
    throw invalid('it needs "release", "shard", "settings", "meta" and "assets"');
  }
  return value as ShardResult;
}

export const describeShard = (result: Pick<ShardResult, 'shard'>) => `shard ${shardName(result.shard)}`;
