import { NO_CACHE } from './layout.js';
import { readRuntimeBundle } from './runtime-bundle.js';
import type { StoredObject } from './stored-object.js';

/** What `deltawarm-sw.js` is configured with (the worker's `ServeOptions`, src/sw/options.ts). */
export interface WorkerConfig {
  /** URL of manifest/latest.json relative to the worker; default: beside it. */
  manifest?: string;
  /** Public base path of the built files; default `/`. */
  base?: string;
  /** false: no visit beacon (SPEC §12); `--no-sw-held`. */
  held?: false;
}

const CLASSIC_RUNTIME_KEY = 'deltawarm.min.js';
export const WORKER_KEY = 'deltawarm-sw.js';
/** How every configured worker script starts: how a built worker (the Vite plugin's) is told from an app's own file. */
export const WORKER_PREAMBLE = 'self.deltawarmSw = ';

/**
 * The tree's worker: configured here (`build|push --sw`), or a script already configured and
 * written into the build directory by the Vite plugin, published as it is.
 */
export type WorkerSource = WorkerConfig | { script: string };

/** `deltawarm-sw.js` configured with `worker`: the runtime bundle after one line of configuration. */
export async function workerScript(worker: WorkerConfig): Promise<string> {
  return `${WORKER_PREAMBLE}${JSON.stringify(worker)};\n${await readRuntimeBundle('deltawarm-sw.min.js')}`;
}

const SCRIPT = 'text/javascript; charset=utf-8';

/**
 * The browser runtimes as objects of the tree: `deltawarm.min.js` always and, given a worker
 * configuration, `deltawarm-sw.js` with it. Not immutable (their names carry no version):
 * served `no-cache`, so that a new worker deploy is seen on the next navigation.
 */
async function runtimeObjects(worker: WorkerSource | undefined): Promise<StoredObject[]> {
  const objects = [runtimeObject(CLASSIC_RUNTIME_KEY, await readRuntimeBundle('deltawarm.min.js'))];
  if (worker) objects.push(runtimeObject(WORKER_KEY, 'script' in worker ? worker.script : await workerScript(worker)));
  return objects;
}

/**
 * `objects` with the runtime files before the manifests, which are published last; unchanged
 * when they hold no manifest (a shard's part, or nothing after a failure).
 */
export async function withRuntimeFiles(objects: StoredObject[], worker: WorkerSource | undefined): Promise<StoredObject[]> {
  const at = objects.findIndex((object) => object.key.startsWith('manifest/'));
  if (at < 0) return objects;
  return [...objects.slice(0, at), ...(await runtimeObjects(worker)), ...objects.slice(at)];
}

const runtimeObject = (key: string, text: string): StoredObject => ({ key, body: new TextEncoder().encode(text), contentType: SCRIPT, cacheControl: NO_CACHE, immutable: false });
