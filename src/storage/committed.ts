import type { Manifest } from '../tree/manifest.js';
import type { StoredObject } from '../tree/stored-object.js';
import type { StorageKey } from '../types.js';
import { type Location, holdsSameBytes } from './store-object.js';

/**
 * The keys a previous run already published completely. A release manifest is written only
 * after every object it lists is stored (SPEC §5 publish order), so when the target holds
 * this release's manifest with the same bytes, the manifest and every full file and patch it
 * lists are there: a re-run of a published release checks one object instead of all.
 * Anything else (no manifest yet, other bytes, an error) gives the empty set: every object
 * is then checked one by one.
 */
export async function committedKeys(at: Location, releaseManifest: StoredObject): Promise<Set<StorageKey>> {
  try {
    if (!(await holdsSameBytes(at, releaseManifest.body))) return new Set();
  } catch {
    return new Set();
  }
  const manifest = JSON.parse(new TextDecoder().decode(releaseManifest.body)) as Manifest;
  const keys = new Set<StorageKey>([releaseManifest.key]);
  for (const asset of Object.values(manifest.assets)) {
    keys.add(asset.full);
    for (const patch of Object.values(asset.patches)) keys.add(patch.key);
  }
  return keys;
}
