import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { UsageError } from '../errors.js';
import { LATEST_MANIFEST_KEY, prefixed } from '../tree/layout.js';
import { HEAD_KEY } from '../tree/manifest-changes.js';
import type { StoredObject } from '../tree/stored-object.js';
import { DEPLOY_INDEX_KEY } from '../history/deploy-index.js';
import { DEFAULT_NETWORK, type NetworkOptions, describeLimits } from '../network/deadlines.js';
import type { StorageKey } from '../types.js';
import { type Env, createS3Client, endpointOf } from './client.js';
import { bucketCorsWarning } from './bucket-cors.js';
import { committedKeys } from './committed.js';
import { storeHead, syncLatest, updateIndex } from './index-cas.js';
import { preflight } from './preflight.js';
import { attemptsOf, describeS3Error, networkCodeOf } from './s3-errors.js';
import { type Location, type StoreOutcome, storeObject } from './store-object.js';
import { type StorageTarget, objectsFor } from './target.js';

export interface PublishOptions {
  /** The environment, for `envPrefix` credentials. */
  env: Env;
  /** Uploads in flight per target (default 16). */
  concurrency?: number;
  /** Timeouts, attempts and deadline of every request (default DEFAULT_NETWORK). */
  network?: NetworkOptions;
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
  /** Objects not tried because a conflict or a store that stopped answering stopped this target. */
  notAttempted: number;
  /** Why this target was stopped before every object was tried, naming the endpoint and the step. */
  stopped?: string;
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

/** An object and how it is stored: most with storeObject, the deploy index and latest.json by compare-and-swap. */
type Step = [StoredObject, () => Promise<StoreOutcome>];

/**
 * Publishes a release to every target. All targets are checked first (preflight), so a bad
 * credential, a missing bucket or an unreachable endpoint stops the run before any upload
 * (EnvironmentError). Then targets are published independently and at the same time; a
 * failure on one does not stop the others. Per-object failures and conflicts do not throw:
 * they are in the result, whose `ok` is false (the CLI exits 1 after showing the report).
 */
export async function publish(objects: readonly StoredObject[], targets: readonly StorageTarget[], options: PublishOptions): Promise<PublishResult> {
  const started = performance.now();
  const network = options.network ?? DEFAULT_NETWORK;
  const clients: S3Client[] = [];
  try {
    for (const target of targets) clients.push(createS3Client(target, options.env, network));
    await Promise.all(targets.map((target, index) => preflight(clients[index] as S3Client, target, network)));
    const origin = options.origin;
    const warnings = await Promise.all(targets.map((target, index) => (origin ? bucketCorsWarning(clients[index] as S3Client, target, origin, network) : undefined)));
    const results = await Promise.all(targets.map((target, index) => publishToTarget(objects, target, clients[index] as S3Client, { ...options, network })));
    results.forEach((result, index) => warnings[index] && (result.corsWarning = warnings[index]));
    return { targets: results, ok: results.every((result) => result.ok), wallMs: performance.now() - started };
  } finally {
    for (const client of clients) client.destroy();
  }
}

/**
 * Publishes to one target in SPEC order: every full file and patch, then the release manifest
 * (or a shard's result), then the deploy index and `manifest/latest.json` (see updateIndex).
 * Any failure or conflict means no manifest; a conflict, or a store that stopped answering,
 * also stops every upload not yet started. A release already published completely (see
 * committedKeys) costs one check, plus the index and latest.json.
 */
async function publishToTarget(
  objects: readonly StoredObject[],
  target: StorageTarget,
  client: S3Client,
  options: Pick<PublishOptions, 'concurrency' | 'onObject'> & { network: NetworkOptions },
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
  const at = (key: StorageKey): Location => ({ client, network: options.network, bucket: target.bucket, key: prefixed(target.prefix, key) });
  const { contents, manifests, index, latest, head } = publishOrder(objectsFor(target, objects));
  const releaseManifest = manifests.find((manifest) => manifest.key.startsWith('manifest/'));
  const committed = releaseManifest ? await committedKeys(at(releaseManifest.key), releaseManifest) : new Set<string>();
  result.alreadyPublished = committed.size > 0;

  const stopped = () => result.stopped !== undefined;
  const settle = async (object: StoredObject, store: () => Promise<StoreOutcome>) => {
    if (stopped()) return void result.notAttempted++;
    let outcome: StoreOutcome | 'failed';
    try {
      outcome = committed.has(object.key) ? 'skipped' : await store();
    } catch (error) {
      outcome = 'failed';
      const reason = describeFailure(error, options.network);
      result.failures.push({ key: object.key, reason });
      // A store that stopped answering fails every other request the same slow way: stop here.
      if (networkCodeOf(error) && !stopped()) result.stopped = `the store at ${endpointOf(target)} stopped answering while storing ${object.key} (${reason})`;
    }
    if (outcome === 'conflict') {
      result.conflicts.push(object.key);
      result.stopped ??= `${object.key} is stored with other bytes`;
    } else add(result[outcome], object);
    options.onObject?.({ target: target.name, key: object.key, outcome });
  };

  const limit = pLimit(concurrency);
  await Promise.all(contents.map((object) => limit(() => settle(object, () => storeObject(at(object.key), object)))));
  const where = `target "${target.name}"`;
  const last: Step[] = [
    ...manifests.map((manifest): Step => [manifest, () => storeObject(at(manifest.key), manifest)]),
    ...(index ? [[index, () => updateIndex(at, index, where)] satisfies Step] : []),
    ...(latest ? [[latest, () => syncLatest(at, latest, where)] satisfies Step] : []),
    ...(head ? [[head, () => storeHead(at, head, latest)] satisfies Step] : []),
  ];
  for (const [object, store] of last) {
    if (result.failures.length > 0 || stopped()) {
      result.notAttempted++;
      continue;
    }
    await settle(object, store);
  }
  result.ok = result.failures.length === 0 && result.conflicts.length === 0;
  result.manifestPublished = result.ok && manifests.length + (latest ? 1 : 0) > 0;
  result.wallMs = performance.now() - started;
  return result;
}

/** A failed request in one phrase: the reason, and for a request that got no answer the tries and limits. */
function describeFailure(error: unknown, network: NetworkOptions): string {
  const reason = describeS3Error(error);
  return networkCodeOf(error) ? `${reason} after ${attemptsOf(error, network)}; ${describeLimits(network)}` : reason;
}

/**
 * Contents (any order), then release manifests and changes objects (or a shard's result, which
 * vouches for its objects the same way), then the deploy index, then latest.json, then the head
 * (SPEC §12), whatever order they came in.
 */
function publishOrder(objects: StoredObject[]): { contents: StoredObject[]; manifests: StoredObject[]; index?: StoredObject; latest?: StoredObject; head?: StoredObject } {
  const special = new Set<string>([DEPLOY_INDEX_KEY, LATEST_MANIFEST_KEY, HEAD_KEY]);
  const isManifest = (object: StoredObject) => object.key.startsWith('manifest/') || object.key.startsWith('shard/');
  const index = objects.find((object) => object.key === DEPLOY_INDEX_KEY);
  const latest = objects.find((object) => object.key === LATEST_MANIFEST_KEY);
  const head = objects.find((object) => object.key === HEAD_KEY);
  return {
    contents: objects.filter((object) => !isManifest(object)),
    manifests: objects.filter((object) => isManifest(object) && !special.has(object.key)),
    ...(index ? { index } : {}),
    ...(latest ? { latest } : {}),
    ...(head ? { head } : {}),
  };
}

function add(tally: Tally, object: StoredObject): void {
  tally.objects++;
  tally.bytes += object.body.byteLength;
}
