import type { AssetPath } from '../types.js';

/** One line of `git diff --raw -z --no-abbrev`: what happened to a path, and its new blob. */
export interface RawChange {
  status: string;
  path: AssetPath;
  /** The blob after the change (all zeros when deleted). */
  blob: string;
  mode: string;
}

export interface RawRecord {
  commit: string;
  changes: RawChange[];
}

/** The separator we put before each commit in `--format=%x01%H`. */
export const RECORD_FORMAT = '--format=%x01%H';

/**
 * Parses output of `git log|diff-tree --raw -z --no-abbrev --format=%x01%H`: one record per
 * commit header, each with its raw changes. Paths may hold any byte but NUL.
 */
export function parseRawRecords(output: string): RawRecord[] {
  return output
    .split('\x01')
    .slice(1)
    .map((chunk) => {
      const fields = chunk.split('\0');
      const commit = (fields[0] ?? '').trim();
      return { commit, changes: parseChanges(fields.slice(1)) };
    });
}

function parseChanges(fields: string[]): RawChange[] {
  const changes: RawChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = (fields[i] as string).trim();
    if (!meta.startsWith(':')) break;
    const [, newMode = '', , newBlob = '', status = ''] = meta.slice(1).split(' ');
    changes.push({ status: status.charAt(0), path: fields[i + 1] as string, blob: newBlob, mode: newMode });
  }
  return changes;
}
