import type { Manifest } from '../tree/manifest.js';
import type { StorageKey } from '../types.js';
import { cdnUrl, networkReason } from '../warm/cdn-http.js';

/**
 * Whether a base answers an asset request sent from `origin` (a page's origin, as a browser
 * sends it in `Origin`) with an `Access-Control-Allow-Origin` that lets the page read it:
 * `*` or exactly that origin. Returns what is wrong, or undefined. Without it the runtimes'
 * requests fail in the browser (SPEC: a separate CDN must send CORS headers).
 */
export async function corsProblem(base: string, key: StorageKey, origin: string, timeoutMs: number): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetch(cdnUrl(base, key), { headers: { origin }, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
  } catch (error) {
    return `no answer to a request from ${origin} (${networkReason(error)})`;
  }
  if (response.status !== 200) return `HTTP ${response.status} to a request from ${origin}`;
  const allowed = response.headers.get('access-control-allow-origin');
  if (allowed === null) return `no Access-Control-Allow-Origin for ${origin}: pages on ${origin} cannot read it (see docs/service-worker.md, CORS)`;
  if (allowed.trim() !== '*' && allowed.trim() !== origin) return `Access-Control-Allow-Origin is "${allowed}", not ${origin} or *`;
  return undefined;
}

/** The key a browser asks for first: the full file of the manifest's first text asset (or of any asset). */
export function corsProbeKey(manifest: Manifest): StorageKey | undefined {
  const assets = Object.values(manifest.assets);
  return (assets.find((asset) => asset.text) ?? assets[0])?.full;
}
