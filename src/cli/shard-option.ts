import { type Command, Option } from 'commander';
import type { Prewarm } from '../index.js';
import { failedShardObject, shardObjects, shardSettings } from '../shard/shard-tree.js';
import { type Shard, parseShard, shardName } from '../shard/shard.js';
import type { StoredObject } from '../tree/stored-object.js';
import type { RunOptions } from './options.js';

/** `--shard K/N` for build and push: one job of a CI matrix, finished by `deltawarm finish`. */
export function addShardOption(command: Command): Command {
  return command.addOption(new Option('--shard <K/N>', 'compute and store only shard K of N of the assets, plus a shard result; `deltawarm finish --shards N` writes the manifests').argParser(parseShard));
}

export const withShard = (options: RunOptions, shard: Shard | undefined): RunOptions => (shard ? { ...options, prewarm: { ...options.prewarm, shard } } : options);

/**
 * What build and push store: the whole tree; or for a shard its objects and its result; or,
 * when a patch failed, nothing (a shard still stores a result saying it failed).
 */
export function objectsToStore(result: Prewarm, options: RunOptions, shard: Shard | undefined): StoredObject[] {
  const failures = result.report.failures.length;
  const settings = shardSettings(options.prewarm);
  if (!shard) return failures > 0 ? [] : result.objects;
  return failures > 0 ? [failedShardObject(result, shard, settings, `${failures} patch(es) did not verify`)] : shardObjects(result, shard, settings);
}

/** The line after a shard stored its part. */
export const shardDone = (shard: Shard) => `shard ${shardName(shard)} stored its part and its result; after every shard, \`deltawarm finish --shards ${shard.count}\` writes the manifests`;
