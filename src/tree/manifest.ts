import type { AssetPath, Integrity, PatchFormat, Release, StorageKey, Version } from '../types.js';

export const MANIFEST_FORMAT = 'deltawarm-manifest/1';

/** The release manifest (SPEC §6). */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  release: Release;
  createdAt: string;
  /** Absent means committed (SPEC §7). */
  mode?: 'committed' | 'built';
  cdns: string[];
  patchFormat: PatchFormat;
  assets: Record<AssetPath, ManifestAsset>;
}

export interface ManifestAsset {
  version: Version;
  size: number;
  integrity: Integrity;
  contentType: string;
  text: boolean;
  full: StorageKey;
  /** Built mode: the file's built path relative to the build directory. */
  url?: string;
  /** Built mode: true when the text is an ES module, which runs only as a module (SPEC §7.1). */
  module?: true;
  patches: Record<Version, ManifestPatch>;
}

export interface ManifestPatch {
  key: StorageKey;
  size: number;
  /** Integrity of the old text; manifests written before this field lack it. */
  fromIntegrity?: Integrity;
}
