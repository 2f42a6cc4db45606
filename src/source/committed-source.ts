import { BlobReader } from '../git/blob-reader.js';
import { readHistory } from '../git/history.js';
import type { Repository } from '../git/repository.js';
import { type DeployHistory, type DeployedVersion, deployClients, deployedVersions, historyNotes } from '../history/deploy-history.js';
import type { Release } from '../types.js';
import { type AssetSource, type SourceWindow, UnusableVersion } from './asset-source.js';
import { looksHashed } from './logical-name.js';
import { checked, readPublished } from './published-bytes.js';

export type WindowKind = 'commits' | 'deployed';

export interface CommittedSourceOptions {
  repo: Repository;
  release: Release;
  assets: string[];
  versions: number;
  deepen: boolean;
  onDeepen?: (commits: number) => void;
  window: WindowKind;
  history?: DeployHistory;
  hashPattern: RegExp;
}

/**
 * Committed mode (SPEC §1.1): assets and their bytes are git blobs. The window is the commits
 * that changed the file, or with a deploy index the versions earlier deploys published.
 */
export async function openCommittedSource(options: CommittedSourceOptions): Promise<AssetSource> {
  const { repo, history } = options;
  const deployed = options.window === 'deployed' && history !== undefined;
  const git = await readHistory(repo, {
    release: options.release,
    assets: options.assets,
    versions: deployed ? 0 : options.versions,
    deepen: options.deepen,
    ...(options.onDeepen ? { onDeepen: options.onDeepen } : {}),
  });
  const blobs = new BlobReader(repo.dir);
  const windows = git.windows.map((window): SourceWindow => {
    const [current, ...older] = window.versions.map((v) => ({ version: v.version, date: v.date, read: () => blobs.read(v.blob) }));
    if (!current) throw new Error(`no current version of ${window.path}`);
    if (!deployed) return { path: window.path, versions: [current, ...older], cutShort: window.cutShort };
    const fromDeploys = deployedVersions(history, window.path, current.version).map((old) => ({ version: old.version, date: old.date, read: () => deployedBytes(blobs, history, window.path, old) }));
    return { path: window.path, versions: [current, ...fromDeploys], cutShort: false };
  });
  const notes = [...(deployed ? historyNotes(history) : []), ...hashedNameWarning(windows, options.hashPattern)];
  const clients = deployed ? deployClients(history) : git.clients;
  return { mode: 'committed', releaseDate: git.releaseDate, windows, behind: deployed ? 'deploys' : 'commits', clients, shallow: git.shallow, deepenedBy: git.deepenedBy, notes, close: () => blobs.close() };
}

/** From git when the clone has the commit, else as the deploy published it; either way checked. */
async function deployedBytes(blobs: BlobReader, history: DeployHistory, path: string, old: DeployedVersion): Promise<Uint8Array> {
  const fromGit = await blobs.read(`${old.version}:${path}`).catch(() => undefined);
  if (fromGit === undefined) return readPublished(history.store, old).catch((error: unknown) => {
    throw error instanceof UnusableVersion ? new UnusableVersion(`commit ${old.version.slice(0, 12)} is not in the local clone and ${error.message}`) : error;
  });
  return checked(fromGit, old, 'git');
}

/**
 * Content-hashed names in committed mode give every version a new path, so no window ever
 * holds an older version: that deserves a warning naming the fix.
 */
function hashedNameWarning(windows: SourceWindow[], pattern: RegExp): string[] {
  const hashed = windows.filter((window) => window.versions.length === 1 && looksHashed(window.path, pattern));
  if (hashed.length === 0) return [];
  return [
    `${hashed.length} asset(s) look content-hashed (e.g. ${hashed[0]?.path}): each version is a new path, so no window holds an older version; deploy the build output in built mode instead (--dir DIR)`,
  ];
}
