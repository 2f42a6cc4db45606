import type { ReleaseTree } from '../tree/release-tree.js';
import type { StoredObject } from '../tree/stored-object.js';
import { SHARD_FORMAT, type ShardResult, type ShardSettings, shardResultObject } from './result.js';
import type { Shard } from './shard.js';

/**
 * What a shard stores: its assets' full files and patches, then its result, and never a
 * manifest (`finish` writes those). Publish order puts the result after the objects.
 */
export function shardObjects(tree: ReleaseTree, shard: Shard, settings: ShardSettings): StoredObject[] {
  const contents = tree.objects.filter((object) => !object.key.startsWith('manifest/'));
  return [...contents, shardResultObject(resultOf(tree, shard, settings, { status: 'ok', assets: tree.manifest.assets }))];
}

/** A shard that found a failure stores only a result saying so, for `finish` to report. */
export function failedShardObject(tree: ReleaseTree, shard: Shard, settings: ShardSettings, reason: string): StoredObject {
  return shardResultObject(resultOf(tree, shard, settings, { status: 'failed', reason, assets: {} }));
}

function resultOf(tree: ReleaseTree, shard: Shard, settings: ShardSettings, outcome: Pick<ShardResult, 'status' | 'reason' | 'assets'>): ShardResult {
  return { format: SHARD_FORMAT, release: tree.meta.release, shard, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}), settings, meta: tree.meta, assets: outcome.assets };
}

/** The options a shard result records, from the pipeline options. */
export function shardSettings(options: ShardSettings): ShardSettings {
  const { assets, versions, maxPatchRatio, maxSize, window, hashPattern } = options;
  return { assets, versions, maxPatchRatio, maxSize, ...(window === undefined ? {} : { window }), ...(hashPattern === undefined ? {} : { hashPattern }) };
}
