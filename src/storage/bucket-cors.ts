import type { NetworkOptions } from '../network/deadlines.js';
import { deadline } from './client.js';
import { type CORSRule, GetBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { httpStatusOf } from './s3-errors.js';
import type { StorageTarget } from './target.js';

/**
 * Why the bucket's own CORS rules (GetBucketCors) would refuse a page on `origin` reading its
 * objects, or undefined when a rule allows GET from it, or when the store does not say (no
 * permission, not implemented: nothing to warn about). Only a warning: a CDN that sets CORS
 * headers itself (a CloudFront response headers policy, a Cloudflare rule) makes the bucket's
 * rules irrelevant; `verify --origin` checks what the CDN really sends.
 */
export async function bucketCorsWarning(client: S3Client, target: StorageTarget, origin: string, network: NetworkOptions): Promise<string | undefined> {
  let rules: CORSRule[];
  try {
    rules = (await client.send(new GetBucketCorsCommand({ Bucket: target.bucket }), deadline(network))).CORSRules ?? [];
  } catch (error) {
    // 404 after the preflight found the bucket: NoSuchCORSConfiguration (Ceph RGW names it UnknownError).
    if (httpStatusOf(error) !== 404) return undefined;
    rules = [];
  }
  if (rules.some((rule) => allows(rule, origin))) return undefined;
  const why = rules.length === 0 ? 'has no CORS rules' : `has no CORS rule allowing GET from ${origin}`;
  return `bucket "${target.bucket}" ${why}: pages on ${origin} cannot read its objects unless the CDN adds Access-Control-Allow-Origin itself (see docs/service-worker.md, CORS; check with verify --origin)`;
}

/** An S3 CORS rule allows a simple GET from `origin`: GET among its methods, and an origin pattern (at most one `*`) that matches. */
function allows(rule: CORSRule, origin: string): boolean {
  if (!rule.AllowedMethods?.some((method) => method.toUpperCase() === 'GET')) return false;
  return (rule.AllowedOrigins ?? []).some((pattern) => {
    const [head, ...rest] = pattern.split('*');
    if (rest.length === 0) return pattern === origin;
    const tail = rest.join('*');
    return origin.length >= head!.length + tail.length && origin.startsWith(head!) && origin.endsWith(tail);
  });
}
