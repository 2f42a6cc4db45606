import { EnvironmentError } from '../errors.js';
import { shardResultKey } from '../shard/result.js';
import { prefixed } from '../tree/layout.js';
import type { Release } from '../types.js';
import type { NetworkOptions } from '../network/deadlines.js';
import { describeLimits } from '../network/deadlines.js';
import { type Env, createS3Client, endpointOf } from './client.js';
import { preflight } from './preflight.js';
import { attemptsOf, describeS3Error } from './s3-errors.js';
import { type Location, getStored } from './store-object.js';
import type { StorageTarget } from './target.js';

/** The stored results of shards 1..count of a release on one target: index i is shard i+1's, undefined when it has none. */
export async function readShardResults(target: StorageTarget, release: Release, count: number, env: Env, network: NetworkOptions): Promise<(Uint8Array | undefined)[]> {
  const client = createS3Client(target, env, network);
  try {
    await preflight(client, target, network);
    const keys = Array.from({ length: count }, (_, i) => prefixed(target.prefix, shardResultKey(release, { index: i + 1, count })));
    return await Promise.all(keys.map((key) => getObject({ client, network, bucket: target.bucket, key }, target)));
  } finally {
    client.destroy();
  }
}

async function getObject(at: Location, target: StorageTarget): Promise<Uint8Array | undefined> {
  try {
    return (await getStored(at))?.body;
  } catch (error) {
    throw new EnvironmentError(`target "${target.name}" at ${endpointOf(target)}: cannot read ${at.key}: ${describeS3Error(error)} after ${attemptsOf(error, at.network)} (${describeLimits(at.network)})`);
  }
}
