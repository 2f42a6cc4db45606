import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { keyToUrlPath, prefixed } from '../tree/layout.js';
import type { StorageKey } from '../types.js';
import { type Attempt, DEFAULT_NETWORK, type NetworkOptions, NetworkGiveUp, withRetries } from '../network/deadlines.js';
import { networkReason } from '../warm/cdn-http.js';

/**
 * Where earlier deploys can be read back: a tree on disk, an HTTP base (a CDN), or an S3
 * target. `get` gives undefined for an object the source does not hold, and throws an
 * EnvironmentError naming the source when the source itself cannot be read.
 */
export interface HistoryStore {
  /** The source as the user named it, for messages. */
  name: string;
  get(key: StorageKey): Promise<Uint8Array | undefined>;
  /** Requests made so far (reads of files, GETs). */
  requests(): number;
}

/**
 * A tree on disk (`build --out`, or `--history DIR`); a directory that does not exist holds
 * nothing. Nothing outside the tree is ever read: not through a key, nor through a symlink in it.
 */
export function directoryStore(dir: string, prefix = ''): HistoryStore {
  const root = resolve(dir);
  let requests = 0;
  const cannot = (why: string) => new EnvironmentError(`cannot read the deploy history at ${root}: ${why} (check --history or --out)`);
  return {
    name: root,
    requests: () => requests,
    async get(key) {
      requests++;
      const file = resolve(root, prefixed(prefix, key));
      if (!isInside(root, file)) throw cannot(`${JSON.stringify(key)} leads outside the tree`);
      try {
        const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
        if (!isInside(realRoot, realFile)) throw cannot(`${key} is a symlink leading outside the tree`);
        return new Uint8Array(await readFile(realFile));
      } catch (error) {
        if (error instanceof EnvironmentError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw cannot(code === 'ELOOP' ? `${key} is a symlink loop` : (code ?? (error as Error).message));
      }
    },
  };
}

const isInside = (root: string, path: string) => {
  const rest = relative(root, path);
  return rest !== '' && rest.split(sep)[0] !== '..' && !isAbsolute(rest);
};

/** `--history DIR` must name an existing directory: a typo must not look like a first deploy. */
export async function existingDirectoryStore(dir: string): Promise<HistoryStore> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new EnvironmentError(`the deploy history ${resolve(dir)} is not a directory (check --history)`);
  return directoryStore(dir);
}

/** An HTTP base such as a CDN (`--history URL`): 404, 403 and 410 mean the object is not there. */
export function httpStore(base: string, network: NetworkOptions = DEFAULT_NETWORK): HistoryStore {
  const root = base.endsWith('/') ? base : `${base}/`;
  let requests = 0;
  return {
    name: root,
    requests: () => requests,
    async get(key) {
      const url = new URL(keyToUrlPath(key), root);
      try {
        return await withRetries(
          network,
          async (attempt) => {
            requests++;
            return getBody(url, attempt);
          },
          (error) => (error instanceof HttpStatus ? { reason: `HTTP ${error.status}`, retry: error.status >= 500 || error.status === 429 } : { reason: networkReason(error), retry: true }),
        );
      } catch (error) {
        const why = error instanceof HttpStatus ? `HTTP ${error.status}` : error instanceof NetworkGiveUp ? error.message : networkReason(error);
        throw new EnvironmentError(`cannot read the deploy history at ${root}: reading ${key}: ${why} (check --history, or --request-timeout, --attempts, --network-deadline)`);
      }
    },
  };
}

class HttpStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** One GET, its body read in full within the attempt; undefined for an object that is not there. */
async function getBody(url: URL, attempt: Attempt): Promise<Uint8Array | undefined> {
  const response = await fetch(url, { signal: attempt.signal });
  attempt.alive();
  if ([403, 404, 410].includes(response.status)) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpStatus(response.status);
  }
  const chunks: Uint8Array[] = [];
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    attempt.alive();
    chunks.push(read.value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
