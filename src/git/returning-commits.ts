import type { ReturningClient } from '../source/asset-source.js';
import type { CommitGraph } from './commit-graph.js';
import type { AssetWindow } from './window.js';

/**
 * Committed mode without a deploy index: a client per commit that changed an asset, the
 * `count` newest before the release's own state. Candidates are the windows' versions, newest
 * first in date order; a client holds, per asset, the newest version of its window that is that
 * commit or one of its ancestors (SPEC §1.1). A candidate holding exactly the release's
 * versions is the release's own state, not an earlier one, and is passed over.
 */
export function commitClients(windows: AssetWindow[], graph: CommitGraph, count: number): ReturningClient[] {
  const indexed = windows.map((window) => window.versions.map((v) => ({ version: v.version, at: graph.indexOf.get(v.version) ?? -1 })));
  const candidates = [...new Set(indexed.flat().map((v) => v.at))].filter((at) => at >= 0).sort((a, b) => a - b);
  const oldest = candidates.at(-1) ?? 0;
  // Which candidate's walk last reached each commit: one array for every walk, no set per walk.
  const reachedBy = new Int32Array(oldest + 1).fill(-1);
  const clients: ReturningClient[] = [];
  for (const at of candidates) {
    if (clients.length === count) break;
    markAncestors(at, graph, reachedBy);
    const holds = new Map<string, string>();
    windows.forEach((window, i) => {
      const held = indexed[i]?.find((v) => v.at >= 0 && reachedBy[v.at] === at);
      if (held) holds.set(window.path, held.version);
    });
    const isRelease = windows.every((window) => holds.get(window.path) === window.versions[0]?.version);
    if (!isRelease) clients.push({ at: graph.shas[at] as string, date: graph.dates[at] as string, holds });
  }
  return clients;
}

/** Marks `commit` and its ancestors down to the end of `reachedBy` (the graph is in date order: parents come later). */
function markAncestors(commit: number, graph: CommitGraph, reachedBy: Int32Array): void {
  reachedBy[commit] = commit;
  const stack = [commit];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const parent of graph.parents[next] ?? []) {
      if (parent >= reachedBy.length || reachedBy[parent] === commit) continue;
      reachedBy[parent] = commit;
      stack.push(parent);
    }
  }
}
