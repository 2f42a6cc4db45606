import { EnvironmentError } from '../errors.js';
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

const SHA = /^[0-9a-f]{40}$/;

/** Reads a deploy index; anything that is not one is an error naming where it came from. */
export function parseDeployIndex(bytes: Uint8Array, where: string): DeployIndex {
  const invalid = (why: string) => new EnvironmentError(`the deploy index ${where} is not valid: ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalid('not JSON');
  }
  const index = value as Partial<DeployIndex> | null;
  if (index?.format !== DEPLOYS_FORMAT) throw invalid(`format is not "${DEPLOYS_FORMAT}"`);
  if (!Array.isArray(index.deploys)) throw invalid('"deploys" is not a list');
  for (const entry of index.deploys as Partial<DeployEntry>[]) {
    if (!SHA.test(String(entry?.release)) || typeof entry?.createdAt !== 'string' || typeof entry.manifest !== 'string') {
      throw invalid('each deploy needs a 40-hex "release", "createdAt" and "manifest"');
    }
  }
  return { format: DEPLOYS_FORMAT, deploys: index.deploys as DeployEntry[] };
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
