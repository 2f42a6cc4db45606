import type { AssetPath, Version } from '../types.js';
import type { ChangeIndex } from './changes.js';
import type { CommitGraph } from './commit-graph.js';

/** One version of an asset: the commit that made it, and the blob it holds there. */
export interface AssetVersion {
  version: Version;
  blob: string;
  date: string;
}

/** An asset's current version and up to N older versions (SPEC §1). */
export interface AssetWindow {
  path: AssetPath;
  /** Newest first: [0] is the current version, the rest are the older versions. */
  versions: AssetVersion[];
  /** History ended at a shallow boundary before the window was full. */
  cutShort: boolean;
}

interface WalkContext {
  graph: CommitGraph;
  changes: ChangeIndex;
  shallow: Set<number>;
}

/**
 * Walks history for one path the way `git log RELEASE -- PATH` does (default history
 * simplification: a merge that left the path as one parent had it follows only that parent),
 * keeping the commits at which the path exists, until `1 + olderVersions` are found.
 */
export function findWindow(path: AssetPath, olderVersions: number, context: WalkContext): AssetWindow {
  const { graph, shallow } = context;
  const versions: AssetVersion[] = [];
  const frontier = [0];
  let cutShort = false;
  while (frontier.length > 0 && versions.length <= olderVersions) {
    const commit = frontier.shift() as number;
    if (shallow.has(commit)) {
      cutShort = true;
      continue;
    }
    const step = stepAt(commit, path, context);
    if (step.blob) versions.push({ version: graph.shas[commit] as string, blob: step.blob, date: graph.dates[commit] as string });
    for (const parent of step.follow) if (!frontier.includes(parent)) insertSorted(frontier, parent);
  }
  return { path, versions, cutShort };
}

interface Step {
  /** The path's blob when this commit is a version of it. */
  blob?: string;
  follow: number[];
}

function stepAt(commit: number, path: AssetPath, { graph, changes }: WalkContext): Step {
  const parents = graph.parents[commit] ?? [];
  const perParent = changes.merge.get(commit);
  if (!perParent) {
    const change = changes.single.get(commit)?.get(path);
    return { blob: change && change.status !== 'D' ? change.blob : undefined, follow: parents };
  }
  const sameAs = perParent.findIndex((changed) => !changed.has(path));
  if (sameAs >= 0) return { follow: [parents[sameAs] as number] };
  const change = perParent[0]?.get(path);
  return { blob: change && change.status !== 'D' ? change.blob : undefined, follow: parents };
}

/**
 * The frontier is tiny (one entry per open branch), so a sorted array beats a heap. The graph
 * is in date order, where parents come after all their children, so a commit not yet in the
 * frontier has never been visited.
 */
function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > value) i--;
  list.splice(i, 0, value);
}
