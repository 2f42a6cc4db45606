import { HEAD_CHAIN, HEAD_FORMAT, HEAD_KEY, type Head } from '../tree/manifest-changes.js';
import type { Manifest } from '../tree/manifest.js';
import type { PreviousRelease } from '../tree/head-objects.js';
import { DEPLOY_INDEX_KEY, type DeployEntry, parseDeployIndex } from './deploy-index.js';
import { getChecked, versionProblem } from './read-back.js';
import type { HistoryStore } from './store.js';
import { type DeployHistory, asPublished, readHistoryManifest } from './deploy-history.js';

/**
 * The release a store's readers hold before this publish (the front of its deploy index), with
 * the chain of its head. Undefined when there is none or its manifest cannot be read back; a
 * missing or malformed head only starts a new chain. What `history` read already is not read again.
 */
export async function readPreviousRelease(store: HistoryStore, history?: DeployHistory): Promise<PreviousRelease | undefined> {
  const indexBytes = history ? undefined : await getChecked(store, DEPLOY_INDEX_KEY);
  const front = history ? history.index?.deploys[0] : indexBytes && parseDeployIndex(indexBytes, `${store.name} ${DEPLOY_INDEX_KEY}`).index.deploys[0];
  if (!front) return undefined;
  const deployed = history?.recent.find((deploy) => deploy.entry.release === front.release);
  const manifest = deployed ? deployed.published : readBack(await getChecked(store, front.manifest), front);
  if (!manifest) return undefined;
  const head = parse<Head>(await getChecked(store, HEAD_KEY));
  const valid = head?.format === HEAD_FORMAT && head.release === front.release && Array.isArray(head.chain) && head.chain.length <= HEAD_CHAIN && head.chain[0] === front.release && head.chain.every((release) => versionProblem(release) === undefined);
  return { manifest, chain: valid ? head.chain : [front.release] };
}

/** A manifest as published, once it passed the checks of every history read whole; else undefined. */
function readBack(bytes: Uint8Array | undefined, entry: DeployEntry): Manifest | undefined {
  const read = bytes && readHistoryManifest(bytes, entry);
  return read && typeof read !== 'string' && read.skipped.length === 0 ? asPublished(bytes) : undefined;
}

function parse<T>(bytes: Uint8Array | undefined): T | undefined {
  try {
    return bytes && (JSON.parse(new TextDecoder().decode(bytes)) as T);
  } catch {
    return undefined;
  }
}
