import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { NetworkOptions } from '../network/deadlines.js';
import type { StoredObject } from '../tree/stored-object.js';
import { deadline } from './client.js';
import { isNotFound, isPreconditionFailed } from './s3-errors.js';

/** What happened to one object on one store. */
export type StoreOutcome = 'uploaded' | 'skipped' | 'conflict';

export interface Location {
  client: S3Client;
  network: NetworkOptions;
  bucket: string;
  /** The full key in the bucket, prefix included. */
  key: string;
}

/**
 * Puts one object unless the store already has the same bytes. An immutable key is never
 * given other bytes: it is checked first (HEAD, then the bytes when the ETag is not a plain
 * MD5), and written with `If-None-Match: *` so that a racing writer or a store that ignored
 * the check still cannot be overwritten (412 -> compare bytes). Errors are thrown as is.
 */
export async function storeObject(at: Location, object: StoredObject): Promise<StoreOutcome> {
  const md5 = createHash('md5').update(object.body).digest();
  const existing = await headETag(at);
  if (existing !== undefined) {
    if (isPlainMd5ETag(existing, md5)) return 'skipped';
    if (object.immutable) return (await sameBytes(at, object.body)) ? 'skipped' : 'conflict';
  }
  try {
    await putObject(at, object, object.immutable ? { IfNoneMatch: '*' } : {});
  } catch (error) {
    if (object.immutable && isPreconditionFailed(error)) return (await sameBytes(at, object.body)) ? 'skipped' : 'conflict';
    throw error;
  }
  return 'uploaded';
}

/** One PUT of `object` with its headers and Content-MD5, under `condition` (If-Match / If-None-Match); errors are thrown as is. */
export async function putObject(at: Location, object: StoredObject, condition: { IfMatch?: string; IfNoneMatch?: string }): Promise<void> {
  await at.client.send(
    new PutObjectCommand({
      Bucket: at.bucket,
      Key: at.key,
      Body: Buffer.from(object.body.buffer, object.body.byteOffset, object.body.byteLength),
      ContentLength: object.body.byteLength,
      ContentMD5: createHash('md5').update(object.body).digest('base64'),
      ContentType: object.contentType,
      CacheControl: object.cacheControl,
      ...condition,
    }),
    deadline(at.network),
  );
}

/** True when the store holds exactly `body` under this key, judged by its single-part ETag. */
export async function holdsSameBytes(at: Location, body: Uint8Array): Promise<boolean> {
  const existing = await headETag(at);
  return existing !== undefined && isPlainMd5ETag(existing, createHash('md5').update(body).digest());
}

const isPlainMd5ETag = (etag: string, md5: Buffer) => etag === `"${md5.toString('hex')}"`;

/** The stored object's ETag, or undefined when there is none. */
async function headETag(at: Location): Promise<string | undefined> {
  try {
    const head = await at.client.send(new HeadObjectCommand({ Bucket: at.bucket, Key: at.key }), deadline(at.network));
    return head.ETag ?? '';
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function sameBytes(at: Location, body: Uint8Array): Promise<boolean> {
  const stored = await getStored(at);
  return stored !== undefined && Buffer.compare(stored.body, body) === 0;
}

/** A stored object's bytes and ETag. */
export interface Stored {
  body: Uint8Array;
  etag: string | undefined;
}

/**
 * GETs an object, undefined when there is none. The SDK retries the request; a body cut or
 * fallen silent midway (the client's socket timeout) is retried here, within the same attempts
 * and the same deadline.
 */
export async function getStored(at: Location): Promise<Stored | undefined> {
  const options = deadline(at.network);
  for (let tried = 1; ; tried++) {
    let got;
    try {
      got = await at.client.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }), options);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      return { body: got.Body ? await got.Body.transformToByteArray() : new Uint8Array(), etag: got.ETag };
    } catch (error) {
      if (tried >= at.network.attempts || options.abortSignal.aborted) throw error;
    }
  }
}
