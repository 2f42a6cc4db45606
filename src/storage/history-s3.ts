import { GetObjectCommand } from '@aws-sdk/client-s3';
import { EnvironmentError } from '../errors.js';
import type { HistoryStore } from '../history/store.js';
import { prefixed } from '../tree/layout.js';
import { type Env, createS3Client } from './client.js';
import { describeS3Error, isNotFound } from './s3-errors.js';
import type { StorageTarget } from './target.js';

/** A push target read back as the deploy history (S3 GETs with the SDK's retries). */
export function s3HistoryStore(target: StorageTarget, env: Env): HistoryStore & { close(): void } {
  const client = createS3Client(target, env, { maxAttempts: 5 });
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
