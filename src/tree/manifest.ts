import type { AssetPath, Integrity, PatchFormat, Release, StorageKey, Version } from '../types.js';

export const MANIFEST_FORMAT = 'deltawarm-manifest/1';

/** The release manifest (SPEC §6). */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  release: Release;
  createdAt: string;
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
  patches: Record<Version, ManifestPatch>;
  /** Built mode: the file's built path relative to the built directory (POSIX, no leading slash). */
  url?: string;
}

export interface ManifestPatch {
  key: StorageKey;
  size: number;
  /** SRI sha256 of the old text; absent in older manifests, where the old text cannot be checked. */
  fromIntegrity?: Integrity;
}
