import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { EnvironmentError, UsageError } from '../errors.js';

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
  const root = await buildDirectory(dir);
  const matches = picomatch(globs, { dot: true });
  const found: BuiltFile[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new EnvironmentError(`cannot read --dir ${dir}: ${error.code ?? error.message} (check its permissions)`);
  });
  for (const entry of entries) {
    const file = join(entry.parentPath, entry.name);
    const path = relative(root, file).split(sep).join('/');
    if (!matches(path) || entry.isDirectory()) continue;
    if (entry.isSymbolicLink()) {
      const target = await followLink(file, path);
      if (relative(root, target).split(sep)[0] === '..') {
        throw new UsageError(`${path} under --dir is a symlink leading outside it (to ${target}); deltawarm never publishes what it points to (replace the link with the file)`);
      }
      if (!(await lstat(target)).isFile()) continue;
    } else if (!entry.isFile()) continue;
    found.push({ path, file });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** --dir resolved: it must exist and be a directory. */
async function buildDirectory(dir: string): Promise<string> {
  const root = await realpath(dir).catch(() => {
    throw new UsageError(`--dir ${dir} does not exist (build the app first, or check --dir)`);
  });
  if (!(await stat(root)).isDirectory()) throw new UsageError(`--dir ${dir} is a file, not a directory (give the build output directory, e.g. --dir dist)`);
  return root;
}

/** Where a symlink leads; a loop and a link to nothing are usage errors saying which. */
async function followLink(file: string, path: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UsageError(`${path} under --dir is a symlink loop: following it never reaches a file (fix or remove the link)`);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${path} under --dir is a symlink to nothing: its target does not exist (fix or remove the link)`);
    throw new EnvironmentError(`cannot follow the symlink ${path} under --dir: ${code ?? (error as Error).message}`);
  }
}
