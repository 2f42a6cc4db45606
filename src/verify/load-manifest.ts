import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EnvironmentError, RunFailure, UsageError } from '../errors.js';
import { pathProblem, quote, readFailure } from '../history/read-back.js';
import { fullKey, patchKey } from '../tree/layout.js';
import { MANIFEST_FORMAT, type Manifest, type ManifestAsset } from '../tree/manifest.js';
import { type AssetPath, PATCH_FORMATS, type PatchFormat } from '../types.js';
import { holdsCredentials } from '../text/redact.js';

export interface LoadedManifest {
  manifest: Manifest;
  /** The URL it came from, when it came from one. */
  url?: string;
}

/** Reads a manifest from a file path or an http(s) URL and checks its shape (SPEC §6). */
export async function loadManifest(source: string, cwd: string): Promise<LoadedManifest> {
  if (/^https?:\/\//i.test(source)) {
    if (holdsCredentials(source)) throw new UsageError('--manifest: the URL holds credentials, which deltawarm neither sends nor prints (give a URL without them)');
    let text: string;
    try {
      const response = await fetch(source, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) {
        await response.body?.cancel();
        throw new EnvironmentError(`cannot fetch manifest ${source}: HTTP ${response.status}`);
      }
      text = await response.text();
    } catch (error) {
      if (error instanceof EnvironmentError) throw error;
      throw new EnvironmentError(`cannot fetch manifest ${source}: ${readFailure(error)}`);
    }
    return { manifest: parseManifest(text, source), url: source };
  }
  let text: string;
  try {
    text = await readFile(resolve(cwd, source), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read manifest ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { manifest: parseManifest(text, source) };
}

const SHA = /^[0-9a-f]{40}$/;

function parseManifest(text: string, source: string): Manifest {
  const bad = (why: string) => new RunFailure(`manifest ${source} is not a valid ${MANIFEST_FORMAT}: ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const manifest = value as Manifest;
  if (!manifest || typeof manifest !== 'object' || manifest.format !== MANIFEST_FORMAT) throw bad('wrong "format"');
  if (!SHA.test(String(manifest.release))) throw bad('"release" is not a 40-hex SHA');
  if (!Array.isArray(manifest.cdns) || !manifest.cdns.every((cdn) => typeof cdn === 'string' && cdn.endsWith('/'))) throw bad('"cdns" must be URLs ending in /');
  if (!(PATCH_FORMATS as readonly unknown[]).includes(manifest.patchFormat)) throw bad(`"patchFormat" is not one of ${PATCH_FORMATS.join(', ')}`);
  if (!manifest.assets || typeof manifest.assets !== 'object') throw bad('"assets" is not an object');
  for (const [path, asset] of Object.entries(manifest.assets)) {
    const ok =
      asset && SHA.test(String(asset.version)) && Number.isSafeInteger(asset.size) && typeof asset.integrity === 'string' &&
      typeof asset.full === 'string' && typeof asset.text === 'boolean' && asset.patches && typeof asset.patches === 'object' &&
      Object.entries(asset.patches).every(([from, patch]) => SHA.test(from) && typeof patch?.key === 'string' && Number.isSafeInteger(patch.size));
    if (!ok) throw bad(`asset "${path}" is malformed`);
    const problem = keysProblem(path, asset, manifest.patchFormat);
    if (problem) throw bad(`asset ${quote(path)}: ${problem}`);
  }
  return manifest;
}

/**
 * Keys are never taken from a manifest on trust: each must be the one SPEC §6 gives for the
 * asset's checked name and versions, so that nothing outside the tree is fetched.
 */
function keysProblem(path: AssetPath, asset: ManifestAsset, format: PatchFormat): string | undefined {
  const name = pathProblem(path);
  if (name) return `its name ${name}`;
  if (asset.full !== fullKey(asset.version, path)) return `its full ${quote(asset.full)} is not ${fullKey(asset.version, path)}`;
  for (const [from, patch] of Object.entries(asset.patches)) {
    const key = patchKey(from, asset.version, path, format);
    if (patch.key !== key) return `its patch key ${quote(patch.key)} is not ${key}`;
  }
  return undefined;
}
