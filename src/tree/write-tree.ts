import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { EnvironmentError, RunFailure } from '../errors.js';
import { DEPLOY_INDEX_KEY, deployIndexObject } from '../history/deploy-index.js';
import { mergeIndex, parseOwnIndex } from '../history/index-update.js';
import { prefixed } from './layout.js';
import { type TreeLockOptions, withTreeLock } from './tree-lock.js';
import type { StoredObject } from './stored-object.js';

export interface WriteResult {
  dir: string;
  /** Set when a lock left by a run that died was broken. */
  brokeStaleLock?: string;
  written: number;
  skipped: number;
  bytesWritten: number;
}

/** Files read, written or renamed at once: enough to keep the disk busy, few enough for any ulimit. */
const IO_CONCURRENCY = 64;

/**
 * Writes the tree under `outDir/prefix` so that no reader ever sees half of it: everything is
 * staged in a sibling temp directory first, then renamed into place: the full files and
 * patches in any order, then the manifests one by one in publish order. Identical existing files are skipped; an immutable file with other bytes
 * stops the run before anything is written.
 */
export async function writeTree(objects: StoredObject[], outDir: string, prefix = '', lock: TreeLockOptions = {}): Promise<WriteResult> {
  const dir = resolve(outDir);
  await mkdir(dirname(dir), { recursive: true }).catch(() => undefined);
  return withTreeLock(dir, async (locked) => ({ ...(await writeLocked(await withCurrentIndex(objects, dir, prefix), dir, prefix)), ...(locked.brokeStale ? { brokeStaleLock: locked.brokeStale } : {}) }), lock);
}

/**
 * The deploy index as it is on disk now, with this release at its front: a build that wrote
 * the tree since this one read its history stays listed. latest.json is this release's
 * manifest, and this release is the head.
 */
async function withCurrentIndex(objects: StoredObject[], dir: string, prefix: string): Promise<StoredObject[]> {
  const at = objects.findIndex((object) => object.key === DEPLOY_INDEX_KEY);
  if (at === -1) return objects;
  const ours = objects[at] as StoredObject;
  const file = join(dir, prefixed(prefix, DEPLOY_INDEX_KEY));
  const current = await readFile(file).catch(() => undefined);
  const merged = deployIndexObject(mergeIndex(parseOwnIndex(ours.body), current && new Uint8Array(current), file));
  return objects.map((object, i) => (i === at ? { ...ours, body: merged.body } : object));
}

async function writeLocked(objects: StoredObject[], dir: string, prefix: string): Promise<WriteResult> {
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
    const keys = pending.map((object) => prefixed(prefix, object.key));
    await makeDirectories(staging, keys);
    await inParallel(pending, (object, i) => writeFile(join(staging, keys[i] as string), object.body));
    if (!(await exists(dir))) return await rename(staging, dir);
    await makeDirectories(dir, keys);
    const manifestsFrom = firstManifest(pending);
    await inParallel(keys.slice(0, manifestsFrom), (key) => rename(join(staging, key), join(dir, key)));
    for (const key of keys.slice(manifestsFrom)) await rename(join(staging, key), join(dir, key));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Where the manifests start: every object before them is immutable and may land in any order. */
function firstManifest(objects: StoredObject[]): number {
  const index = objects.findIndex((object) => object.key.startsWith('manifest/'));
  return index === -1 ? objects.length : index;
}

/** Each directory the keys need, created once (60,000 files share a few hundred directories). */
async function makeDirectories(root: string, keys: string[]): Promise<void> {
  const directories = [...new Set(keys.map((key) => dirname(join(root, key))))];
  await inParallel(directories, (directory) => mkdir(directory, { recursive: true }));
}

function inParallel<T, R>(items: T[], task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = pLimit(IO_CONCURRENCY);
  return Promise.all(items.map((item, index) => limit(() => task(item, index))));
}

async function filterUnchanged(objects: StoredObject[], dir: string, prefix: string): Promise<StoredObject[]> {
  if (!(await exists(dir))) return objects;
  const states = await inParallel(objects, (object) => stateOf(object, join(dir, prefixed(prefix, object.key))));
  const pending = objects.filter((_, i) => states[i] === 'pending');
  const conflicts = objects.filter((_, i) => states[i] === 'conflict').map((object) => object.key);
  if (conflicts.length > 0) {
    throw new RunFailure(
      `${conflicts.length} immutable file(s) in ${dir} already hold other bytes, e.g. ${conflicts[0]}; nothing was written (a release's tree never changes: build into a fresh --out or delete the stale files)`,
    );
  }
  return pending;
}

/** Whether an object must be written, is already there, or would overwrite an immutable file. */
async function stateOf(object: StoredObject, file: string): Promise<'pending' | 'same' | 'conflict'> {
  const existing = await readFile(file).catch(() => undefined);
  if (existing === undefined) return 'pending';
  if (Buffer.compare(existing, object.body) === 0) return 'same';
  return object.immutable ? 'conflict' : 'pending';
}

const exists = (path: string) => stat(path).then(() => true, () => false);
