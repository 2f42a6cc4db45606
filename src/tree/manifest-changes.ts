import type { AssetPath, Integrity, Release, StorageKey, Version } from '../types.js';
import { fullKey, patchKey } from './layout.js';
import type { Manifest, ManifestAsset, ManifestPatch } from './manifest.js';

/** SPEC §12: the no-cache head and the immutable per-deploy changes objects. */
export const HEAD_FORMAT = 'deltawarm-head/1';
export const CHANGES_FORMAT = 'deltawarm-changes/1';
export const HEAD_KEY: StorageKey = 'manifest/head.json';
/** Releases a head lists: a reader at most this many deploys behind catches up through changes objects. */
export const HEAD_CHAIN = 10;

export const changesKey = (from: Release, to: Release): StorageKey => `manifest/changes/${from}/${to}.json`;

export interface Head {
  format: typeof HEAD_FORMAT;
  release: Release;
  /** Integrity (SPEC §2) of the bytes of `manifest/RELEASE.json`. */
  manifest: Integrity;
  /** `release` first, then earlier releases, each reached from the next by a changes object. */
  chain: Release[];
}

/** An asset entry: version, size, integrity, url (0: none), patches, and the entry fields that cannot be derived. */
export type ChangedAsset = [number, number, Integrity, string | 0, ChangedPatch[], Given?];
/** The entry fields that cannot be derived; `module: false` says an asset stopped being an ES module. */
export type Given = Partial<Omit<ManifestAsset, 'module'>> & { module?: boolean };
/** A patch: from version, size, and its fromIntegrity when the previous manifest does not give it. */
export type ChangedPatch = [number, number, Integrity?];

export interface Changes {
  format: typeof CHANGES_FORMAT;
  from: Release;
  to: Release;
  createdAt: string;
  /** Every version the entries refer to, by position. */
  versions: Version[];
  /** Assets added or changed. */
  set: Record<AssetPath, ChangedAsset>;
  removed: AssetPath[];
}

/**
 * The manifest of `changes.to`, made from `previous` (the manifest of `changes.from`; neither
 * is modified). What is not listed is derived: the content type and text flag from the
 * previous entry, the full key and patch keys from the layout (SPEC §6), a patch's
 * fromIntegrity from the previous entry's integrity or patches. Malformed changes throw or
 * give another manifest: the result is trusted only once it serializes to the integrity the
 * head gives (the publisher checks its own the same way).
 */
export function applyChanges(previous: Manifest, changes: Changes): Manifest {
  const { versions } = changes;
  const assets: [AssetPath, ManifestAsset][] = Object.entries(previous.assets).filter(([path]) => !changes.removed.includes(path) && !Object.hasOwn(changes.set, path));
  for (const [path, [v, size, integrity, url, patches, given = {}]] of Object.entries(changes.set)) {
    const before = Object.hasOwn(previous.assets, path) ? previous.assets[path] : undefined;
    const to = versions[v]!;
    const entries = patches.map(([f, patchSize, fromIntegrity]): [Version, ManifestPatch] => {
      const from = versions[f]!;
      const integrityFrom = fromIntegrity ?? (before?.version === from ? before.integrity : before?.patches?.[from]?.fromIntegrity);
      return [from, { key: patchKey(from, to, path, previous.patchFormat), size: patchSize, ...(integrityFrom ? { fromIntegrity: integrityFrom } : {}) }];
    });
    assets.push([
      path,
      {
        version: to,
        size,
        integrity,
        contentType: given.contentType ?? before!.contentType,
        text: given.text ?? before!.text,
        full: given.full ?? fullKey(to, path),
        ...(url ? { url } : {}),
        ...((given.module ?? before?.module) ? { module: true as const } : {}),
        patches: Object.fromEntries(entries),
      },
    ]);
  }
  assets.sort(([a], [b]) => (a < b ? -1 : 1));
  return { ...previous, release: changes.to, createdAt: changes.createdAt, assets: Object.fromEntries(assets) };
}

/** A manifest's bytes as every writer serializes it (SPEC §7). */
export const manifestText = (manifest: Manifest): string => JSON.stringify(manifest, null, 2) + '\n';
