import { readFile } from 'node:fs/promises';
import { type DeployHistory, carriedVersion, deployClients, deployedVersions, historyNotes } from '../history/deploy-history.js';
import { UsageError } from '../errors.js';
import { decodeText } from '../text/decode.js';
import { integrityOf } from '../text/integrity.js';
import type { Release } from '../types.js';
import type { AssetSource, SourceWindow } from './asset-source.js';
import { type BuiltFile, listBuiltFiles } from './built-files.js';
import { logicalNames } from './logical-name.js';
import { readPublished } from './published-bytes.js';
import { BUILT_WORKER_PATH, readBuiltWorker } from './built-worker.js';

const WORKER_NOTE = `${BUILT_WORKER_PATH} under --dir is deltawarm's service worker (from deltawarm/vite): not an asset; build and push publish it beside the manifest`;

export interface BuiltSourceOptions {
  /** The build directory (--dir). */
  dir: string;
  /** Globs relative to `dir`. */
  assets: string[];
  hashPattern: RegExp;
  release: Release;
  releaseDate: string;
  /** What earlier deploys published; undefined when there is no history source. */
  history?: DeployHistory;
}

/**
 * Built mode (SPEC §1.2): the release's files from disk under their logical names; each
 * version is the deploy that first published those bytes; old bytes are what that deploy
 * published, checked against its manifest.
 */
export async function openBuiltSource(options: BuiltSourceOptions): Promise<AssetSource> {
  // The plugin's worker is published beside the manifest, never patched: a browser fetches it past every worker.
  const worker = await readBuiltWorker(options.dir);
  const files = (await listBuiltFiles(options.dir, options.assets)).filter((file) => worker === undefined || file.path !== BUILT_WORKER_PATH);
  if (files.length === 0) throw new UsageError(`no file under --dir ${options.dir} matches --assets ${options.assets.join(' ')} (the globs match paths relative to --dir, e.g. '**/*.{js,css}')`);
  const byPath = new Map(files.map((file) => [file.path, file]));
  const names = logicalNames(files.map((file) => file.path), options.hashPattern);
  const windows = await Promise.all([...names].map(([name, path]) => windowFor(name, byPath.get(path) as BuiltFile, options)));
  return { mode: 'built', releaseDate: options.releaseDate, windows, shallow: false, deepenedBy: 0, notes: [...historyNotes(options.history), ...(worker ? [WORKER_NOTE] : [])], behind: 'deploys', clients: deployClients(options.history), close: () => {} };
}

async function windowFor(name: string, built: BuiltFile, options: BuiltSourceOptions): Promise<SourceWindow> {
  const bytes = new Uint8Array(await readFile(built.file));
  const { history } = options;
  const carried = history && carriedVersion(history, name, integrityOf(decodeText(bytes) ?? bytes));
  const version = carried?.version ?? options.release;
  const date = (carried && history?.index?.deploys.find((deploy) => deploy.release === version)?.createdAt) ?? options.releaseDate;
  const older = history ? deployedVersions(history, name, version).map((old) => ({ version: old.version, date: old.date, read: () => readPublished(history.store, old) })) : [];
  return {
    path: name,
    url: built.path,
    versions: [{ version, date, read: async () => bytes }, ...older],
    cutShort: false,
  };
}
