import { RunFailure } from '../errors.js';
import type { Manifest, ManifestAsset } from '../tree/manifest.js';
import { manifestObjects } from '../tree/release-tree.js';
import type { StoredObject } from '../tree/stored-object.js';
import { type AssetPath, PATCH_FORMATS, type PatchFormat, type Release } from '../types.js';
import { readDeployIndex } from '../history/deploy-index.js';
import { isIntegrity, isTimestamp, pathProblem, quote, versionProblem } from '../history/read-back.js';
import { fullKey, patchKey } from '../tree/layout.js';
import type { PreviousRelease } from '../tree/head-objects.js';
import { type ShardResult, type ShardSettings, describeShard, parseShardResult, shardResultKey } from './result.js';
import { inShard, shardName } from './shard.js';

export interface ShardedRelease {
  manifest: Manifest;
  /** The manifest objects, in SPEC publish order. */
  objects: StoredObject[];
  results: ShardResult[];
}

/**
 * The manifests of a release from the results of its `count` shards (index i of `stored` is
 * shard i+1's result, undefined when there is none), made exactly as one build makes them.
 * A missing result, a failed shard, a result of another release or shard count, or shards
 * that ran with other settings stop it: RunFailure, and no manifest.
 */
export function assembleShards(release: Release, stored: (Uint8Array | undefined)[], where: string, expected: FinishSettings, previous?: PreviousRelease): ShardedRelease {
  const count = stored.length;
  const missing = stored.flatMap((bytes, i) => (bytes === undefined ? [`${i + 1}/${count}`] : []));
  if (missing.length > 0) throw new RunFailure(`no result from shard ${missing.join(', ')} of release ${release} in ${where}: those shards did not finish (re-run them)`);
  const results = stored.map((bytes, i) => checkedResult(belongs(parseShardResult(bytes as Uint8Array, `${where} ${shardResultKey(release, { index: i + 1, count })}`), release, i + 1, count)));
  const failed = results.filter((result) => result.status === 'failed');
  if (failed.length > 0) throw new RunFailure(`${failed.map((result) => `${describeShard(result)} failed: ${result.reason ?? 'no reason given'}`).join('; ')} (fix it and re-run that shard)`);
  const [first, ...rest] = results as [ShardResult, ...ShardResult[]];
  for (const result of rest) sameSettings(first, result);
  madeWith(first, expected);
  const assets: Record<AssetPath, ManifestAsset> = {};
  for (const result of results) {
    for (const [path, entry] of Object.entries(result.assets)) {
      if (Object.hasOwn(assets, path)) throw new RunFailure(`${describeShard(result)} and another shard both hold ${path}: the shards did not split the same assets (re-run every shard)`);
      assets[path] = entry;
    }
  }
  return { ...manifestObjects(assets, first.meta, previous), results };
}

/** The settings `finish` was given: the shards must have made the tree these describe. */
export interface FinishSettings {
  settings: ShardSettings;
  cdns: string[];
  patchFormat: PatchFormat;
}

function madeWith(result: ShardResult, expected: FinishSettings): void {
  const given: Values = { ...expected.settings, cdns: expected.cdns, patchFormat: expected.patchFormat };
  const made: Values = { ...result.settings, cdns: result.meta.cdns, patchFormat: result.meta.patchFormat };
  const differs = firstDifference(made, given);
  if (differs !== undefined) {
    throw new RunFailure(`the shards ran with ${differs} ${JSON.stringify(made[differs])}, this finish with ${JSON.stringify(given[differs])}: give finish the shards' settings`);
  }
}

type Values = Record<string, unknown>;

/** The first name whose value differs between two records of JSON values. */
function firstDifference(a: Values, b: Values): string | undefined {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].find((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name]));
}

function belongs(result: ShardResult, release: Release, index: number, count: number): ShardResult {
  if (result.release !== release || result.shard.index !== index || result.shard.count !== count) {
    throw new RunFailure(`the result stored for shard ${index}/${count} of release ${release} is ${describeShard(result)} of release ${result.release} (re-run that shard)`);
  }
  return result;
}

/**
 * A shard result is read back from a store: before its entries go into a manifest, each must
 * be a safe name in the shard's share, with a commit ID as version, an SRI integrity, and the
 * keys SPEC §6 gives for them; its deploy index must be one (SPEC §8) for this release.
 */
function checkedResult(result: ShardResult): ShardResult {
  const fail = (why: string) => new RunFailure(`the result of ${describeShard(result)} is not valid: ${why} (re-run that shard)`);
  const { meta } = result;
  if (!meta || meta.release !== result.release) throw fail('its meta is of another release');
  if (!(PATCH_FORMATS as readonly unknown[]).includes(meta.patchFormat)) throw fail(`its patchFormat ${quote(meta.patchFormat)} is not one of ${PATCH_FORMATS.join(', ')}`);
  if (!isTimestamp(meta.createdAt)) throw fail(`its createdAt ${quote(meta.createdAt)} is not an ISO 8601 UTC time`);
  const { index, skipped } = readDeployIndex(meta.deploys, (why) => fail(`its deploy index: ${why}`));
  if (skipped.length > 0) throw fail(`its deploy index: ${skipped[0]}`);
  if (index.deploys[0]?.release !== result.release) throw fail('its deploy index does not start with this release');
  for (const [path, entry] of Object.entries(result.assets)) {
    const problem = entryProblem(path, entry, meta.patchFormat, result);
    if (problem) throw fail(`asset ${quote(path)}: ${problem}`);
  }
  return result;
}

function entryProblem(path: AssetPath, entry: ManifestAsset, format: PatchFormat, result: ShardResult): string | undefined {
  const name = pathProblem(path);
  if (name) return `its name ${name}`;
  if (!inShard(path, result.shard)) return `it is not in the share of ${describeShard(result)}`;
  if (!entry || typeof entry !== 'object') return 'not an object';
  const version = versionProblem(entry.version);
  if (version) return `its version ${version}`;
  if (!isIntegrity(entry.integrity)) return `its integrity ${quote(entry.integrity)} is not an SRI sha256`;
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) return `its size ${quote(entry.size)} is not a byte count`;
  if (entry.full !== fullKey(entry.version, path)) return `its full ${quote(entry.full)} is not ${fullKey(entry.version, path)}`;
  if (!entry.patches || typeof entry.patches !== 'object') return 'its patches are not an object';
  for (const [from, patch] of Object.entries(entry.patches)) {
    const problem = versionProblem(from);
    if (problem) return `a patch from ${problem}`;
    if (patch?.key !== patchKey(from, entry.version, path, format)) return `its patch key ${quote(patch?.key)} is not ${patchKey(from, entry.version, path, format)}`;
    if (!Number.isSafeInteger(patch.size) || patch.size < 0) return `the size of ${patch.key} is not a byte count`;
    if (patch.fromIntegrity !== undefined && !isIntegrity(patch.fromIntegrity)) return `the fromIntegrity of ${patch.key} is not an SRI sha256`;
  }
  return undefined;
}

/** Every shard must have made its share of the same tree: same settings, same release-wide values. */
function sameSettings(first: ShardResult, other: ShardResult): void {
  for (const part of ['settings', 'meta'] as const) {
    const a = first[part] as unknown as Values;
    const b = other[part] as unknown as Values;
    const differs = firstDifference(a, b);
    if (differs !== undefined) {
      throw new RunFailure(`${describeShard(other)} ran with another ${differs} than shard ${shardName(first.shard)} (${JSON.stringify(b[differs])}, not ${JSON.stringify(a[differs])}): re-run every shard with the same settings`);
    }
  }
}
