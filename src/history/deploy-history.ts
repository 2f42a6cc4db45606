import { EnvironmentError } from '../errors.js';
import { fullKey, releaseManifestKey } from '../tree/layout.js';
import { MANIFEST_FORMAT, type Manifest, type ManifestAsset } from '../tree/manifest.js';
import type { AssetPath, Integrity, Release, StorageKey, Version } from '../types.js';
import { DEPLOY_INDEX_KEY, type DeployEntry, type DeployIndex, parseDeployIndex } from './deploy-index.js';
import type { HistoryStore } from './store.js';

/** An earlier deploy whose manifest was read back. */
export interface DeployedManifest {
  entry: DeployEntry;
  manifest: Manifest;
}

/** What earlier deploys published, as far as this run needs it. */
export interface DeployHistory {
  store: HistoryStore;
  /** Undefined when the source holds no deploy index (nothing deployed there yet). */
  index?: DeployIndex;
  /** The manifests of the last N deploys before this one, newest first. */
  recent: DeployedManifest[];
  /**
   * This release's own manifest when it was deployed before (a re-run or a rollback). It is then
   * the whole history: versions and windows come from it, so every immutable object comes out
   * with the bytes it already has.
   */
  own?: Manifest;
  notes: string[];
}

/** An old version of an asset as a deploy published it. */
export interface DeployedVersion {
  version: Version;
  date: string;
  /** What the published bytes must hash to; undefined when the manifest did not record it. */
  integrity?: Integrity;
  full: StorageKey;
}

export interface ReadHistoryOptions {
  release: Release;
  /** How many of the latest deploys windows come from. */
  deploys: number;
  /** An explicit --history must hold an index: a wrong address must not pass as a first deploy. */
  requireIndex: boolean;
}

/** One read of the deploy index, then one per manifest used (SPEC §8). */
export async function readDeployHistory(store: HistoryStore, options: ReadHistoryOptions): Promise<DeployHistory> {
  const bytes = await store.get(DEPLOY_INDEX_KEY);
  if (bytes === undefined) {
    if (options.requireIndex) throw new EnvironmentError(`no deploy index at ${store.name}${DEPLOY_INDEX_KEY} (check --history; a first deploy needs no --history)`);
    const own = await readStoredManifest(store, options.release);
    return own ? { store, recent: [], own, notes: [] } : { store, recent: [], notes: [] };
  }
  const index = parseDeployIndex(bytes, `${store.name} ${DEPLOY_INDEX_KEY}`);
  const notes: string[] = [];
  const read = (entry: DeployEntry) => readManifest(store, entry, notes);
  // A release whose manifest is stored is a redeploy even when the index does not list it (a
  // run that died between storing the manifest and updating the index): its tree must come out
  // byte for byte as stored, whatever was deployed since.
  const own = await readStoredManifest(store, options.release);
  if (own) return { store, index, recent: [], own, notes };
  const earlier = index.deploys.filter((deploy) => deploy.release !== options.release).slice(0, options.deploys);
  const recent = (await Promise.all(earlier.map(read))).filter((found) => found !== undefined);
  return { store, index, recent, notes };
}

/** This release's own stored manifest, if a deploy stored one; a missing one is no news. */
async function readStoredManifest(store: HistoryStore, release: Release): Promise<Manifest | undefined> {
  const bytes = await store.get(releaseManifestKey(release));
  const manifest = bytes && parseHistoryManifest(bytes);
  return manifest && manifest.release === release ? manifest : undefined;
}

async function readManifest(store: HistoryStore, entry: DeployEntry, notes: string[]): Promise<DeployedManifest | undefined> {
  const bytes = await store.get(entry.manifest);
  const manifest = bytes && parseHistoryManifest(bytes);
  if (!manifest) notes.push(`deploy ${entry.release.slice(0, 12)}: ${entry.manifest} is ${bytes ? 'not a valid manifest' : 'missing'}; its versions are not used`);
  return manifest ? { entry, manifest } : undefined;
}

function parseHistoryManifest(bytes: Uint8Array): Manifest | undefined {
  try {
    const manifest = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
    const assetsOk = Object.values(manifest.assets ?? {}).every((asset) => typeof asset?.version === 'string' && typeof asset.integrity === 'string' && typeof asset.full === 'string');
    return manifest.format === MANIFEST_FORMAT && assetsOk ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest versions carry over from: this release's own, else the latest deploy's. */
function previousManifest(history: DeployHistory): Manifest | undefined {
  return history.own ?? history.recent[0]?.manifest;
}

/** The version a deploy already gave these bytes, if the previous manifest lists them. */
export function carriedVersion(history: DeployHistory, name: AssetPath, integrity: Integrity): ManifestAsset | undefined {
  const asset = previousManifest(history)?.assets[name];
  return asset?.integrity === integrity ? asset : undefined;
}

/** The asset's distinct versions in the deploys of the window, newest first, without `current`. */
export function deployedVersions(history: DeployHistory, name: AssetPath, current: Version): DeployedVersion[] {
  if (history.own) return ownPatchSources(history, name);
  const found = new Map<Version, DeployedVersion>();
  for (const { entry, manifest } of history.recent) {
    const asset = manifest.assets[name];
    if (!asset || asset.version === current || found.has(asset.version)) continue;
    found.set(asset.version, { version: asset.version, date: entry.createdAt, integrity: asset.integrity, full: asset.full });
  }
  return [...found.values()];
}

/** On a redeploy: exactly the old versions the release's manifest lists patches from. */
function ownPatchSources(history: DeployHistory, name: AssetPath): DeployedVersion[] {
  const asset = history.own?.assets[name];
  const dateOf = (version: Version) => history.index?.deploys.find((deploy) => deploy.release === version)?.createdAt ?? '';
  return Object.entries(asset?.patches ?? {}).map(([version, patch]) => ({
    version,
    date: dateOf(version),
    integrity: patch.fromIntegrity,
    full: fullKey(version, name),
  }));
}

/** What the report says about the history: none, a first deploy, a redeploy, unusable deploys. */
export function historyNotes(history: DeployHistory | undefined): string[] {
  if (!history) return ['no deploy history source: full files only (pass --history DIR|URL to patch from earlier deploys)'];
  if (!history.index) return [`first deploy to ${history.store.name}: full files only; patches start with the next deploy`];
  const redeploy = history.own ? ['this release was deployed before: its tree is rebuilt from its own manifest and moves to the front of the deploy index'] : [];
  return [...redeploy, ...history.notes];
}
