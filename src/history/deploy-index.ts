import { EnvironmentError } from '../errors.js';
import { isTimestamp, quote, versionProblem } from './read-back.js';
import { MANIFEST_CONTENT_TYPE, NO_CACHE, releaseManifestKey } from '../tree/layout.js';
import type { StoredObject } from '../tree/stored-object.js';
import type { Release, StorageKey } from '../types.js';

export const DEPLOYS_FORMAT = 'deltawarm-deploys/1';
export const DEPLOY_INDEX_KEY: StorageKey = 'manifest/deploys.json';
const MAX_DEPLOYS = 100;

/** One deploy of the index (SPEC §8). */
export interface DeployEntry {
  release: Release;
  createdAt: string;
  manifest: StorageKey;
}

export interface DeployIndex {
  format: typeof DEPLOYS_FORMAT;
  /** Newest first. */
  deploys: DeployEntry[];
}

/** A deploy index read back: the deploys that passed validation, and why the others were skipped. */
export interface ReadDeployIndex {
  index: DeployIndex;
  skipped: string[];
}

/**
 * Reads a deploy index. Anything that is not one at all is an error naming where it came from;
 * a deploy whose release, date or manifest key is not as SPEC §8 says (a `manifest` other than
 * `manifest/<release>.json`, a release that is not a commit ID) is skipped with the reason, and
 * an index whose every deploy is skipped is an error: nothing usable is left.
 */
export function parseDeployIndex(bytes: Uint8Array, where: string): ReadDeployIndex {
  const invalid = (why: string) => new EnvironmentError(`the deploy index ${where} is not valid: ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalid('not JSON');
  }
  return readDeployIndex(value, invalid);
}

/** A deploy index already parsed from JSON (also inside a shard result), checked as parseDeployIndex says. */
export function readDeployIndex(value: unknown, invalid: (why: string) => Error): ReadDeployIndex {
  const index = value as Partial<DeployIndex> | null;
  if (index?.format !== DEPLOYS_FORMAT) throw invalid(`format is not "${DEPLOYS_FORMAT}"`);
  if (!Array.isArray(index.deploys)) throw invalid('"deploys" is not a list');
  const deploys: DeployEntry[] = [];
  const skipped: string[] = [];
  for (const [position, entry] of (index.deploys as unknown[]).entries()) {
    const problem = entryProblem(entry, deploys);
    if (problem) skipped.push(`deploy ${position + 1} of the index: ${problem}; skipped`);
    else deploys.push(entry as DeployEntry);
  }
  if (deploys.length === 0 && skipped.length > 0) throw invalid(`no deploy in it is usable (${skipped[0]}${skipped.length > 1 ? `, and ${skipped.length - 1} more` : ''})`);
  return { index: { format: DEPLOYS_FORMAT, deploys: deploys.slice(0, MAX_DEPLOYS) }, skipped };
}

function entryProblem(value: unknown, earlier: DeployEntry[]): string | undefined {
  const entry = value as Partial<DeployEntry> | null;
  if (!entry || typeof entry !== 'object') return 'not an object';
  const release = versionProblem(entry.release);
  if (release) return `its release ${release}`;
  if (!isTimestamp(entry.createdAt)) return `its createdAt ${quote(entry.createdAt)} is not an ISO 8601 UTC time`;
  const expected = releaseManifestKey(entry.release as Release);
  if (entry.manifest !== expected) return `its manifest ${quote(entry.manifest)} is not ${expected}`;
  if (earlier.some((deploy) => deploy.release === entry.release)) return `release ${entry.release} is listed twice`;
  return undefined;
}

/** The index after deploying `release`: it goes to the front (moved, if listed already), at most 100 kept. */
export function withDeploy(previous: DeployEntry[], release: Release, createdAt: string): DeployIndex {
  const entry: DeployEntry = { release, createdAt, manifest: releaseManifestKey(release) };
  return { format: DEPLOYS_FORMAT, deploys: [entry, ...previous.filter((deploy) => deploy.release !== release)].slice(0, MAX_DEPLOYS) };
}

export function deployIndexObject(index: DeployIndex): StoredObject {
  const body = new TextEncoder().encode(JSON.stringify(index, null, 2) + '\n');
  return { key: DEPLOY_INDEX_KEY, body, contentType: MANIFEST_CONTENT_TYPE, cacheControl: NO_CACHE, immutable: false };
}
