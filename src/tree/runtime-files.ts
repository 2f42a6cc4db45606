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
const WORKER_KEY = 'deltawarm-sw.js';

const SCRIPT = 'text/javascript; charset=utf-8';

/**
 * The browser runtimes as objects of the tree: `deltawarm.min.js` always and, given a worker
 * configuration, `deltawarm-sw.js` with it. Not immutable (their names carry no version):
 * served `no-cache`, so that a new worker deploy is seen on the next navigation.
 */
async function runtimeObjects(worker: WorkerConfig | undefined): Promise<StoredObject[]> {
  const objects = [runtimeObject(CLASSIC_RUNTIME_KEY, await readRuntimeBundle('deltawarm.min.js'))];
  if (worker) objects.push(runtimeObject(WORKER_KEY, `self.deltawarmSw = ${JSON.stringify(worker)};\n${await readRuntimeBundle('deltawarm-sw.min.js')}`));
  return objects;
}

/**
 * `objects` with the runtime files before the manifests, which are published last; unchanged
 * when they hold no manifest (a shard's part, or nothing after a failure).
 */
export async function withRuntimeFiles(objects: StoredObject[], worker: WorkerConfig | undefined): Promise<StoredObject[]> {
  const at = objects.findIndex((object) => object.key.startsWith('manifest/'));
  if (at < 0) return objects;
  return [...objects.slice(0, at), ...(await runtimeObjects(worker)), ...objects.slice(at)];
}

const runtimeObject = (key: string, text: string): StoredObject => ({ key, body: new TextEncoder().encode(text), contentType: SCRIPT, cacheControl: NO_CACHE, immutable: false });
