import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { Env } from '../../../src/storage/client.js';
import type { StorageTarget } from '../../../src/storage/target.js';

/** What test/storage/global-setup.ts provides: the running gateway and its throwaway user. */
export interface S3TestServer {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** State directory and start/stop script, to stop and restart the gateway in a test. */
  dir: string;
  script: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3TestServer | null;
  }
}

const run = promisify(execFile);

/** The test server, or null when it could not start (the tests then skip; never in CI). */
export const server: S3TestServer | null = inject('s3');

export function requireServer(): S3TestServer {
  if (!server) throw new Error('S3 test server not running');
  return server;
}

/** Credentials reach the publisher the way users give them: an env prefix, in an injected env. */
export const ENV_PREFIX = 'TEST_S3_';

export function testEnv(s3: S3TestServer): Env {
  return { [`${ENV_PREFIX}ACCESS_KEY_ID`]: s3.accessKeyId, [`${ENV_PREFIX}SECRET_ACCESS_KEY`]: s3.secretAccessKey };
}

export function targetFor(s3: S3TestServer, bucket: string, extra: Partial<StorageTarget> = {}): StorageTarget {
  return { name: bucket, bucket, prefix: 'static', endpoint: s3.endpoint, forcePathStyle: true, parts: 'all', envPrefix: ENV_PREFIX, ...extra };
}

export function adminClient(s3: S3TestServer, endpoint = s3.endpoint): S3Client {
  return new S3Client({
    endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A new bucket with a unique name; readable anonymously (a CDN origin) when `publicRead`. */
export async function createBucket(client: S3Client, label: string, publicRead = false): Promise<string> {
  const bucket = `${label}-${randomBytes(4).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  if (publicRead) {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
    };
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  }
  return bucket;
}

export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const item of page.Contents ?? []) keys.push(item.Key as string);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

export async function getObject(client: S3Client, bucket: string, key: string) {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(), contentType: got.ContentType, cacheControl: got.CacheControl };
}

export async function exists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** Stops only the gateway: the store is down, its data stays in the OSD. */
export async function stopGateway(s3: S3TestServer): Promise<void> {
  await run('bash', [s3.script, 'gateway-stop'], { env: { ...process.env, S3_SERVER_DIR: s3.dir } });
}

export async function startGateway(s3: S3TestServer): Promise<void> {
  await run('bash', [s3.script, 'gateway-start'], { env: { ...process.env, S3_SERVER_DIR: s3.dir }, timeout: 60_000 });
}
