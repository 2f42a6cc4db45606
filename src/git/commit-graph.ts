import type { Repository } from './repository.js';

/**
 * Every commit reachable from the release, newest first in date order (no parent before its
 * children), with parents
 * as indexes into that order, read in one pass.
 */
export interface CommitGraph {
  shas: string[];
  parents: number[][];
  /** Committer dates, as ISO 8601. */
  dates: string[];
  indexOf: Map<string, number>;
}

export async function readCommitGraph(repo: Repository, release: string): Promise<CommitGraph> {
  const out = await repo.git.raw(['log', '--date-order', '--format=%H %cI %P', release]);
  const lines = out.split('\n').filter(Boolean);
  const shas = lines.map((line) => line.slice(0, 40));
  const indexOf = new Map(shas.map((sha, index) => [sha, index]));
  const dates: string[] = [];
  const parents: number[][] = [];
  for (const line of lines) {
    const [, date = '', ...parentShas] = line.split(' ');
    dates.push(date);
    parents.push(parentShas.map((sha) => indexOf.get(sha)).filter((index) => index !== undefined));
  }
  return { shas, parents, dates, indexOf };
}
