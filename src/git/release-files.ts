import picomatch from 'picomatch';
import { UsageError } from '../errors.js';
import type { AssetPath } from '../types.js';
import type { Repository } from './repository.js';

/** A file of the release tree that matches the asset globs. */
export interface ReleaseFile {
  path: AssetPath;
  blob: string;
  size: number;
}

const REGULAR_FILE = /^100(644|755)$/;

/** Regular files at the release whose paths match any glob (symlinks and submodules are not assets). */
export async function listReleaseFiles(repo: Repository, release: string, globs: string[]): Promise<ReleaseFile[]> {
  const matches = picomatch(globs, { dot: true });
  const out = await repo.git.raw(['ls-tree', '-r', '-l', '-z', '--full-tree', release]);
  const files: ReleaseFile[] = [];
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type, blob = '', size = ''] = entry.slice(0, tab).split(/\s+/);
    const path = entry.slice(tab + 1);
    if (type === 'blob' && REGULAR_FILE.test(mode) && matches(path)) files.push({ path, blob, size: Number(size) });
  }
  return files;
}

/** Directories to limit git's history walk to: the literal part of each glob before any wildcard. */
export function pathspecsFor(globs: string[]): string[] {
  const bases = globs.map((glob) => picomatch.scan(glob).base);
  return bases.includes('') ? [] : [...new Set(bases)];
}

/**
 * The error for globs that match no committed file. When they match files git ignores (a build
 * directory in .gitignore), the cause is committed mode itself, and the fix is built mode.
 */
export async function noCommittedMatch(repo: Repository, release: string, globs: string[]): Promise<UsageError> {
  const matches = picomatch(globs, { dot: true });
  const out = await repo.git.raw(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', ...pathspecsFor(globs)]).catch(() => '');
  const ignored = out.split('\0').filter((path) => path !== '' && matches(path));
  const shown = `no file at ${release.slice(0, 12)} matches --assets ${globs.join(' ')}`;
  if (ignored.length === 0) return new UsageError(`${shown} (check the globs; they match repo-relative paths)`);
  const dir = (ignored[0] as string).split('/')[0] as string;
  return new UsageError(
    `${shown}, but ${ignored.length} file(s) that git ignores do, e.g. ${ignored[0]}: deltawarm reads committed files unless you pass the build directory (e.g. --dir ${dir} --assets '**/*.{js,css}', globs relative to it)`,
  );
}
