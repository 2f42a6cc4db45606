import { RunFailure } from '../errors.js';
import { DEPLOY_INDEX_KEY, deployIndexObject } from '../history/deploy-index.js';
import { indexHead, mergeIndex, parseOwnIndex } from '../history/index-update.js';
import { releaseManifestKey } from '../tree/layout.js';
import type { StoredObject } from '../tree/stored-object.js';
import type { StorageKey } from '../types.js';
import { httpStatusOf, isPreconditionFailed } from './s3-errors.js';
import { type Location, type StoreOutcome, type Stored, getStored, putObject, storeObject } from './store-object.js';

/** Rounds of read, merge, conditional write before giving up: each lost round means another deploy won one. */
const MAX_ROUNDS = 20;

/**
 * Puts this release at the front of the stored deploy index without losing a deploy that
 * landed since the index was read: read the index and its ETag, merge, write with `If-Match`
 * on that ETag (`If-None-Match: *` when there is none yet); on 412, read and merge again.
 * A store that ignores the conditions gets a plain last-writer-wins write (see SPEC §8.1).
 */
export async function updateIndex(at: (key: StorageKey) => Location, ours: StoredObject, where: string): Promise<StoreOutcome> {
  const location = at(DEPLOY_INDEX_KEY);
  const own = parseOwnIndex(ours.body);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const current = await getStored(location);
    const merged = deployIndexObject(mergeIndex(own, current?.body, `${where} ${DEPLOY_INDEX_KEY}`));
    if (current && Buffer.compare(current.body, merged.body) === 0) return 'skipped';
    if (await putIf(location, { ...ours, body: merged.body }, current)) return 'uploaded';
    await pause(round);
  }
  throw new RunFailure(`${where}: ${DEPLOY_INDEX_KEY} changed under every one of ${MAX_ROUNDS} attempts to update it (too many deploys at once?)`);
}

/**
 * Makes `manifest/latest.json` equal the manifest of the index head, whoever wrote the head:
 * read the index, write the head's manifest to latest.json (conditionally on latest.json's
 * ETag), then read the index again; if it moved meanwhile, go round again. The deploy that
 * moved it syncs latest.json after its own write, so the last word is always the head's.
 * Without an index (a tree published without one), latest.json is `ours`.
 */
export async function syncLatest(at: (key: StorageKey) => Location, ours: StoredObject, where: string): Promise<StoreOutcome> {
  const indexAt = at(DEPLOY_INDEX_KEY);
  const latestAt = at(ours.key);
  let outcome: StoreOutcome = 'skipped';
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const index = await getStored(indexAt);
    const body = index ? await headManifest(at, index, ours, where) : ours.body;
    const latest = await getStored(latestAt);
    if (latest && Buffer.compare(latest.body, body) === 0) return outcome;
    if (await putIf(latestAt, { ...ours, body }, latest)) {
      outcome = 'uploaded';
      const after = await getStored(indexAt);
      if (after?.etag === index?.etag) return outcome;
    }
    await pause(round);
  }
  throw new RunFailure(`${where}: ${ours.key} could not be brought in line with ${DEPLOY_INDEX_KEY} in ${MAX_ROUNDS} rounds (too many deploys at once?)`);
}

/** The bytes of the head's release manifest: ours when the head is this release. */
async function headManifest(at: (key: StorageKey) => Location, index: Stored, ours: StoredObject, where: string): Promise<Uint8Array> {
  const head = indexHead(index.body, `${where} ${DEPLOY_INDEX_KEY}`);
  if (!head) return ours.body;
  const key = releaseManifestKey(head.release);
  const stored = await getStored(at(key));
  if (!stored) throw new RunFailure(`${where}: the newest deploy in ${DEPLOY_INDEX_KEY}, ${head.release}, has no ${key}; ${ours.key} was left as is`);
  return stored.body;
}

/**
 * Stores that want `If-Match` without the quotes an ETag comes with (Ceph RGW 16 compares the
 * bare hex and answers 412 to the quoted form), found out on the first false 412.
 */
const wantsBareETag = new WeakSet<object>();

/** A conditional PUT: false when the object changed since `seen` was read (412, or 409 from a concurrent conditional write). */
async function putIf(at: Location, object: StoredObject, seen: Stored | undefined): Promise<boolean> {
  if (await conditionalPut(at, object, seen)) return true;
  if (!seen?.etag || wantsBareETag.has(at.client)) return false;
  // A 412 although the object still has the ETag we sent: the store wants it bare.
  const now = await getStored(at);
  if (now?.etag !== seen.etag) return false;
  wantsBareETag.add(at.client);
  return conditionalPut(at, object, seen);
}

async function conditionalPut(at: Location, object: StoredObject, seen: Stored | undefined): Promise<boolean> {
  const etag = seen?.etag && (wantsBareETag.has(at.client) ? seen.etag.replace(/^"|"$/g, '') : seen.etag);
  const condition = seen ? (etag ? { IfMatch: etag } : {}) : { IfNoneMatch: '*' };
  try {
    await putObject(at, object, condition);
    return true;
  } catch (error) {
    if (isPreconditionFailed(error) || httpStatusOf(error) === 409) return false;
    throw error;
  }
}

/** A short random pause after a lost round, so that racing deploys do not collide in step. */
const pause = (round: number) => new Promise((done) => setTimeout(done, Math.random() * Math.min(1_000, 50 * 2 ** round)));

/**
 * The head (SPEC §12) describes the release latest.json serves, so it is written only while
 * latest.json holds ours: a deploy that took the index head since then writes its own head.
 */
export async function storeHead(at: (key: StorageKey) => Location, head: StoredObject, latest: StoredObject | undefined): Promise<StoreOutcome> {
  if (latest) {
    const stored = await getStored(at(latest.key));
    if (!stored || Buffer.compare(stored.body, latest.body) !== 0) return 'skipped';
  }
  return storeObject(at(head.key), head);
}
