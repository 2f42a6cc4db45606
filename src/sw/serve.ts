import { type FetchThroughCdns, fetchThroughCdns } from '../client/fetch-through-cdns.js';
import { isWeakNetwork } from '../client/network.js';
import { type AssetIndex, extensionOf } from './asset-index.js';
import { openStore } from './asset-store.js';
import { heldBeacon } from './held-beacon.js';
import { manifestSource } from './manifest-source.js';
import type { ServeOptions, SwReport } from './options.js';
import { answer, currentText } from './respond.js';
import { type FetchEvent, scope } from './worker-scope.js';

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
  const fromCdns = (index: AssetIndex) => (cdnFetcher?.[0] === index ? cdnFetcher : (cdnFetcher = [index, fetchThroughCdns(index.bases, maxRequests, timeout)]))[1];

  /**
   * Decided synchronously, as `respondWith` must be. While a manifest is being read, a URL under
   * the public base, the manifest's tree or a known CDN, with an extension the assets have
   * (any, before the first manifest), may be one of its assets.
   */
  const mayBeAsset = (url: string) => {
    const { index, reading } = manifests.state();
    if (index && !reading) return index.byUrl.has(url);
    const under = [publicBase, new URL('..', manifestUrl).href, ...(index?.bases ?? [])].some((base) => url.startsWith(base));
    return under && (!index || index.extensions.has(extensionOf(url)));
  };

  const report = (event: FetchEvent, made: SwReport) => {
    onAsset?.(made);
    beacon.saw(made);
    event.waitUntil(scope.clients.get(event.clientId).then((client) => client?.postMessage(made)));
  };

  const respond = async (event: FetchEvent, start: number): Promise<Response> => {
    const { request } = event;
    const index = await manifests.get();
    const path = index?.byUrl.get(request.url);
    if (!index || !path) return fetch(request);
    const waitUntil = (work: Promise<unknown>) => event.waitUntil(work);
    const { response, ...rest } = await answer(request, path, index, { store, fromCdns: fromCdns(index), preferCached: weakNetwork && isWeakNetwork(), waitUntil });
    report(event, { type: 'deltawarm', url: request.url, path, ...rest, ms: performance.now() - start });
    return response;
  };

  const precache = async () => {
    const index = await manifests.get();
    if (!index) return;
    const work: Promise<unknown>[] = [];
    const context = { store, fromCdns: fromCdns(index), preferCached: false, waitUntil: (promise: Promise<unknown>) => work.push(promise) };
    await Promise.allSettled([...new Set(index.byUrl.values())].map((path) => currentText(path, index, context)));
    await Promise.allSettled(work);
  };

  const handle = (event: FetchEvent) => {
    const { request } = event;
    if (request.method !== 'GET') return false;
    if (request.mode === 'navigate') {
      event.waitUntil(beacon.navigated()); // re-reads the manifest, then the visit beacon
      return false;
    }
    if (!mayBeAsset(request.url)) return false;
    event.respondWith(respond(event, performance.now()));
    return true;
  };
  return Object.assign(handle, { precache });
}
