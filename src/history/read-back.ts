import { DeltawarmError, EnvironmentError } from '../errors.js';
import type { StorageKey, Version } from '../types.js';
import type { HistoryStore } from './store.js';

/**
 * Checks for values read back from a tree, a CDN or a bucket (deploy indexes, manifests, shard
 * results): whoever can write there must not steer deltawarm's reads and writes, so nothing
 * read back reaches a path, a key or a git command before it passed one of these.
 */

/** Every version and release deltawarm writes: a full 40-hex commit ID (SPEC §1; resolveRelease insists on it). */
const VERSION = /^[0-9a-f]{40}$/;
/** What integrityOf writes: SRI sha256 of 32 bytes. */
const INTEGRITY = /^sha256-[A-Za-z0-9+/]{43}=$/;
/** ISO 8601 in UTC as Date#toISOString writes it (milliseconds optional). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** Longest asset path accepted: far beyond any real one, far below PATH_MAX once under full/VERSION/. */
const MAX_PATH = 1024;
/** Longest path segment: NAME_MAX of common file systems. */
const MAX_SEGMENT = 255;

export const isVersion = (value: unknown): value is Version => typeof value === 'string' && VERSION.test(value);
export const isIntegrity = (value: unknown): value is string => typeof value === 'string' && INTEGRITY.test(value);
export const isTimestamp = (value: unknown): value is string => typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));

/** Why a value is not a version, for messages (quoted and cut short: it may be anything). */
export function versionProblem(value: unknown): string | undefined {
  return isVersion(value) ? undefined : `${quote(value)} is not a 40-hex commit ID`;
}

/**
 * Why a path is not a safe relative POSIX path (an asset name, a key, a prefix), or undefined:
 * no empty, `.` or `..` segment, no leading `/`, no backslash, no control character, bounded lengths.
 */
export function pathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return `${quote(value)} is not a path`;
  if (value.length > MAX_PATH) return `${quote(value)} is longer than ${MAX_PATH} characters`;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return `${quote(value)} holds a control character or a backslash`;
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return `${quote(value)} has an empty, "." or ".." segment`;
    if (Buffer.byteLength(segment) > MAX_SEGMENT) return `${quote(value)} has a segment longer than ${MAX_SEGMENT} bytes`;
  }
  return undefined;
}

/** A key prefix: empty, or a safe path once its leading and trailing slashes are taken off. */
export function prefixProblem(prefix: string): string | undefined {
  const clean = prefix.replace(/^\/+|\/+$/g, '');
  return clean === '' ? undefined : pathProblem(clean);
}

/** A value for a message: JSON-quoted (so a newline shows as \n), at most 60 characters. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}

/**
 * `store.get` for a key made by deltawarm from checked parts: the key is checked once more (a
 * bug must not become a read outside the tree), and whatever the store throws that is not one of
 * our errors (a body cut short, a socket reset) becomes a one-line EnvironmentError naming it.
 */
export async function getChecked(store: HistoryStore, key: StorageKey): Promise<Uint8Array | undefined> {
  const problem = pathProblem(key);
  if (problem) throw new EnvironmentError(`refusing to read ${problem} from the deploy history at ${store.name}`);
  try {
    return await store.get(key);
  } catch (error) {
    if (error instanceof DeltawarmError) throw error;
    throw new EnvironmentError(`cannot read the deploy history at ${store.name}: ${readFailure(error)} for ${key} (check --history, or retry)`);
  }
}

/** A failure while reading as one short phrase; undici says `terminated` for a body cut short. */
export function readFailure(error: unknown): string {
  const shape = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } } | null;
  if (shape?.name === 'TimeoutError' || shape?.name === 'AbortError') return 'timeout';
  if (shape?.message === 'terminated') return `the connection closed before the whole body arrived${shape.cause?.code ? ` (${shape.cause.code})` : ''}`;
  const text = shape?.code ?? shape?.cause?.code ?? shape?.cause?.message ?? shape?.message ?? String(error);
  return text.split('\n')[0] ?? '';
}
