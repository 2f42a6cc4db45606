/** The deltawarm browser runtime: `load` assets from a deltawarm tree (SPEC.md). */
export { load } from './load.js';
export type { AssetMode, AssetReport, LoadOptions, StorageLike } from './types.js';
export type { Manifest, ManifestAsset, ManifestPatch } from '../tree/manifest.js';
