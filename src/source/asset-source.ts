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
  close(): void;
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
