import { type Manifest, MANIFEST_FORMAT } from '../tree/manifest.js';

export interface ResolvedManifest {
  manifest: Manifest;
  /** Base URLs to fetch keys from, in order of preference. */
  bases: string[];
}

/**
 * Checks that `value` is a manifest. A hand-written or embedded one may leave out `cdns`
 * (filled in here as none) or an asset's `patches` (read as none where they are read).
 */
export function checkManifest(value: unknown): Manifest {
  const manifest = value as Manifest;
  if (manifest?.format !== MANIFEST_FORMAT) throw new Error(`deltawarm: not a ${MANIFEST_FORMAT}`);
  manifest.cdns ??= [];
  return manifest;
}

/** Keys are fetched through the CDNs, or with none relative to `tree`. */
export const basesOf = (manifest: Manifest, tree: string): string[] => (manifest.cdns.length ? manifest.cdns : [tree]);

/**
 * Takes the manifest object, or fetches it from a URL. With no `cdns`, keys are relative to
 * the tree the manifest was loaded from (the parent of its `manifest/` folder), or to the page.
 */
export async function resolveManifest(source: Manifest | string, timeout: number): Promise<ResolvedManifest> {
  let value: unknown = source;
  let base = document.baseURI;
  if (typeof source === 'string') {
    const url = new URL(source, base);
    const response = await fetch(url, { signal: AbortSignal.timeout(timeout) });
    if (!response.ok) throw new Error(`deltawarm: manifest ${url}: HTTP ${response.status}`);
    value = await response.json();
    base = new URL('..', url).href;
  }
  const manifest = checkManifest(value);
  return { manifest, bases: basesOf(manifest, base) };
}
