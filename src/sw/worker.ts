/**
 * Entry of `deltawarm-sw.js`, the stand-alone worker. `deltawarm build|push --sw` writes it
 * with its `ServeOptions` assigned to `self.deltawarmSw` on the line before this code.
 *
 * Lifecycle: a new worker takes over at once (skipWaiting) and claims open pages. It holds no
 * page state and answers only exact asset URLs with bytes verified against the manifest, so
 * a page switching workers mid-session gets what the network would give it; and no page is
 * left on an old worker until every tab closes.
 */
import { serve } from './serve.js';
import type { ServeOptions } from './options.js';
import { scope } from './worker-scope.js';

const options = (globalThis as { deltawarmSw?: ServeOptions & { precache?: boolean } }).deltawarmSw;
const handle = serve(options);
scope.addEventListener('install', (event) => {
  void scope.skipWaiting();
  if (options?.precache !== false) event.waitUntil(handle.precache());
});
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));
scope.addEventListener('fetch', handle);
