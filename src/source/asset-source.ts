import type { AssetPath, Version } from '../types.js';

/**
 * The seam between where assets come from and the pipeline: committed mode reads git blobs,
 * built mode reads files under --dir and the bytes earlier deploys published. The pipeline
 * sees only windows whose versions read their own bytes.
 */
export interface AssetSource {
  mode: 'committed' | 'built';
  /** Committer date of the release commit, ISO 8601. */
  releaseDate: string;
  windows: SourceWindow[];
  shallow: boolean;
  /** Commits fetched by `git fetch --deepen` during this run. */
  deepenedBy: number;
  /** What the report should say about the history (first deploy, unusable deploys...). */
  notes: string[];
  /** What a client is behind by: deploys of the deploy index, or commits that changed an asset. */
  behind: 'deploys' | 'commits';
  /** Clients that last visited 1, 2, ... deploys (or asset-changing commits) ago, newest first. */
  clients: ReturningClient[];
  close(): void;
}

/**
 * A client that last saw an earlier deploy (built mode, committed mode with a deploy index) or an
 * earlier commit that changed an asset (committed mode without one): the versions it holds.
 */
export interface ReturningClient {
  /** The deploy's release, or the commit. */
  at: Version;
  date: string;
  /** The version of each asset it holds, by manifest key; an asset it never had is absent. */
  holds: Map<AssetPath, Version>;
}

/** One version of an asset, read only when a patch job needs it (memory stays bounded). */
export interface SourceVersion {
  version: Version;
  date: string;
  /** The version's bytes; rejects with UnusableVersion when they cannot be used. */
  read(): Promise<Uint8Array>;
}

/** An asset's current version and up to N older versions, newest first. */
export interface SourceWindow {
  /** The repo path (committed) or logical name (built): the manifest key. */
  path: AssetPath;
  /** Built mode: the file's path under --dir. */
  url?: string;
  versions: [SourceVersion, ...SourceVersion[]];
  /** History ended at a shallow boundary before the window was full. */
  cutShort: boolean;
}

/** An old version whose bytes are missing or not the ones its manifest recorded: skipped, never patched from. */
export class UnusableVersion extends Error {
  override name = 'UnusableVersion';
}
