import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { EnvironmentError } from '../errors.js';
import type { StorageTarget } from './target.js';

/** The environment, injected: the core never reads process.env itself. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface ClientOptions {
  /** Attempts per request, including the first (the SDK's adaptive retry mode). */
  maxAttempts: number;
}

/** Non-AWS endpoints get this region unless the target names one (SigV4 needs some region). */
const DEFAULT_ENDPOINT_REGION = 'us-east-1';

export function createS3Client(target: StorageTarget, env: Env, options: ClientOptions): S3Client {
  const config: S3ClientConfig = {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
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
