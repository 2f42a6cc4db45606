import type { AssetPath } from '../types.js';

/** How an asset's text was obtained. */
export type AssetMode = 'cache' | 'patch' | 'full';

/** What `onAsset` receives once per asset (and once more for a weak-network update). */
export interface AssetReport {
  path: AssetPath;
  mode: AssetMode;
  /** Body bytes received for the object used: its Content-Length (else its manifest size), 0 from cache. */
  bytes: number;
  /** Milliseconds from the start of this asset's work until its text was ready (and stored). */
  ms: number;
  /** CDN base URL that served the object used; absent for the cache. */
  cdn?: string;
  /** Every source that failed before this one, or why the asset could not be loaded at all. */
  error?: string;
}

/** The part of the Web Storage API the runtime uses; `localStorage` by default. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface LoadOptions {
  /** Where texts are cached; `null` disables caching. Default `localStorage`. */
  storage?: StorageLike | null;
  /** Prefix of every storage key. Default `"deltawarm"`. */
  namespace?: string;
  /** CSP nonce set on the inserted `<script>` and `<style>` elements. */
  nonce?: string;
  /** Requests in flight at once for this load. Default 6. */
  maxRequests?: number;
  /** Milliseconds before a request counts as failed and the next CDN is tried. Default 8000. */
  timeout?: number;
  /** On slow-2g/2g or Save-Data, run a cached older version now and update for the next visit. Default true. */
  weakNetwork?: boolean;
  /** Send the visit beacon (SPEC §12) naming the release this client held before, once per page after load. Default true. */
  held?: boolean;
  onAsset?: (report: AssetReport) => void;
}
