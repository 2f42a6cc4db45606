import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import { EnvironmentError, RunFailure } from '../errors.js';
import { DEPLOY_INDEX_KEY, deployIndexObject } from '../history/deploy-index.js';
import { mergeIndex, parseOwnIndex } from '../history/index-update.js';
import { prefixed } from './layout.js';
import { type TreeLockOptions, alive, withTreeLock } from './tree-lock.js';
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
  await removeStaleStaging(dir);
  const staging = await mkdtemp(join(parent, `${stagingPrefix(dir)}${HOST}-${process.pid}-`));
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

/** This machine, in staging names: a process id says something only on the host that made it. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

const stagingPrefix = (dir: string) => `.${basename(dir)}.staging-`;

/**
 * Staging directories a killed run left beside `dir`: removed when provably ours and stale,
 * that is named by this code for this tree on this host, by a process that no longer runs.
 * Anything else (another host's, a live run's, a name we did not make) is left alone.
 */
async function removeStaleStaging(dir: string): Promise<void> {
  const prefix = stagingPrefix(dir);
  const names = await readdir(dirname(dir)).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const made = new RegExp(`^${HOST}-(\\d+)-[A-Za-z0-9]{6}$`).exec(name.startsWith(prefix) ? name.slice(prefix.length) : '');
    return made !== null && !alive(Number(made[1]));
  });
  await Promise.all(stale.map((name) => rm(join(dirname(dir), name), { recursive: true, force: true }).catch(() => undefined)));
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
  await refuseLinksOut(dir, objects.map((object) => prefixed(prefix, object.key)));
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

/**
 * A tree others can write to may hold a symlink (`full -> /elsewhere`): reading or renaming
 * through it would touch files outside the tree, so every existing directory a key goes through
 * must resolve inside it, and no existing file at a key may be a link.
 */
async function refuseLinksOut(dir: string, keys: string[]): Promise<void> {
  const root = await realpath(dir);
  const directories = [...new Set(keys.flatMap((key) => key.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];
  const escapes = await inParallel(directories, async (directory) => {
    const real = await realpath(join(dir, directory)).catch(() => undefined);
    return real !== undefined && real !== root && !real.startsWith(root + sep) ? directory : undefined;
  });
  const links = await inParallel(keys, async (key) => ((await lstat(join(dir, key)).catch(() => undefined))?.isSymbolicLink() ? key : undefined));
  const found = [...escapes, ...links].find((path) => path !== undefined);
  if (found !== undefined) throw new EnvironmentError(`${found} in ${dir} is a symlink (or leads through one) out of the tree; deltawarm never reads or writes through it (replace it with a real directory or file)`);
}

/** Whether an object must be written, is already there, or would overwrite an immutable file. */
async function stateOf(object: StoredObject, file: string): Promise<'pending' | 'same' | 'conflict'> {
  const existing = await readFile(file).catch(() => undefined);
  if (existing === undefined) return 'pending';
  if (Buffer.compare(existing, object.body) === 0) return 'same';
  return object.immutable ? 'conflict' : 'pending';
}

const exists = (path: string) => stat(path).then(() => true, () => false);
