import { UsageError } from '../errors.js';
import type { AssetPath } from '../types.js';

/**
 * The content hash in a built file name, by default as Vite/Rollup (`index-5hF2a9Qb.js`: a dash
 * and 8 base64url characters, at least one of them an upper-case letter or a digit, so
 * `use-settings.js` and `git-old-text.js` stay as they are) and webpack (`app.3f9a2c1b.js`: a dot and 8 to 32 hex digits) name them,
 * just before the extension.
 */
export const DEFAULT_HASH_PATTERN = '-(?=[A-Za-z0-9_-]{0,7}[A-Z0-9])[A-Za-z0-9_-]{8}(?=\\.[^./]+$)|\\.[0-9a-f]{8,32}(?=\\.[^./]+$)';

/** A --hash-pattern: a regular expression matching the part of a file name to strip. */
export function parseHashPattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new UsageError(`--hash-pattern "${source}" is not a regular expression: ${(error as Error).message}`);
  }
}

/** A built path with the content hash taken out of its file name (directories are kept as they are). */
export function logicalName(path: string, pattern: RegExp): AssetPath {
  const slash = path.lastIndexOf('/') + 1;
  return path.slice(0, slash) + path.slice(slash).replace(pattern, '');
}

export const looksHashed = (path: string, pattern: RegExp) => logicalName(path, pattern) !== path;

/** Logical name -> built path; two built files with one logical name are an error naming both. */
export function logicalNames(paths: string[], pattern: RegExp): Map<AssetPath, string> {
  const names = new Map<AssetPath, string>();
  for (const path of paths) {
    const name = logicalName(path, pattern);
    const other = names.get(name);
    if (other !== undefined) {
      throw new UsageError(`${other} and ${path} both have the logical name ${name} once the content hash is stripped (give the files distinct [name]s in the bundler config, or pass --hash-pattern)`);
    }
    names.set(name, path);
  }
  return names;
}
