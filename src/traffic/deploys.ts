import pLimit from 'p-limit';
import { EnvironmentError } from '../errors.js';
import { DEPLOY_INDEX_KEY, type DeployEntry, parseDeployIndex } from '../history/deploy-index.js';
import { getChecked } from '../history/read-back.js';
import type { HistoryStore } from '../history/store.js';
import { MANIFEST_FORMAT, type Manifest } from '../tree/manifest.js';
import type { Release } from '../types.js';

/** The deploys the traffic is matched against: the index (newest first) and each deploy's manifest read back. */
export interface Deploys {
  entries: DeployEntry[];
  manifests: Map<Release, Manifest>;
  notes: string[];
}

/** One read of the deploy index, then every listed manifest (SPEC §8), validated before use. */
export async function readDeploys(store: HistoryStore): Promise<Deploys> {
  const bytes = await getChecked(store, DEPLOY_INDEX_KEY);
  if (bytes === undefined) throw new EnvironmentError(`no deploy index at ${store.name}${DEPLOY_INDEX_KEY} (check --history: the tree, CDN or bucket the deploys were published to)`);
  const { index, skipped } = parseDeployIndex(bytes, `${store.name}${DEPLOY_INDEX_KEY}`);
  const entries = index.deploys;
  const notes: string[] = [...skipped];
  const limit = pLimit(8);
  const read = async (entry: DeployEntry) => {
    const manifest = parseManifest(await getChecked(store, entry.manifest), entry.release);
    if (!manifest) notes.push(`deploy ${entry.release.slice(0, 10)}: ${entry.manifest} is missing or not a valid manifest; its visits are counted, its assets are not`);
    return [entry.release, manifest] as const;
  };
  const read_ = await Promise.all(entries.map((entry) => limit(() => read(entry))));
  const manifests = new Map(read_.filter((pair): pair is readonly [Release, Manifest] => pair[1] !== undefined));
  return { entries, manifests, notes };
}

const SHA = /^[0-9a-f]{40}$/;

function parseManifest(bytes: Uint8Array | undefined, release: Release): Manifest | undefined {
  if (!bytes) return undefined;
  try {
    const manifest = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
    if (manifest?.format !== MANIFEST_FORMAT || manifest.release !== release || typeof manifest.assets !== 'object' || !manifest.assets) return undefined;
    for (const asset of Object.values(manifest.assets)) {
      if (!SHA.test(String(asset?.version)) || !Number.isSafeInteger(asset.size) || asset.size < 0) return undefined;
      for (const [from, patch] of Object.entries(asset.patches ?? {})) if (!SHA.test(from) || !Number.isSafeInteger(patch?.size)) return undefined;
    }
    return manifest;
  } catch {
    return undefined;
  }
}
