import type { ReturningClient } from '../source/asset-source.js';
import type { Version } from '../types.js';
import type { AssetReport } from './coverage.js';

/** `AssetReport.held` values other than a patch's position. */
const HELD = { current: 0, none: -1, beyondWindow: -2 } as const;

/** What a returning client does with one asset of the release. */
type ClientAction = 'unchanged' | 'patch' | 'full' | 'new';

/** One asset for one returning client: what it downloads with deltawarm and with plain HTTP caching. */
interface ClientDownload {
  action: ClientAction;
  gzipBytes: number;
  brotliBytes: number;
  httpGzipBytes: number;
  httpBrotliBytes: number;
}

/** A returning client: what it downloads to reach the release. */
export interface ClientReport {
  /** 1: the deploy (or asset-changing commit) before the release, 2: the one before that, ... */
  behind: number;
  /** The deploy's release, or the commit, it last saw. */
  at: Version;
  date: string;
  /** The release's assets by what this client does with them. */
  assets: Record<ClientAction, number>;
  /** Share of its changed assets (older version held) that a patch covers; undefined when none changed. */
  covered?: number;
  /** With deltawarm: patches where a patch covers the version it holds, full files for the other changed and the new assets. */
  gzipBytes: number;
  brotliBytes: number;
  /** With plain HTTP caching: the full file of every asset that changed or is new. */
  httpGzipBytes: number;
  httpBrotliBytes: number;
  /** gzipBytes over httpGzipBytes; undefined when HTTP caching downloads nothing either. */
  shareOfHttp?: number;
}

/** For each client, where the version it holds sits in the asset's window (see AssetReport.held). */
export function heldPositions(path: string, current: Version, patchSources: Version[], clients: ReturningClient[]): number[] {
  return clients.map((client) => {
    const held = client.holds.get(path);
    if (held === undefined) return HELD.none;
    if (held === current) return HELD.current;
    const at = patchSources.indexOf(held);
    return at < 0 ? HELD.beyondWindow : at + 1;
  });
}

/**
 * Bytes on the wire: a CDN compresses what it serves, and sends a file whole when compression
 * would not make it smaller (an image, a tiny file).
 */
const onWire = (bytes: number, compressed: number) => Math.min(bytes, compressed);

/** What client number `client` (0: one behind) downloads for `asset`. */
export function clientDownload(asset: AssetReport, client: number): ClientDownload {
  const held = asset.held?.[client] ?? HELD.none;
  if (held === HELD.current) return { action: 'unchanged', gzipBytes: 0, brotliBytes: 0, httpGzipBytes: 0, httpBrotliBytes: 0 };
  const full = { gzipBytes: onWire(asset.bytes, asset.gzipBytes), brotliBytes: onWire(asset.bytes, asset.brotliBytes) };
  const http = { httpGzipBytes: full.gzipBytes, httpBrotliBytes: full.brotliBytes };
  const patch = held > 0 ? asset.patches[held - 1] : undefined;
  if (patch?.status === 'ok') {
    const size = patch.bytes ?? 0;
    return { action: 'patch', gzipBytes: onWire(size, patch.gzipBytes ?? size), brotliBytes: onWire(size, patch.brotliBytes ?? size), ...http };
  }
  return { action: held === HELD.none ? 'new' : 'full', ...full, ...http };
}

/** Per client, the sum over the release's assets. */
export function clientReports(assets: AssetReport[], clients: ReturningClient[]): ClientReport[] {
  return clients.map((client, i) => {
    const report: ClientReport = {
      behind: i + 1,
      at: client.at,
      date: client.date,
      assets: { unchanged: 0, patch: 0, full: 0, new: 0 },
      gzipBytes: 0,
      brotliBytes: 0,
      httpGzipBytes: 0,
      httpBrotliBytes: 0,
    };
    for (const asset of assets) {
      const download = clientDownload(asset, i);
      report.assets[download.action]++;
      report.gzipBytes += download.gzipBytes;
      report.brotliBytes += download.brotliBytes;
      report.httpGzipBytes += download.httpGzipBytes;
      report.httpBrotliBytes += download.httpBrotliBytes;
    }
    const changed = report.assets.patch + report.assets.full;
    if (changed > 0) report.covered = report.assets.patch / changed;
    if (report.httpGzipBytes > 0) report.shareOfHttp = report.gzipBytes / report.httpGzipBytes;
    return report;
  });
}
