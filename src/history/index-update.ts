import { type DeployEntry, type DeployIndex, parseDeployIndex, withDeploy } from './deploy-index.js';

/**
 * The deploy index to write when this run's index (`ours`, made from the index as it was read
 * at the start) meets the index as it is now: this release goes to the front of the current
 * index, so a deploy that landed meanwhile stays listed. `current` undefined: there is none.
 */
export function mergeIndex(ours: DeployIndex, current: Uint8Array | undefined, where: string): DeployIndex {
  const entry = ourEntry(ours);
  if (current === undefined) return ours;
  return withDeploy(parseDeployIndex(current, where).index.deploys, entry.release, entry.createdAt);
}

/** The entry a publish puts at the front: its own. */
export function ourEntry(index: DeployIndex): DeployEntry {
  const entry = index.deploys[0];
  if (!entry) throw new Error('a published deploy index lists its own release first');
  return entry;
}

/** The index's head: the release `manifest/latest.json` must equal. */
export function indexHead(bytes: Uint8Array, where: string): DeployEntry | undefined {
  return parseDeployIndex(bytes, where).index.deploys[0];
}

/** Parses the deploy index object a tree was assembled with. */
export function parseOwnIndex(bytes: Uint8Array): DeployIndex {
  return parseDeployIndex(bytes, 'of this release').index;
}
