import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EnvironmentError, RunFailure } from '../errors.js';
import { prefixed } from './layout.js';
import type { StoredObject } from './stored-object.js';

export interface WriteResult {
  dir: string;
  written: number;
  skipped: number;
  bytesWritten: number;
}

/**
 * Writes the tree under `outDir/prefix` so that no reader ever sees half of it: everything is
 * staged in a sibling temp directory first, then renamed into place in publish order
 * (manifests last). Identical existing files are skipped; an immutable file with other bytes
 * stops the run before anything is written.
 */
export async function writeTree(objects: StoredObject[], outDir: string, prefix = ''): Promise<WriteResult> {
  const dir = resolve(outDir);
  const pending = await filterUnchanged(objects, dir, prefix);
  try {
    await stageAndMove(pending, dir, prefix);
  } catch (error) {
    throw new EnvironmentError(`cannot write the tree to ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (check --out)`);
  }
  const bytesWritten = pending.reduce((sum, object) => sum + object.body.length, 0);
  return { dir, written: pending.length, skipped: objects.length - pending.length, bytesWritten };
}

async function stageAndMove(pending: StoredObject[], dir: string, prefix: string): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(dir)}.staging-`));
  try {
    for (const object of pending) await writeFileIn(staging, prefixed(prefix, object.key), object.body);
    if (!(await exists(dir))) await rename(staging, dir);
    else for (const object of pending) await moveInto(staging, dir, prefixed(prefix, object.key));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function filterUnchanged(objects: StoredObject[], dir: string, prefix: string): Promise<StoredObject[]> {
  const pending: StoredObject[] = [];
  const conflicts: string[] = [];
  for (const object of objects) {
    const existing = await readFile(join(dir, prefixed(prefix, object.key))).catch(() => undefined);
    if (existing === undefined) pending.push(object);
    else if (Buffer.compare(existing, object.body) === 0) continue;
    else if (object.immutable) conflicts.push(object.key);
    else pending.push(object);
  }
  if (conflicts.length > 0) {
    throw new RunFailure(
      `${conflicts.length} immutable file(s) in ${dir} already hold other bytes, e.g. ${conflicts[0]}; nothing was written (a release's tree never changes: build into a fresh --out or delete the stale files)`,
    );
  }
  return pending;
}

async function writeFileIn(root: string, key: string, body: Uint8Array): Promise<void> {
  const file = join(root, key);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, body);
}

async function moveInto(staging: string, dir: string, key: string): Promise<void> {
  const target = join(dir, key);
  await mkdir(dirname(target), { recursive: true });
  await rename(join(staging, key), target);
}

const exists = (path: string) => stat(path).then(() => true, () => false);
