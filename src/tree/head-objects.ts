import { createHash } from 'node:crypto';
import type { Release } from '../types.js';
import { IMMUTABLE, MANIFEST_CONTENT_TYPE, NO_CACHE, fullKey } from './layout.js';
import type { Manifest } from './manifest.js';
import { CHANGES_FORMAT, type ChangedAsset, type ChangedPatch, type Changes, type Given, HEAD_CHAIN, HEAD_FORMAT, HEAD_KEY, type Head, applyChanges, changesKey, manifestText } from './manifest-changes.js';
import type { StoredObject } from './stored-object.js';

/** The release readers held before this publish: its manifest, and the chain its head listed. */
export interface PreviousRelease {
  manifest: Manifest;
  chain: Release[];
}

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value));

/**
 * The changes object from `previous` to `manifest` (when it can say everything that changed:
 * it is applied here as a reader applies it, and left out unless that gives the manifest's
 * exact bytes) and the head, in publish order (SPEC §12).
 */
export function headObjects(manifest: Manifest, body: Uint8Array, previous: PreviousRelease | undefined): StoredObject[] {
  const objects: StoredObject[] = [];
  let chain = [manifest.release];
  if (previous?.manifest.release === manifest.release) chain = previous.chain;
  else if (previous) {
    const changes = encodeChanges(previous.manifest, manifest);
    if (reproduces(previous.manifest, changes, body)) {
      objects.push({ key: changesKey(changes.from, changes.to), body: json(changes), contentType: MANIFEST_CONTENT_TYPE, cacheControl: IMMUTABLE, immutable: true });
      const own = previous.chain.indexOf(manifest.release);
      chain = [manifest.release, ...(own === -1 ? previous.chain : previous.chain.slice(0, own))].slice(0, HEAD_CHAIN);
    }
  }
  const head: Head = { format: HEAD_FORMAT, release: manifest.release, manifest: `sha256-${createHash('sha256').update(body).digest('base64')}`, chain };
  objects.push({ key: HEAD_KEY, body: json(head), contentType: MANIFEST_CONTENT_TYPE, cacheControl: NO_CACHE, immutable: false });
  return objects;
}

function reproduces(previous: Manifest, changes: Changes, body: Uint8Array): boolean {
  try {
    return manifestText(applyChanges(structuredClone(previous), structuredClone(changes))) === new TextDecoder().decode(body);
  } catch {
    return false;
  }
}

/** What changed from `previous` to `next`, with every version named once and what a reader can derive left out. */
export function encodeChanges(previous: Manifest, next: Manifest): Changes {
  const versions: string[] = [];
  const ref = (version: string) => (versions.includes(version) ? versions.indexOf(version) : versions.push(version) - 1);
  const set: Changes['set'] = {};
  for (const [path, entry] of Object.entries(next.assets)) {
    const before = Object.hasOwn(previous.assets, path) ? previous.assets[path] : undefined;
    if (before && JSON.stringify(before) === JSON.stringify(entry)) continue;
    const given: Given = {};
    if (entry.contentType !== before?.contentType) given.contentType = entry.contentType;
    if (entry.text !== before?.text) given.text = entry.text;
    if (Boolean(entry.module) !== Boolean(before?.module)) given.module = Boolean(entry.module);
    if (entry.full !== fullKey(entry.version, path)) given.full = entry.full;
    const patches = Object.entries(entry.patches ?? {}).map(([from, patch]): ChangedPatch => {
      const derived = before?.version === from ? before.integrity : before?.patches?.[from]?.fromIntegrity;
      return patch.fromIntegrity && patch.fromIntegrity !== derived ? [ref(from), patch.size, patch.fromIntegrity] : [ref(from), patch.size];
    });
    const changed: ChangedAsset = [ref(entry.version), entry.size, entry.integrity, entry.url ?? 0, patches];
    if (Object.keys(given).length) changed.push(given);
    set[path] = changed;
  }
  const removed = Object.keys(previous.assets).filter((path) => !Object.hasOwn(next.assets, path));
  return { format: CHANGES_FORMAT, from: previous.release, to: next.release, createdAt: next.createdAt, versions, set, removed };
}
