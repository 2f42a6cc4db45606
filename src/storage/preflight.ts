import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { EnvironmentError } from '../errors.js';
import { type NetworkOptions, describeLimits } from '../network/deadlines.js';
import { deadline, endpointOf } from './client.js';
import { attemptsOf, describeS3Error, httpStatusOf, networkCodeOf } from './s3-errors.js';
import type { StorageTarget } from './target.js';

/**
 * Checks that a target's bucket is reachable with its credentials, before anything is
 * uploaded anywhere: wrong credentials, a missing bucket or an unreachable endpoint are
 * EnvironmentErrors (exit 2) with a one-line reason, and nothing is half-published.
 */
export async function preflight(client: S3Client, target: StorageTarget, network: NetworkOptions): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: target.bucket }), deadline(network));
  } catch (error) {
    throw new EnvironmentError(`target "${target.name}": ${reasonFor(error, target, network)}`);
  }
}

function reasonFor(error: unknown, target: StorageTarget, network: NetworkOptions): string {
  const where = endpointOf(target);
  const code = networkCodeOf(error);
  if (code) return `cannot reach ${where} (${code}) at the bucket check of "${target.bucket}", after ${attemptsOf(error, network)} (${describeLimits(network)}; see --request-timeout, --attempts, --network-deadline)`;
  const status = httpStatusOf(error);
  if (status === 404) return `bucket "${target.bucket}" does not exist at ${where}`;
  if (status === 401 || status === 403) return `access to bucket "${target.bucket}" at ${where} denied (HTTP ${status}): check the credentials`;
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'CredentialsProviderError') return `no credentials found (${credentialSource(target)})`;
  return `bucket "${target.bucket}" at ${where} failed: ${describeS3Error(error)}`;
}

function credentialSource(target: StorageTarget): string {
  if (target.profile) return `profile "${target.profile}"`;
  if (target.envPrefix) return `${target.envPrefix}ACCESS_KEY_ID/${target.envPrefix}SECRET_ACCESS_KEY`;
  return 'AWS SDK default credential chain';
}
