import { GetObjectCommand } from '@aws-sdk/client-s3';
import { EnvironmentError } from '../errors.js';
import type { HistoryStore } from '../history/store.js';
import { prefixed } from '../tree/layout.js';
import { type Env, createS3Client } from './client.js';
import { preflight } from './preflight.js';
import { describeS3Error, isNotFound } from './s3-errors.js';
import type { StorageTarget } from './target.js';

/**
 * A push target read back as the deploy history (S3 GETs with the SDK's retries). The target is
 * checked first, so wrong credentials or a missing bucket stop the run before anything is read
 * or published, with the same one-line reason as publishing gives.
 */
export async function openS3HistoryStore(target: StorageTarget, env: Env): Promise<HistoryStore & { close(): void }> {
  const client = createS3Client(target, env, { maxAttempts: 5 });
  try {
    await preflight(client, target);
  } catch (error) {
    client.destroy();
    throw error;
  }
  let requests = 0;
  return {
    name: `target "${target.name}" (s3://${target.bucket}/${prefixed(target.prefix, '')})`,
    requests: () => requests,
    close: () => client.destroy(),
    async get(key) {
      requests++;
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: prefixed(target.prefix, key) }));
        return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw new EnvironmentError(`cannot read the deploy history from target "${target.name}": ${describeS3Error(error)} (check its credentials and bucket, or pass --history URL)`);
      }
    },
  };
}
