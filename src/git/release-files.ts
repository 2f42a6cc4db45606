import picomatch from 'picomatch';
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
