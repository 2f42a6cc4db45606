import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { keyToUrlPath, prefixed } from '../tree/layout.js';
import type { StorageKey } from '../types.js';
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

export interface HttpStoreOptions {
  /** Attempts per GET on a 5xx answer or a network error (default 4). */
  attempts?: number;
  /** Delay before the first retry, doubled each time (default 250 ms). */
  retryDelayMs?: number;
  timeoutMs?: number;
}

/** An HTTP base such as a CDN (`--history URL`): 404, 403 and 410 mean the object is not there. */
export function httpStore(base: string, options: HttpStoreOptions = {}): HistoryStore {
  const attempts = options.attempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const root = base.endsWith('/') ? base : `${base}/`;
  let requests = 0;
  const unreadable = (why: string) => new EnvironmentError(`cannot read the deploy history at ${root}: ${why} (check --history)`);
  return {
    name: root,
    requests: () => requests,
    async get(key) {
      const url = new URL(keyToUrlPath(key), root);
      let why = '';
      for (let attempt = 0; attempt < attempts; attempt++) {
        if (attempt > 0) await new Promise((done) => setTimeout(done, retryDelayMs * 2 ** (attempt - 1)));
        requests++;
        let response: Response;
        try {
          response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
        } catch (error) {
          why = networkReason(error);
          continue;
        }
        if (response.ok) return new Uint8Array(await response.arrayBuffer());
        await response.body?.cancel();
        if ([403, 404, 410].includes(response.status)) return undefined;
        why = `HTTP ${response.status} for ${key}`;
        if (response.status < 500) break;
      }
      throw unreadable(attempts > 1 ? `${why} after ${attempts} attempts` : why);
    },
  };
}
