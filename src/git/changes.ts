import type { AssetPath } from '../types.js';
import type { CommitGraph } from './commit-graph.js';
import { RECORD_FORMAT, type RawChange, parseRawRecords } from './raw-diff.js';
import type { Repository } from './repository.js';

export type PathChanges = Map<AssetPath, RawChange>;

/** What each commit changed under the asset pathspecs, against each of its parents. */
export interface ChangeIndex {
  /** Non-merge commits: against their parent (roots: everything they hold, as added). */
  single: Map<number, PathChanges>;
  /** Merge commits: one map per parent, in parent order. */
  merge: Map<number, PathChanges[]>;
}

const RAW = ['--no-renames', '--raw', '-z', '--no-abbrev', RECORD_FORMAT];

/**
 * Two git processes for all of history: one `log` for every non-merge commit, one
 * `diff-tree --stdin` for every (merge, parent) pair. `--full-history` keeps git from
 * pruning side branches, because we simplify history per path ourselves.
 */
export async function readChanges(repo: Repository, release: string, graph: CommitGraph, pathspecs: string[]): Promise<ChangeIndex> {
  const [single, merge] = await Promise.all([readSingleParentChanges(repo, release, graph, pathspecs), readMergeChanges(repo, graph, pathspecs)]);
  return { single, merge };
}

async function readSingleParentChanges(repo: Repository, release: string, graph: CommitGraph, pathspecs: string[]) {
  const args = ['--literal-pathspecs', 'log', '--no-merges', '--full-history', '--root', ...RAW, release, '--', ...pathspecs];
  const single = new Map<number, PathChanges>();
  for (const record of parseRawRecords(await repo.git.raw(args))) {
    const index = graph.indexOf.get(record.commit);
    if (index !== undefined) single.set(index, byPath(record.changes));
  }
  return single;
}

async function readMergeChanges(repo: Repository, graph: CommitGraph, pathspecs: string[]) {
  const pairs: Array<[merge: number, parent: number]> = [];
  graph.parents.forEach((parents, index) => {
    if (parents.length > 1) for (const parent of parents) pairs.push([index, parent]);
  });
  const merge = new Map<number, PathChanges[]>();
  if (pairs.length === 0) return merge;
  const input = pairs.map(([m, p]) => `${graph.shas[m]} ${graph.shas[p]}\n`).join('');
  const args = ['--literal-pathspecs', 'diff-tree', '--stdin', '--always', '-r', ...RAW, '--', ...pathspecs];
  const records = parseRawRecords(await repo.withInput(args, input));
  records.forEach((record, i) => {
    const [index] = pairs[i] as [number, number];
    const perParent = merge.get(index) ?? [];
    perParent.push(byPath(record.changes));
    merge.set(index, perParent);
  });
  return merge;
}

const byPath = (changes: RawChange[]): PathChanges => new Map(changes.map((change) => [change.path, change]));
