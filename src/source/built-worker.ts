import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKER_KEY, WORKER_PREAMBLE } from '../tree/runtime-files.js';

/** The path, relative to --dir, where the Vite plugin (deltawarm/vite) writes the worker. */
export const BUILT_WORKER_PATH = WORKER_KEY;

/**
 * The configured worker the Vite plugin wrote into the build directory, or undefined when there
 * is none (a file of that name without deltawarm's first line is the app's own, not ours).
 */
export async function readBuiltWorker(dir: string): Promise<string | undefined> {
  const text = await readFile(join(dir, BUILT_WORKER_PATH), 'utf8').catch(() => undefined);
  return text?.startsWith(WORKER_PREAMBLE) ? text : undefined;
}
