import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';

// The bundles of scripts/build-client.mjs; this file runs from src/tree or dist/tree alike. The
// Action's single file has no dist/ beside it: scripts/build-action.mjs puts the texts in instead.
const bundle = (name: string) => fileURLToPath(new URL(`../../dist/client/${name}`, import.meta.url));

/** The text of a browser runtime bundle (`deltawarm.min.js`, `deltawarm-sw.min.js`). */
export async function readRuntimeBundle(name: string): Promise<string> {
  try {
    return await readFile(bundle(name), 'utf8');
  } catch (error) {
    throw new EnvironmentError(`the browser runtime ${bundle(name)} cannot be read (${(error as NodeJS.ErrnoException).code}): run \`npm run build\` in the deltawarm package`);
  }
}
