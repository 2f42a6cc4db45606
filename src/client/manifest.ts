import { type Manifest, MANIFEST_FORMAT } from '../tree/manifest.js';

export interface ResolvedManifest {
  manifest: Manifest;
  /** Base URLs to fetch keys from, in order of preference. */
  bases: string[];
}

/**
 * Takes the manifest object, or fetches it from a URL. With no `cdns`, keys are relative to
 * the tree the manifest was loaded from (the parent of its `manifest/` folder), or to the page.
 */
export async function resolveManifest(source: Manifest | string, timeout: number): Promise<ResolvedManifest> {
  let manifest = source as Manifest;
  let base: string | undefined;
  if (typeof source === 'string') {
    const url = new URL(source, document.baseURI);
    const response = await fetch(url, { signal: AbortSignal.timeout(timeout) });
    if (!response.ok) throw new Error(`deltawarm: manifest ${url}: HTTP ${response.status}`);
    manifest = (await response.json()) as Manifest;
    base = new URL('..', url).href;
  }
  if (manifest?.format !== MANIFEST_FORMAT) throw new Error(`deltawarm: not a ${MANIFEST_FORMAT}`);
  return { manifest, bases: manifest.cdns.length ? manifest.cdns : [base ?? document.baseURI] };
}
