import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { UsageError } from '../errors.js';

/** A file under --dir: its POSIX path relative to the directory, and where it is on disk. */
export interface BuiltFile {
  path: string;
  file: string;
}

/**
 * Regular files under `dir` whose relative paths match the globs. A symlink is followed only
 * while it stays inside `dir`: one leading out would publish an unrelated file to a public CDN.
 */
export async function listBuiltFiles(dir: string, globs: string[]): Promise<BuiltFile[]> {
  const root = await realpath(dir).catch(() => {
    throw new UsageError(`--dir ${dir} is not a directory (build the app first, or check --dir)`);
  });
  const matches = picomatch(globs, { dot: true });
  const found: BuiltFile[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    const path = relative(root, file).split(sep).join('/');
    if (!matches(path) || entry.isDirectory()) continue;
    if (entry.isSymbolicLink()) {
      const target = await realpath(file).catch(() => undefined);
      if (target === undefined || relative(root, target).startsWith('..')) {
        throw new UsageError(`${path} under --dir is a symlink leading outside it (to ${target ?? 'nothing'}); deltawarm never publishes what it points to (replace the link with the file)`);
      }
      if (!(await lstat(target)).isFile()) continue;
    } else if (!entry.isFile()) continue;
    found.push({ path, file });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}
