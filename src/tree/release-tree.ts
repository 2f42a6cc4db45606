import { type DeployIndex, deployIndexObject } from '../history/deploy-index.js';
import type { AssetResult } from '../pipeline/asset-pipeline.js';
import type { AssetPath, PatchFormat, Release } from '../types.js';
import { IMMUTABLE, LATEST_MANIFEST_KEY, MANIFEST_CONTENT_TYPE, NO_CACHE, PATCH_CONTENT_TYPE, fullKey, patchKey, releaseManifestKey } from './layout.js';
import { MANIFEST_FORMAT, type Manifest, type ManifestAsset } from './manifest.js';
import type { StoredObject } from './stored-object.js';
import { type PreviousRelease, headObjects } from './head-objects.js';

export interface TreeMeta {
  release: Release;
  createdAt: string;
  cdns: string[];
  patchFormat: PatchFormat;
  mode: 'committed' | 'built';
  /** The deploy index this publish leaves behind (SPEC §8). */
  deploys: DeployIndex;
}

export interface ReleaseTree {
  manifest: Manifest;
  /** What the manifests are made of besides the assets: a shard result carries it to `finish`. */
  meta: TreeMeta;
  /** In SPEC publish order: full files and patches, then manifest/RELEASE.json, the changes object, manifest/deploys.json, manifest/latest.json, manifest/head.json. */
  objects: StoredObject[];
}

const encoder = new TextEncoder();

export function assembleTree(results: AssetResult[], meta: TreeMeta, previous?: PreviousRelease): ReleaseTree {
  const objects: StoredObject[] = [];
  const assets: Record<string, ManifestAsset> = {};
  for (const asset of [...results].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const full = fullKey(asset.current.version, asset.path);
    objects.push({ key: full, body: asset.bytes, contentType: asset.contentType, cacheControl: IMMUTABLE, immutable: true });
    const patches: ManifestAsset['patches'] = {};
    for (const { from, fromIntegrity, result } of asset.patches) {
      if (result.status !== 'ok') continue;
      const key = patchKey(from.version, asset.current.version, asset.path, meta.patchFormat);
      objects.push({ key, body: result.body, contentType: PATCH_CONTENT_TYPE[meta.patchFormat], cacheControl: IMMUTABLE, immutable: true });
      patches[from.version] = { key, size: result.body.length, ...(fromIntegrity ? { fromIntegrity } : {}) };
    }
    assets[asset.path] = {
      version: asset.current.version,
      size: asset.bytes.length,
      integrity: asset.integrity,
      contentType: asset.contentType,
      text: asset.text,
      full,
      ...(asset.url === undefined ? {} : { url: asset.url }),
      ...(asset.module ? { module: asset.module } : {}),
      patches,
    };
  }
  const manifests = manifestObjects(assets, meta, previous);
  return { manifest: manifests.manifest, meta, objects: [...objects, ...manifests.objects] };
}

/**
 * The manifest objects of a release from its asset entries, in SPEC publish order. One build
 * and `finish` (which merges the entries of every shard) both make them here, so a sharded
 * release gets the same bytes as one build. With the release readers held before (`previous`),
 * the changes object from it and the head follow (SPEC §12).
 */
export function manifestObjects(entries: Record<AssetPath, ManifestAsset>, meta: TreeMeta, previous?: PreviousRelease): { manifest: Manifest; objects: StoredObject[] } {
  const assets = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    release: meta.release,
    createdAt: meta.createdAt,
    ...(meta.mode === 'built' ? { mode: meta.mode } : {}),
    cdns: meta.cdns,
    patchFormat: meta.patchFormat,
    assets,
  };
  const body = encoder.encode(JSON.stringify(manifest, null, 2) + '\n');
  const [head, ...changes] = headObjects(manifest, body, previous).reverse();
  const objects: StoredObject[] = [
    { key: releaseManifestKey(meta.release), body, contentType: MANIFEST_CONTENT_TYPE, cacheControl: IMMUTABLE, immutable: true },
    ...changes,
    deployIndexObject(meta.deploys),
    { key: LATEST_MANIFEST_KEY, body, contentType: MANIFEST_CONTENT_TYPE, cacheControl: NO_CACHE, immutable: false },
    head!,
  ];
  return { manifest, objects };
}
