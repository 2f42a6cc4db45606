import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { EnvironmentError } from '../errors.js';
import type { NetworkOptions } from '../network/deadlines.js';
import type { StorageTarget } from './target.js';

/** The environment, injected: the core never reads process.env itself. */
export type Env = Readonly<Record<string, string | undefined>>;


/** Non-AWS endpoints get this region unless the target names one (SigV4 needs some region). */
const DEFAULT_ENDPOINT_REGION = 'us-east-1';

/**
 * The SDK's own timeouts and retries carry the network settings: a connection must open within
 * `connectTimeoutMs`; an answer's headers must come within `requestTimeoutMs` (an error, not
 * the SDK's default warning), and a body may not fall silent for longer; each request gets
 * `attempts` tries with the standard retry strategy (exponential backoff with jitter). The
 * overall deadline is each call's abort signal (see `deadline`).
 */
export function createS3Client(target: StorageTarget, env: Env, network: NetworkOptions): S3Client {
  const config: S3ClientConfig = {
    retryMode: 'adaptive',
    maxAttempts: network.attempts,
    requestHandler: {
      connectionTimeout: network.connectTimeoutMs,
      requestTimeout: network.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: network.requestTimeoutMs,
    },
  };
  if (target.region) config.region = target.region;
  if (target.forcePathStyle !== undefined) config.forcePathStyle = target.forcePathStyle;
  if (target.endpoint) {
    config.endpoint = target.endpoint;
    config.region ??= DEFAULT_ENDPOINT_REGION;
    if (!isAwsEndpoint(target.endpoint)) {
      // The default CRC32 trailer breaks R2, OSS, COS, B2, OVH and Ceph RGW; Content-MD5 is sent on every PUT.
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
  }
  if (target.profile) config.profile = target.profile;
  if (target.envPrefix) config.credentials = credentialsFromEnv(target, target.envPrefix, env);
  return new S3Client(config);
}

function isAwsEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'amazonaws.com' || host.endsWith('.amazonaws.com');
}

function credentialsFromEnv(target: StorageTarget, prefix: string, env: Env) {
  const accessKeyId = env[`${prefix}ACCESS_KEY_ID`];
  const secretAccessKey = env[`${prefix}SECRET_ACCESS_KEY`];
  if (!accessKeyId || !secretAccessKey) {
    throw new EnvironmentError(`target "${target.name}": ${prefix}ACCESS_KEY_ID and ${prefix}SECRET_ACCESS_KEY must be set`);
  }
  const sessionToken = env[`${prefix}SESSION_TOKEN`];
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** The options of one SDK call: its overall deadline, every attempt and backoff included. */
export const deadline = (network: NetworkOptions) => ({ abortSignal: AbortSignal.timeout(network.deadlineMs) });

/** Where a target is, for messages: its endpoint, or AWS S3. */
export const endpointOf = (target: StorageTarget) => target.endpoint ?? 'AWS S3';
