import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runGit } from '../../../fixtures/git-fixture.js';
import { decodeText } from '../../../src/text/decode.js';
import { encodeJsonPatch } from '../../../src/patch/json-form.js';
import type { Op } from '../../../src/patch/ops.js';
import { encodeTabPatch } from '../../../src/patch/tab-form.js';
import { integrityOf } from '../../../src/text/integrity.js';
import { contentTypeFor } from '../../../src/tree/content-type.js';
import { IMMUTABLE, LATEST_MANIFEST_KEY, MANIFEST_CONTENT_TYPE, NO_CACHE, PATCH_CONTENT_TYPE, fullKey, patchKey, releaseManifestKey } from '../../../src/tree/layout.js';
import { MANIFEST_FORMAT, type Manifest } from '../../../src/tree/manifest.js';
import type { StoredObject } from '../../../src/tree/stored-object.js';
import type { PatchFormat } from '../../../src/types.js';

/**
 * Releases for the storage tests, built here from git (or at random) so that they do not
 * depend on the patch engine: patches are a plain common-prefix/suffix edit, which is all
 * a publisher or verifier needs to see.
 */
export interface TestRelease {
  release: string;
  manifest: Manifest;
  objects: StoredObject[];
}

const utf8 = new TextEncoder();

export function immutable(key: string, body: Uint8Array | string, contentType: string): StoredObject {
  return { key, body: typeof body === 'string' ? utf8.encode(body) : body, contentType, cacheControl: IMMUTABLE, immutable: true };
}

/** The release of `repo` at HEAD: every text asset matching `paths`, with patches from each older version. */
export function releaseFromRepo(dir: string, paths: string[], patchFormat: PatchFormat = 'json', cdns: string[] = []): TestRelease {
  const release = runGit(dir, ['rev-parse', 'HEAD']);
  const manifest: Manifest = { format: MANIFEST_FORMAT, release, createdAt: '2026-01-01T00:00:00.000Z', cdns, patchFormat, assets: {} };
  const objects: StoredObject[] = [];
  for (const path of paths) {
    const [version, ...older] = runGit(dir, ['log', '--format=%H', 'HEAD', '--', path]).split('\n');
    const bytes = show(dir, version as string, path);
    const text = decodeText(bytes) as string;
    const full = immutable(fullKey(version as string, path), bytes, contentTypeFor(path, true));
    objects.push(full);
    manifest.assets[path] = {
      version: version as string,
      size: full.body.byteLength,
      integrity: integrityOf(text),
      contentType: full.contentType,
      text: true,
      full: full.key,
      patches: {},
    };
    for (const from of older) {
      const old = decodeText(show(dir, from, path)) as string;
      const ops = affixOps(old, text);
      const encoded =
        patchFormat === 'json'
          ? encodeJsonPatch({ asset: path, from, to: version as string, fromIntegrity: integrityOf(old), toIntegrity: integrityOf(text), toLength: text.length }, ops)
          : encodeTabPatch(ops, old.length);
      const patch = immutable(patchKey(from, version as string, path, patchFormat), encoded, PATCH_CONTENT_TYPE[patchFormat]);
      objects.push(patch);
      (manifest.assets[path] as Manifest['assets'][string]).patches[from] = { key: patch.key, size: patch.body.byteLength };
    }
  }
  return { release, manifest, objects: [...objects, ...manifestObjects(manifest)] };
}

/** `count` random full files of `size` bytes each, plus manifests: for volume and fault tests. */
export function bulkRelease(count: number, size: number): TestRelease {
  const release = randomBytes(20).toString('hex');
  const manifest: Manifest = { format: MANIFEST_FORMAT, release, createdAt: '2026-01-01T00:00:00.000Z', cdns: [], patchFormat: 'json', assets: {} };
  const objects: StoredObject[] = [];
  for (let i = 0; i < count; i++) {
    const path = `dist/bulk-${i}.js`;
    const version = randomBytes(20).toString('hex');
    const text = `/* ${i} */ ` + randomBytes(size).toString('base64').slice(0, Math.max(0, size - 12));
    const full = immutable(fullKey(version, path), text, contentTypeFor(path, true));
    objects.push(full);
    manifest.assets[path] = { version, size: full.body.byteLength, integrity: integrityOf(text), contentType: full.contentType, text: true, full: full.key, patches: {} };
  }
  return { release, manifest, objects: [...objects, ...manifestObjects(manifest)] };
}

export function manifestObjects(manifest: Manifest): StoredObject[] {
  const body = utf8.encode(JSON.stringify(manifest));
  return [
    immutable(releaseManifestKey(manifest.release), body, MANIFEST_CONTENT_TYPE),
    { key: LATEST_MANIFEST_KEY, body, contentType: MANIFEST_CONTENT_TYPE, cacheControl: NO_CACHE, immutable: false },
  ];
}

/** An asset's bytes at a version. */
const show = (dir: string, version: string, path: string) => new Uint8Array(execFileSync('git', ['show', `${version}:${path}`], { cwd: dir }));

/** Keep the common prefix and suffix, insert the middle: a valid (if plain) patch. */
function affixOps(old: string, next: string): Op[] {
  let prefix = 0;
  while (prefix < old.length && prefix < next.length && old[prefix] === next[prefix]) prefix++;
  let suffix = 0;
  while (suffix < old.length - prefix && suffix < next.length - prefix && old[old.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  const ops: Op[] = [];
  if (prefix > 0) ops.push([0, prefix]);
  const middle = next.slice(prefix, next.length - suffix);
  if (middle) ops.push(middle);
  if (suffix > 0) ops.push([old.length - suffix, suffix]);
  return ops;
}
