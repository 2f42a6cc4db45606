import type { AssetPath } from '../types.js';

/** How a response was made: see `serve`. */
export type SwMode = 'cache' | 'patch' | 'full' | 'network';

/** What the worker posts to the page (`event.data`) for each asset request it answered. */
export interface SwReport {
  type: 'deltawarm';
  /** The URL the page requested. */
  url: string;
  /** The asset's manifest key; '' for a URL that looks like an asset (under a base, an asset's extension) but is not in the manifest (`mode: 'network'`, `error` says so). */
  path: AssetPath;
  mode: SwMode;
  /**
   * Body bytes received over the network for this answer: the Content-Length of the patch or
   * full file used (compressed when the CDN compresses; its manifest size when the CDN sent
   * none), 0 from the cache, or the network response's Content-Length (0 without one).
   * Failed attempts and headers are not counted (docs/service-worker.md).
   */
  bytes: number;
  /** Milliseconds from the request reaching the worker until its response was ready, rounded to 0.1 ms. */
  ms: number;
  /** CDN base URL that served the patch or full file. */
  cdn?: string;
  /** Every source that failed before the one used, `URL: reason` (a CORS refusal says `refused by CORS: ...`). */
  error?: string;
}

export interface ServeOptions {
  /**
   * URL of `manifest/latest.json`, relative to the worker script. Default
   * `manifest/latest.json` beside the worker, on the site's own origin: whoever serves the
   * manifest decides what code runs (see docs/service-worker.md before pointing it at a CDN).
   */
  manifest?: string;
  /** The site's public base path, under which a built manifest's `url`s are served (like Vite's `base`). Default `/`. */
  base?: string;
  /** Milliseconds to wait for a fresh manifest before using the last good one. Default 3000. */
  manifestTimeout?: number;
  /** Milliseconds before a CDN request counts as failed and the next CDN is tried. Default 8000. */
  timeout?: number;
  /** Requests to the CDNs in flight at once. Default 6. */
  maxRequests?: number;
  /**
   * On slow-2g/2g or Save-Data, answer with the cached older version (checked against the
   * manifest's `fromIntegrity`) and fetch the new one for the next visit. Default false: it
   * mixes versions across a module graph.
   */
  weakNetwork?: boolean;
  /** Cache Storage cache name. Default `"deltawarm"`. */
  cacheName?: string;
  /** Send the visit beacon (SPEC §12) per navigation, naming the release held before. Default true. */
  held?: boolean;
  /** Called for every report, besides the message posted to the page. */
  onAsset?: (report: SwReport) => void;
}
