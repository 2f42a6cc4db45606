import { EnvironmentError } from '../errors.js';
import { readChanges } from './changes.js';
import { readCommitGraph } from './commit-graph.js';
import { type ReleaseFile, listReleaseFiles, noCommittedMatch, pathspecsFor } from './release-files.js';
import { type Repository, deepen, shallowCommits } from './repository.js';
import type { ReturningClient } from '../source/asset-source.js';
import { commitClients } from './returning-commits.js';
import { type AssetWindow, findWindow } from './window.js';

export interface HistoryOptions {
  release: string;
  assets: string[];
  /** How many older versions each window should hold. */
  versions: number;
  /** Deepen a shallow clone step by step until every window is whole. */
  deepen: boolean;
  onDeepen?: (commits: number) => void;
}

export interface History {
  /** Committer date of the release commit, ISO 8601. */
  releaseDate: string;
  files: ReleaseFile[];
  windows: AssetWindow[];
  /** Clients that last saw one of the `versions` latest commits that changed an asset, newest first. */
  clients: ReturningClient[];
  shallow: boolean;
  /** Commits fetched by `git fetch --deepen` during this run. */
  deepenedBy: number;
}

const FIRST_DEEPEN = 50;
const MAX_DEEPEN_STEPS = 12;

/** The window of every asset at the release, from a handful of git processes in all. */
export async function readHistory(repo: Repository, options: HistoryOptions): Promise<History> {
  const files = await listReleaseFiles(repo, options.release, options.assets);
  if (files.length === 0) throw await noCommittedMatch(repo, options.release, options.assets);
  let deepenedBy = 0;
  let previous: Set<string> | undefined;
  for (let step = 0; ; step++) {
    const shallow = await shallowCommits(repo);
    const { windows, releaseDate, graph } = await readWindows(repo, files, shallow, options);
    const wantsMore = shallow.size > 0 && windows.some((window) => window.cutShort);
    const canDeepen = options.deepen && step < MAX_DEEPEN_STEPS && !(previous && sameSet(previous, shallow));
    if (!wantsMore || !canDeepen) {
      requireCurrentVersions(windows);
      return { releaseDate, files, windows, clients: commitClients(windows, graph, options.versions), shallow: shallow.size > 0, deepenedBy };
    }
    const commits = FIRST_DEEPEN * 2 ** step;
    options.onDeepen?.(commits);
    await deepen(repo, commits);
    deepenedBy += commits;
    previous = shallow;
  }
}

async function readWindows(repo: Repository, files: ReleaseFile[], shallow: Set<string>, options: HistoryOptions) {
  const graph = await readCommitGraph(repo, options.release);
  const changes = await readChanges(repo, options.release, graph, pathspecsFor(options.assets));
  const boundary = new Set([...shallow].map((sha) => graph.indexOf.get(sha)).filter((index) => index !== undefined));
  const windows = files.map((file) => findWindow(file.path, options.versions, { graph, changes, shallow: boundary }));
  return { windows, releaseDate: graph.dates[0] as string, graph };
}

function requireCurrentVersions(windows: AssetWindow[]): void {
  const unknown = windows.filter((window) => window.versions.length === 0);
  if (unknown.length === 0) return;
  throw new EnvironmentError(
    `${unknown.length} asset(s), e.g. ${unknown[0]?.path}, last changed beyond the shallow clone's boundary, so their versions are unknown (check out with fetch-depth: 0, or pass --deepen)`,
  );
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((item) => b.has(item));
