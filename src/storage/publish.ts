import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { UsageError } from '../errors.js';
import { LATEST_MANIFEST_KEY, prefixed } from '../tree/layout.js';
import type { StoredObject } from '../tree/stored-object.js';
import { type Env, createS3Client } from './client.js';
import { bucketCorsWarning } from './bucket-cors.js';
import { committedKeys } from './committed.js';
import { preflight } from './preflight.js';
import { describeS3Error } from './s3-errors.js';
import { type StoreOutcome, storeObject } from './store-object.js';
import { type StorageTarget, objectsFor } from './target.js';

export interface PublishOptions {
  /** The environment, for `envPrefix` credentials. */
  env: Env;
  /** Uploads in flight per target (default 16). */
  concurrency?: number;
  /** Attempts per request with the SDK's adaptive retries (default 5). */
  maxAttempts?: number;
  /** Called after each object is settled on a target. */
  onObject?: (event: ObjectEvent) => void;
  /** The site's origin: each target's bucket CORS rules are checked against it (a warning, see bucketCorsWarning). */
  origin?: string;
}

export interface ObjectEvent {
  target: string;
  key: string;
  outcome: StoreOutcome | 'failed';
}

export interface Tally {
  objects: number;
  bytes: number;
}

export interface TargetResult {
  target: string;
  uploaded: Tally;
  skipped: Tally;
  failed: Tally;
  /** Objects not tried because a conflict stopped this target. */
  notAttempted: number;
  failures: { key: string; reason: string }[];
  /** Immutable keys the store holds with other bytes: left as they are. */
  conflicts: string[];
  /** True when this release's manifests are on the target (never for a `full`-only target). */
  manifestPublished: boolean;
  /**
   * True when the release was already published completely (its manifest was there with the
   * same bytes): the objects it lists were skipped without checking each one.
   */
  alreadyPublished: boolean;
  ok: boolean;
  wallMs: number;
  /** The bucket's CORS rules would refuse the site's origin (with `origin` only). */
  corsWarning?: string;
}

export interface PublishResult {
  targets: TargetResult[];
  ok: boolean;
  wallMs: number;
}

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Publishes a release to every target. All targets are checked first (preflight), so a bad
 * credential, a missing bucket or an unreachable endpoint stops the run before any upload
 * (EnvironmentError). Then targets are published independently and at the same time; a
 * failure on one does not stop the others. Per-object failures and conflicts do not throw:
 * they are in the result, whose `ok` is false (the CLI exits 1 after showing the report).
 */
export async function publish(objects: readonly StoredObject[], targets: readonly StorageTarget[], options: PublishOptions): Promise<PublishResult> {
  const started = performance.now();
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const clients: S3Client[] = [];
  try {
    for (const target of targets) clients.push(createS3Client(target, options.env, { maxAttempts }));
    await Promise.all(targets.map((target, index) => preflight(clients[index] as S3Client, target)));
    const origin = options.origin;
    const warnings = await Promise.all(targets.map((target, index) => (origin ? bucketCorsWarning(clients[index] as S3Client, target, origin) : undefined)));
    const results = await Promise.all(targets.map((target, index) => publishToTarget(objects, target, clients[index] as S3Client, options)));
    results.forEach((result, index) => warnings[index] && (result.corsWarning = warnings[index]));
    return { targets: results, ok: results.every((result) => result.ok), wallMs: performance.now() - started };
  } finally {
    for (const client of clients) client.destroy();
  }
}

/**
 * Publishes to one target in SPEC order: every full file and patch, then each release
 * manifest, then `manifest/latest.json`. Any failure or conflict means no manifest; a
 * conflict also stops every upload not yet started. A release already published completely
 * (see committedKeys) costs one check, plus latest.json.
 */
async function publishToTarget(
  objects: readonly StoredObject[],
  target: StorageTarget,
  client: S3Client,
  options: Pick<PublishOptions, 'concurrency' | 'onObject'>,
): Promise<TargetResult> {
  const started = performance.now();
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new UsageError(`upload concurrency must be a positive integer, not ${concurrency}`);
  const result: TargetResult = {
    target: target.name,
    uploaded: { objects: 0, bytes: 0 },
    skipped: { objects: 0, bytes: 0 },
    failed: { objects: 0, bytes: 0 },
    notAttempted: 0,
    failures: [],
    conflicts: [],
    manifestPublished: false,
    alreadyPublished: false,
    ok: false,
    wallMs: 0,
  };
  const at = (object: StoredObject) => ({ client, bucket: target.bucket, key: prefixed(target.prefix, object.key) });
  const { contents, manifests } = publishOrder(objectsFor(target, objects));
  const releaseManifest = manifests.find((manifest) => manifest.key !== LATEST_MANIFEST_KEY);
  const committed = releaseManifest ? await committedKeys(at(releaseManifest), releaseManifest) : new Set<string>();
  result.alreadyPublished = committed.size > 0;

  const stopped = () => result.conflicts.length > 0;
  const settle = async (object: StoredObject) => {
    if (stopped()) return void result.notAttempted++;
    let outcome: StoreOutcome | 'failed';
    try {
      outcome = committed.has(object.key) ? 'skipped' : await storeObject(at(object), object);
    } catch (error) {
      outcome = 'failed';
      result.failures.push({ key: object.key, reason: describeS3Error(error) });
    }
    if (outcome === 'conflict') result.conflicts.push(object.key);
    else add(result[outcome], object);
    options.onObject?.({ target: target.name, key: object.key, outcome });
  };

  const limit = pLimit(concurrency);
  await Promise.all(contents.map((object) => limit(() => settle(object))));
  for (const manifest of manifests) {
    if (result.failures.length > 0 || stopped()) {
      result.notAttempted++;
      continue;
    }
    await settle(manifest);
  }
  result.ok = result.failures.length === 0 && result.conflicts.length === 0;
  result.manifestPublished = result.ok && manifests.length > 0;
  result.wallMs = performance.now() - started;
  return result;
}

/**
 * Contents (any order), then release manifests (or a shard's result, which vouches for its
 * objects the same way), then latest.json last, whatever order they came in.
 */
function publishOrder(objects: StoredObject[]): { contents: StoredObject[]; manifests: StoredObject[] } {
  const isManifest = (object: StoredObject) => object.key.startsWith('manifest/') || object.key.startsWith('shard/');
  const manifests = objects.filter(isManifest);
  return {
    contents: objects.filter((object) => !isManifest(object)),
    manifests: [...manifests.filter((m) => m.key !== LATEST_MANIFEST_KEY), ...manifests.filter((m) => m.key === LATEST_MANIFEST_KEY)],
  };
}

function add(tally: Tally, object: StoredObject): void {
  tally.objects++;
  tally.bytes += object.body.byteLength;
}
