import type { Plugin, ResolvedConfig } from 'vite';
import { type WorkerConfig, WORKER_KEY, workerScript } from '../tree/runtime-files.js';
import { findDeltawarmConfig } from './deltawarm-config.js';
import { crossOriginWarnings } from './cross-origin.js';

export interface DeltawarmViteOptions {
  /** URL of manifest/latest.json relative to the worker (`--sw-manifest`). Default: beside the worker, on the site's origin. */
  manifest?: string;
  /**
   * CDN base URLs the worker fetches patches and full files from, to warn when they need CORS.
   * Default: `cdns` of deltawarm.config.json (found from Vite's root up to the git root).
   */
  cdns?: string[];
  /** The site's origin (`https://www.example.com`): a CDN on it needs no CORS. Default: unknown, so every CDN URL is taken as another origin. */
  origin?: string;
  /** Add the registration script to every built HTML page. Default true. */
  register?: boolean;
}

/**
 * `deltawarm/vite`: on `vite build`, writes `deltawarm-sw.js` (the service worker runtime,
 * configured as `deltawarm build --sw` configures it, with Vite's `base`) into the build output
 * and registers it from every HTML page. `deltawarm build|push --dir dist` then publishes the
 * worker beside the manifest it reads; the plugin never touches the dev server.
 */
export function deltawarm(options: DeltawarmViteOptions = {}): Plugin {
  let config: ResolvedConfig;
  let worker: WorkerConfig;
  return {
    name: 'deltawarm',
    apply: 'build',
    async configResolved(resolved) {
      config = resolved;
      const base = publicBase(resolved.base);
      worker = { ...(base !== undefined && { base }), ...(options.manifest !== undefined && { manifest: options.manifest }) };
      if (resolved.build.ssr) return;
      const cdns = options.cdns ?? (await findDeltawarmConfig(resolved.root)).cdns;
      for (const warning of [...baseWarnings(resolved.base), ...crossOriginWarnings({ cdns, manifest: options.manifest, origin: options.origin })]) resolved.logger.warn(`deltawarm: ${warning}`);
    },
    transformIndexHtml() {
      if (options.register === false || config.build.ssr) return [];
      return [{ tag: 'script', injectTo: 'head-prepend', children: `navigator.serviceWorker?.register(${JSON.stringify(workerUrl(config.base))})` }];
    },
    async generateBundle() {
      // Vite 6+ builds several environments in one run (client, ssr, ...): the worker belongs to the client's output only.
      if (config.build.ssr || this.environment?.config.consumer === 'server') return;
      this.emitFile({ type: 'asset', fileName: WORKER_KEY, source: await workerScript(worker) });
    },
  };
}

export default deltawarm;

/** The worker's `base`: Vite's public base path or absolute URL; a relative base (`./`) has none, so the worker's default `/` holds. */
function publicBase(base: string): string | undefined {
  if (base.startsWith('/') || /^https?:\/\//i.test(base)) return base.endsWith('/') ? base : `${base}/`;
  return undefined;
}

/** Where the page registers the worker: beside the built files, except when they live on another origin. */
function workerUrl(base: string): string {
  if (/^https?:\/\//i.test(base)) return `/${WORKER_KEY}`;
  return `${base.endsWith('/') ? base : `${base}/`}${WORKER_KEY}`;
}

function baseWarnings(base: string): string[] {
  if (/^https?:\/\//i.test(base)) return [`Vite's base ${base} is another origin: a worker must come from the site's own origin, so serve ${WORKER_KEY} (written to the build output) and manifest/ at the site's root`];
  if (!base.startsWith('/')) return [`Vite's base "${base}" is relative: the worker takes the site to be served at /; set base to the public path for the worker to answer the built files`];
  return [];
}
