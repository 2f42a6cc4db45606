import type { Manifest } from '../tree/manifest.js';
import { none } from './download.js';
import type { AssetCache } from './storage.js';
import type { AssetReport } from './types.js';

let sent: 1 | undefined;

/**
 * The visit beacon (SPEC §14) of the classic runtime, once per page: a HEAD of the release's
 * immutable manifest under `base` (which ends in `/`, SPEC §7) whose query names the release
 * this client held before (`new`: none) and how many patches failed (a patch URL among a
 * report's failures), sent after the page's load event, never awaited, its answer not read
 * (no keepalive: it did not fit the 3.5 KiB budget; a beacon lost to a page closed at once
 * loses that visit's count only, as the next one still names the release held). Then the release is remembered as held, under a path no asset has.
 */
export function visited(cache: AssetCache, manifest: Manifest, base: string, reports: AssetReport[]): void {
  if (sent) return;
  sent = 1;
  const url = `${base}manifest/${manifest.release}.json?held=${cache.get('')?.version || 'new'}&failed=${reports.filter((report) => /\/patch\//.test(report.error!)).length}`;
  const send = () => fetch(url, { method: 'HEAD' }).catch(none);
  if (document.readyState[0] == 'c') send();
  else addEventListener('load', send);
  cache.put('', { version: manifest.release, text: '' });
}
