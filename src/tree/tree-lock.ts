import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { kill, pid } from 'node:process';
import { EnvironmentError } from '../errors.js';

export interface TreeLockOptions {
  /** How long to wait for another writer (default 5 minutes). */
  waitMs?: number;
  /** A lock older than this is stale whoever holds it (default 30 minutes: no write of a tree takes that long). */
  staleMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  since: string;
}

/** What holding the lock found: a note when a stale lock of a crashed run was broken. */
export interface Locked {
  brokeStale?: string;
}

const POLL_MS = 100;

/**
 * Runs `task` while holding the lock of the tree at `dir`: a file beside it (`.NAME.lock`),
 * created atomically (O_EXCL), so two builds into one tree update it one after the other.
 * A lock left by a run that died (same host, process gone; or older than `staleMs`) is broken
 * with a note; a live one is waited for, then reported with its owner and how to clear it.
 */
export async function withTreeLock<T>(dir: string, task: (locked: Locked) => Promise<T>, options: TreeLockOptions = {}): Promise<T> {
  const file = join(dirname(dir), `.${basename(dir)}.lock`);
  const waitMs = options.waitMs ?? 5 * 60_000;
  const staleMs = options.staleMs ?? 30 * 60_000;
  const locked: Locked = {};
  const started = Date.now();
  for (;;) {
    if (await create(file, dir)) break;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    const owner = parseOwner(text);
    if (text !== undefined && (owner ? isStale(owner, staleMs) : await unfinished(file))) {
      // Only the lock we judged is removed: a fresh one written meanwhile has other contents.
      if ((await readFile(file, 'utf8').catch(() => undefined)) === text) await unlink(file).catch(() => undefined);
      locked.brokeStale = `removed the stale lock ${file} of a run that is gone (${owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'no owner recorded'})`;
      continue;
    }
    if (Date.now() - started >= waitMs) {
      const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'an unknown process';
      throw new EnvironmentError(`another deltawarm run is writing to ${dir} (${who}); waited ${Math.round(waitMs / 1000)} s for it. If no run is writing there, delete ${file}`);
    }
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  try {
    return await task(locked);
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

/** Creates the lock file with this process as its owner; false when it exists. */
async function create(file: string, dir: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new EnvironmentError(`cannot write the tree to ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (check --out)`);
  }
  try {
    const owner: Owner = { pid, host: hostname(), since: new Date().toISOString() };
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

function parseOwner(text: string | undefined): Owner | undefined {
  try {
    const owner = JSON.parse(text ?? '') as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.since === 'string' ? (owner as Owner) : undefined;
  } catch {
    // Being written right now (empty), or not ours: treated as live.
    return undefined;
  }
}

/** A lock file still without an owner some seconds after it was created: its run died while creating it. */
async function unfinished(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > 10_000;
}

function isStale(owner: Owner, staleMs: number): boolean {
  const age = Date.now() - Date.parse(owner.since);
  if (!(age < staleMs)) return true;
  return owner.host === hostname() && owner.pid !== pid && !alive(owner.pid);
}

/** Whether a process of this host still runs (EPERM: it runs, as another user). */
export function alive(processId: number): boolean {
  try {
    kill(processId, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
