import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';
import { NO_CACHE } from './layout.js';
import type { StoredObject } from './stored-object.js';

/** What `deltawarm-sw.js` is configured with (the worker's `ServeOptions`, src/sw/options.ts). */
export interface WorkerConfig {
  /** URL of manifest/latest.json relative to the worker; default: beside it. */
  manifest?: string;
  /** Public base path of the built files; default `/`. */
  base?: string;
}

export const CLASSIC_RUNTIME_KEY = 'deltawarm.min.js';
export const WORKER_KEY = 'deltawarm-sw.js';

// The bundles of scripts/build-client.mjs; this file runs from src/tree or dist/tree alike.
const bundle = (name: string) => fileURLToPath(new URL(`../../dist/client/${name}`, import.meta.url));
const SCRIPT = 'text/javascript; charset=utf-8';

/**
 * The browser runtimes as objects of the tree: `deltawarm.min.js` always and, given a worker
 * configuration, `deltawarm-sw.js` with it. Not immutable (their names carry no version):
 * served `no-cache`, so that a new worker deploy is seen on the next navigation.
 */
async function runtimeObjects(worker: WorkerConfig | undefined): Promise<StoredObject[]> {
  const objects = [runtimeObject(CLASSIC_RUNTIME_KEY, await readBundle('deltawarm.min.js'))];
  if (worker) objects.push(runtimeObject(WORKER_KEY, `self.deltawarmSw = ${JSON.stringify(worker)};\n${await readBundle('deltawarm-sw.min.js')}`));
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

async function readBundle(name: string): Promise<string> {
  try {
    return await readFile(bundle(name), 'utf8');
  } catch (error) {
    throw new EnvironmentError(`the browser runtime ${bundle(name)} cannot be read (${(error as NodeJS.ErrnoException).code}): run \`npm run build\` in the deltawarm package`);
  }
}
