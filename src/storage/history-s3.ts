import { EnvironmentError } from '../errors.js';
import type { HistoryStore } from '../history/store.js';
import { prefixed } from '../tree/layout.js';
import { type NetworkOptions, describeLimits } from '../network/deadlines.js';
import { type Env, createS3Client, endpointOf } from './client.js';
import { preflight } from './preflight.js';
import { attemptsOf, describeS3Error } from './s3-errors.js';
import { getStored } from './store-object.js';
import type { StorageTarget } from './target.js';

/**
 * A push target read back as the deploy history (S3 GETs with the SDK's retries). The target is
 * checked first, so wrong credentials or a missing bucket stop the run before anything is read
 * or published, with the same one-line reason as publishing gives.
 */
export async function openS3HistoryStore(target: StorageTarget, env: Env, network: NetworkOptions): Promise<HistoryStore & { close(): void }> {
  const client = createS3Client(target, env, network);
  try {
    await preflight(client, target, network);
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
        return (await getStored({ client, network, bucket: target.bucket, key: prefixed(target.prefix, key) }))?.body;
      } catch (error) {
        throw new EnvironmentError(`cannot read the deploy history from target "${target.name}" at ${endpointOf(target)}: reading ${key}: ${describeS3Error(error)} after ${attemptsOf(error, network)} (${describeLimits(network)})`);
      }
    },
  };
}
