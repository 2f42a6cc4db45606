import { EnvironmentError } from '../errors.js';
import { fullKey, patchKey, releaseManifestKey } from '../tree/layout.js';
import { MANIFEST_FORMAT, type Manifest, type ManifestAsset } from '../tree/manifest.js';
import { type AssetPath, type Integrity, PATCH_FORMATS, type PatchFormat, type Release, type StorageKey, type Version } from '../types.js';
import type { ReturningClient } from '../source/asset-source.js';
import { DEPLOY_INDEX_KEY, type DeployEntry, type DeployIndex, parseDeployIndex } from './deploy-index.js';
import { getChecked, isIntegrity, pathProblem, quote, versionProblem } from './read-back.js';
import type { HistoryStore } from './store.js';

/** An earlier deploy whose manifest was read back. */
export interface DeployedManifest {
  entry: DeployEntry;
  /** Made of checked values only (see readHistoryManifest). */
  manifest: Manifest;
  /**
   * The manifest as published, when every entry of it passed the checks: what its readers hold,
   * so what changed since is computed against it (the checked copy differs in key order).
   */
  published?: Manifest;
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
  const bytes = await getChecked(store, DEPLOY_INDEX_KEY);
  if (bytes === undefined) {
    if (options.requireIndex) throw new EnvironmentError(`no deploy index at ${store.name}${DEPLOY_INDEX_KEY} (check --history; a first deploy needs no --history)`);
    const own = await readStoredManifest(store, options.release);
    return own ? { store, recent: [], own, notes: [] } : { store, recent: [], notes: [] };
  }
  const { index, skipped } = parseDeployIndex(bytes, `${store.name} ${DEPLOY_INDEX_KEY}`);
  const notes: string[] = [...skipped];
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

/** This release's own stored manifest, if a deploy stored one and it passes the checks; a missing one is no news. */
async function readStoredManifest(store: HistoryStore, release: Release): Promise<Manifest | undefined> {
  const entry: DeployEntry = { release, createdAt: '', manifest: releaseManifestKey(release) };
  const bytes = await getChecked(store, entry.manifest);
  const read = bytes && readHistoryManifest(bytes, entry);
  return read && typeof read !== 'string' ? read.manifest : undefined;
}

/** A deploy's manifest, checked; what fails is left out with the reason in `notes`. */
async function readManifest(store: HistoryStore, entry: DeployEntry, notes: string[]): Promise<DeployedManifest | undefined> {
  const bytes = await getChecked(store, entry.manifest);
  const deploy = `deploy ${entry.release.slice(0, 12)}`;
  if (!bytes) {
    notes.push(`${deploy}: ${entry.manifest} is missing; its versions are not used`);
    return undefined;
  }
  const read = readHistoryManifest(bytes, entry);
  if (typeof read === 'string') {
    notes.push(`${deploy}: ${entry.manifest} is not a valid manifest (${read}); its versions are not used`);
    return undefined;
  }
  if (read.skipped.length > 0) {
    const more = read.skipped.length > 1 ? ` (and ${read.skipped.length - 1} more)` : '';
    notes.push(`${deploy}: ${read.skipped.length} asset entr${read.skipped.length === 1 ? 'y' : 'ies'} of ${entry.manifest} skipped: ${read.skipped[0]}${more}`);
  }
  return { entry, manifest: read.manifest, ...(read.skipped.length === 0 ? { published: asPublished(bytes) } : {}) };
}

/** The bytes of a manifest that passed readHistoryManifest whole, parsed as they are. */
export const asPublished = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Manifest;

/**
 * A manifest read back from the history, made of checked values only: its release is the
 * deploy's, every asset name a safe path, every version a commit ID, every integrity an SRI
 * sha256, and `full` the key SPEC §6 gives for them. An asset entry that fails is left out.
 */
export function readHistoryManifest(bytes: Uint8Array, entry: DeployEntry): { manifest: Manifest; skipped: string[] } | string {
  let value: Partial<Manifest> | null;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Manifest> | null;
  } catch {
    return 'not JSON';
  }
  if (value?.format !== MANIFEST_FORMAT) return `format is not "${MANIFEST_FORMAT}"`;
  if (value.release !== entry.release) return `its release ${quote(value.release)} is not the deploy's`;
  if (!value.assets || typeof value.assets !== 'object' || Array.isArray(value.assets)) return '"assets" is not an object';
  // A patch form this deltawarm does not know: its patches are not patch sources (full files, as SPEC §7 says).
  const format = (PATCH_FORMATS as readonly unknown[]).includes(value.patchFormat) ? (value.patchFormat as PatchFormat) : undefined;
  const assets: Record<AssetPath, ManifestAsset> = Object.create(null) as Record<AssetPath, ManifestAsset>;
  const skipped: string[] = [];
  for (const [name, asset] of Object.entries(value.assets as Record<string, unknown>)) {
    const checked = checkedAsset(name, asset, format);
    if (typeof checked === 'string') skipped.push(checked);
    else assets[name] = checked;
  }
  return { manifest: { ...(value as Manifest), assets }, skipped };
}

function checkedAsset(name: string, value: unknown, format: PatchFormat | undefined): ManifestAsset | string {
  const named = pathProblem(name);
  if (named) return `asset name ${named}`;
  const asset = value as Partial<ManifestAsset> | null;
  const at = quote(name);
  if (!asset || typeof asset !== 'object') return `${at} is not an object`;
  const version = versionProblem(asset.version);
  if (version) return `${at}: its version ${version}`;
  if (!isIntegrity(asset.integrity)) return `${at}: its integrity ${quote(asset.integrity)} is not an SRI sha256`;
  const full = fullKey(asset.version as Version, name);
  if (asset.full !== full) return `${at}: its full ${quote(asset.full)} is not ${full}`;
  const patches: ManifestAsset['patches'] = Object.create(null) as ManifestAsset['patches'];
  if (asset.patches !== undefined && (asset.patches === null || typeof asset.patches !== 'object')) return `${at}: its patches are not an object`;
  for (const [from, patch] of Object.entries(format ? (asset.patches ?? {}) : {})) {
    const problem = versionProblem(from) ?? (patch?.fromIntegrity === undefined || isIntegrity(patch.fromIntegrity) ? undefined : `fromIntegrity ${quote(patch.fromIntegrity)} is not an SRI sha256`);
    if (problem) return `${at}: a patch entry's ${problem}`;
    const size = Number.isSafeInteger(patch?.size) ? (patch.size as number) : 0;
    patches[from] = { key: patchKey(from, asset.version as Version, name, format as PatchFormat), size, ...(patch?.fromIntegrity ? { fromIntegrity: patch.fromIntegrity } : {}) };
  }
  return { ...(asset as ManifestAsset), full, patches };
}

/** An asset's entry in a checked manifest (never an inherited property such as `constructor`). */
const assetIn = (manifest: Manifest | undefined, name: AssetPath): ManifestAsset | undefined =>
  manifest && Object.hasOwn(manifest.assets, name) ? manifest.assets[name] : undefined;

/** The manifest versions carry over from: this release's own, else the latest deploy's. */
function previousManifest(history: DeployHistory): Manifest | undefined {
  return history.own ?? history.recent[0]?.manifest;
}

/** The version a deploy already gave these bytes, if the previous manifest lists them. */
export function carriedVersion(history: DeployHistory, name: AssetPath, integrity: Integrity): ManifestAsset | undefined {
  const asset = assetIn(previousManifest(history), name);
  return asset?.integrity === integrity ? asset : undefined;
}

/** The asset's distinct versions in the deploys of the window, newest first, without `current`. */
export function deployedVersions(history: DeployHistory, name: AssetPath, current: Version): DeployedVersion[] {
  if (history.own) return ownPatchSources(history, name);
  const found = new Map<Version, DeployedVersion>();
  for (const { entry, manifest } of history.recent) {
    const asset = assetIn(manifest, name);
    if (!asset || asset.version === current || found.has(asset.version)) continue;
    found.set(asset.version, { version: asset.version, date: entry.createdAt, integrity: asset.integrity, full: asset.full });
  }
  return [...found.values()];
}

/**
 * A client per deploy of the window, newest first: the versions that deploy's manifest lists.
 * On a redeploy the earlier manifests are not read, so there are none.
 */
export function deployClients(history: DeployHistory | undefined): ReturningClient[] {
  return (history?.recent ?? []).map(({ entry, manifest }) => ({
    at: entry.release,
    date: entry.createdAt,
    holds: new Map(Object.entries(manifest.assets).map(([name, asset]) => [name, asset.version])),
  }));
}

/** On a redeploy: exactly the old versions the release's manifest lists patches from. */
function ownPatchSources(history: DeployHistory, name: AssetPath): DeployedVersion[] {
  const asset = assetIn(history.own, name);
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
