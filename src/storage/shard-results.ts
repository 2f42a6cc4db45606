import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { EnvironmentError } from '../errors.js';
import { shardResultKey } from '../shard/result.js';
import { prefixed } from '../tree/layout.js';
import type { Release } from '../types.js';
import { type Env, createS3Client } from './client.js';
import { preflight } from './preflight.js';
import { describeS3Error, isNotFound } from './s3-errors.js';
import type { StorageTarget } from './target.js';

/** The stored results of shards 1..count of a release on one target: index i is shard i+1's, undefined when it has none. */
export async function readShardResults(target: StorageTarget, release: Release, count: number, env: Env): Promise<(Uint8Array | undefined)[]> {
  const client = createS3Client(target, env, { maxAttempts: 5 });
  try {
    await preflight(client, target);
    const keys = Array.from({ length: count }, (_, i) => prefixed(target.prefix, shardResultKey(release, { index: i + 1, count })));
    return await Promise.all(keys.map((key) => getObject(client, target, key)));
  } finally {
    client.destroy();
  }
}

async function getObject(client: S3Client, target: StorageTarget, key: string): Promise<Uint8Array | undefined> {
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    return got.Body ? await got.Body.transformToByteArray() : new Uint8Array();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new EnvironmentError(`target "${target.name}": cannot read ${key}: ${describeS3Error(error)}`);
  }
}
