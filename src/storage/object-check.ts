import { HeadObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { EnvironmentError } from '../errors.js';
import type { ExpectedObject } from '../shard/stored-objects.js';
import { prefixed } from '../tree/layout.js';
import type { NetworkOptions } from '../network/deadlines.js';
import { type Env, createS3Client, deadline } from './client.js';
import { describeS3Error, httpStatusOf, isNotFound } from './s3-errors.js';
import type { StorageTarget } from './target.js';

const HEADS_IN_FLIGHT = 16;

/** The objects a target lacks, or holds with another size, each as "KEY: why" (one HEAD per object). */
export async function missingObjects(target: StorageTarget, objects: readonly ExpectedObject[], env: Env, network: NetworkOptions): Promise<string[]> {
  const client = createS3Client(target, env, network);
  const limit = pLimit(HEADS_IN_FLIGHT);
  try {
    const found = await Promise.all(
      objects.map((object) =>
        limit(async () => {
          try {
            const head = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: prefixed(target.prefix, object.key) }), deadline(network));
            return head.ContentLength === object.size ? undefined : `${object.key}: ${head.ContentLength} bytes, the manifest says ${object.size}`;
          } catch (error) {
            if (isNotFound(error) || httpStatusOf(error) === 403) return `${object.key}: missing`;
            throw new EnvironmentError(`target "${target.name}": cannot check ${object.key}: ${describeS3Error(error)}`);
          }
        }),
      ),
    );
    return found.filter((problem) => problem !== undefined);
  } finally {
    client.destroy();
  }
}
