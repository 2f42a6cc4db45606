import { type FetchThroughCdns, fetchThroughCdns } from '../client/fetch-through-cdns.js';
import { isWeakNetwork } from '../client/network.js';
import { type AssetIndex, extensionOf } from './asset-index.js';
import { openStore } from './asset-store.js';
import { heldBeacon } from './held-beacon.js';
import { manifestSource } from './manifest-source.js';
import type { ServeOptions, SwReport } from './options.js';
import { explainedFetch } from './explained-fetch.js';
import { answer, currentBody, verifiedBytes } from './respond.js';
import { none } from '../client/download.js';
import type { AssetPath } from '../types.js';
import { type FetchEvent, scope } from './worker-scope.js';

/** Milliseconds after a manifest check within which a URL it does not list goes to the network without another check. */
const RECHECK = 10_000;

/** Handles a fetch event: true when it called `respondWith`, false when the request is not deltawarm's. */
export interface FetchHandler {
  (event: FetchEvent): boolean;
  /**
   * Reads the manifest and stores every text asset not stored yet (for an install event), so
   * that the next deploy finds old versions to patch. Never rejects.
   */
  precache(): Promise<void>;
}

/**
 * The deltawarm fetch handler for a service worker. Answers GET requests for the text assets
 * of the current manifest (see `answer`); navigations and every other request are left alone,
 * and each navigation re-reads the manifest. Posts a `SwReport` to the requesting page per
 * asset answered. In your own worker: `const deltawarm = serve(options);` then, first in your
 * fetch listener, `if (deltawarm(event)) return;` (and `event.waitUntil(deltawarm.precache())`
 * on install).
 */
export function serve(options: ServeOptions = {}): FetchHandler {
  const { timeout = 8000, maxRequests = 6, manifestTimeout = 3000, cacheName = 'deltawarm', weakNetwork = false, onAsset } = options;
  const manifestUrl = new URL(options.manifest ?? 'manifest/latest.json', scope.location.href).href;
  const publicBase = new URL(options.base ?? '/', scope.location.origin).href;
  const store = openStore(cacheName, scope.registration.scope);
  const manifests = manifestSource(manifestUrl, publicBase, manifestTimeout, store);
  void manifests.get(); // the last good manifest, in memory before the first request if it can be
  const beacon = heldBeacon(manifests, store, options.held !== false);
  // One fetcher per manifest, so that its request limit holds across all requests.
  let cdnFetcher: [AssetIndex, FetchThroughCdns] | undefined;
  const fromCdns = (index: AssetIndex) => (cdnFetcher?.[0] === index ? cdnFetcher : (cdnFetcher = [index, fetchThroughCdns(index.bases, maxRequests, timeout, explainedFetch)]))[1];

  const trees = () => [publicBase, new URL('..', manifestUrl).href];

  /**
   * Decided synchronously, as `respondWith` must be: a URL of the index at hand, or one under
   * the public base, the manifest's tree or a known CDN with an extension the assets have (any,
   * before the first manifest), which a newer manifest may list.
   */
  const mayBeAsset = (url: string, index: AssetIndex | undefined) =>
    index?.byUrl.has(url) || ([...trees(), ...(index?.bases ?? [])].some((base) => url.startsWith(base)) && (!index || index.extensions.has(extensionOf(url))));

  const report = (event: FetchEvent, made: SwReport) => {
    onAsset?.(made);
    beacon.saw(made);
    event.waitUntil(scope.clients.get(event.clientId).then((client) => client?.postMessage(made)));
  };

  /** The verified bytes the worker holds for `path` of `index` (`verifiedBytes`, as `currentBody` checks them); undefined when it holds none or cannot read them. */
  const held = (path: AssetPath, index: AssetIndex) =>
    store
      .get(path)
      .then((stored) => verifiedBytes(stored, index.manifest.assets[path]!))
      .catch(none);

  /**
   * The index to answer `url` with: the one being read or in use; when that does not list the
   * URL and was last checked before the request arrived (by more than RECHECK ms, or never: a
   * worker revived without a navigation), read again once, so a deploy newer than the worker's
   * manifest is seen before its URLs are sent to the network.
   */
  const indexFor = async (url: string, start: number) => {
    const index = await manifests.get();
    return index?.byUrl.has(url) || manifests.state().checkedAt >= start - RECHECK ? index : manifests.refresh();
  };

  const respond = async (event: FetchEvent, start: number): Promise<Response> => {
    const { request } = event;
    const atHand = await manifests.held();
    // Decided before the stored manifest was read: what it shows is not an asset need not wait for a fresh one.
    if (!mayBeAsset(request.url, atHand)) return fetch(request);
    const done = (made: Omit<SwReport, 'type' | 'url' | 'ms'>) => report(event, { type: 'deltawarm', url: request.url, ...made, ms: Math.round((performance.now() - start) * 10) / 10 });
    // A content-hashed URL whose verified bytes are held is answered without waiting for the manifest.
    const hashed = atHand?.immutable.has(request.url) ? atHand.byUrl.get(request.url)! : undefined;
    const bytes = hashed && (await held(hashed, atHand!));
    if (bytes && hashed) {
      done({ path: hashed, mode: 'cache', bytes: 0 });
      return new Response(bytes, { headers: { 'content-type': atHand!.manifest.assets[hashed]!.contentType } });
    }
    const index = await indexFor(request.url, start);
    const path = index?.byUrl.get(request.url);
    if (!index || !path) {
      const response = await fetch(request);
      // Said for what looks like an asset (not, say, an API call that arrived before the first manifest).
      if (index?.extensions.has(extensionOf(request.url)))
        done({ path: '', mode: 'network', bytes: Number(response.headers.get('content-length')) || 0, error: `not in manifest ${index.manifest.release}` });
      return response;
    }
    const waitUntil = (work: Promise<unknown>) => event.waitUntil(work);
    const { response, ...rest } = await answer(request, path, index, { store, fromCdns: fromCdns(index), preferCached: weakNetwork && isWeakNetwork(), waitUntil });
    done({ path, ...rest });
    return response;
  };

  const precache = () =>
    beacon.installed(async () => {
      const index = await manifests.get();
      if (!index) return undefined;
      const work: Promise<unknown>[] = [];
      const context = { store, fromCdns: fromCdns(index), preferCached: false, waitUntil: (promise: Promise<unknown>) => work.push(promise) };
      await Promise.allSettled([...new Set(index.byUrl.values())].map((path) => currentBody(path, index, context)));
      await Promise.allSettled(work);
      return index;
    });

  const handle = (event: FetchEvent) => {
    const { request } = event;
    if (request.method !== 'GET') return false;
    if (request.mode === 'navigate') {
      event.waitUntil(beacon.navigated()); // re-reads the manifest, then the visit beacon
      return false;
    }
    if (!mayBeAsset(request.url, manifests.state().index)) return false;
    event.respondWith(respond(event, performance.now()));
    return true;
  };
  return Object.assign(handle, { precache });
}
