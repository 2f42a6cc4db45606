/**
 * Synthetic repositories of minified JavaScript for the scale benchmarks, written with one
 * `git fast-import`. Asset i is the same in every repository made with the same options, so a
 * 1,000-asset repository is the first tenth of a 10,000-asset one.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { makeTempDir, runGit } from '../fixtures/git-fixture.js';
import { prng, pseudoJs } from './pseudo-js.js';

export interface SyntheticOptions {
  assets: number;
  /** Commits, each changing every asset: the release and `versions - 1` older versions. */
  versions: number;
  /** Asset sizes spread log-uniformly between these, in characters. */
  minSize: number;
  maxSize: number;
}

export const assetPath = (index: number) => `dist/assets/chunk-${String(index).padStart(5, '0')}.js`;

/** What a minifier's next build changes: a few local edits, and now and then one identifier renamed everywhere. */
function nextVersion(text: string, random: () => number): string {
  let next = text;
  if (random() < 0.3) {
    const name = /[a-z]{4,}[0-9a-z]{2}/.exec(next.slice(Math.floor(random() * next.length)))?.[0];
    if (name) next = next.replaceAll(name, `${name}x`);
  }
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * next.length);
    const cut = Math.floor(random() * 400);
    next = next.slice(0, at) + pseudoJs(Math.floor(random() * 1e9), 20 + Math.floor(random() * 600), true) + next.slice(at + cut);
  }
  return next;
}

/** Asset `index` at every version, oldest first. */
function assetVersions(index: number, options: SyntheticOptions): string[] {
  const random = prng(1000 + index);
  const size = Math.round(options.minSize * (options.maxSize / options.minSize) ** random());
  const versions = [pseudoJs(index + 1, size, true)];
  for (let v = 1; v < options.versions; v++) versions.push(nextVersion(versions[v - 1] as string, random));
  return versions;
}

/** The fast-import stream in pieces: one asset's blobs at a time, then the commits by mark. */
function* fastImportStream(options: SyntheticOptions): Generator<string> {
  // Blob mark of asset i at version v: 1 + i * versions + v.
  const mark = (i: number, v: number) => 1 + i * options.versions + v;
  for (let i = 0; i < options.assets; i++) {
    yield assetVersions(i, options).map((text, v) => `blob\nmark :${mark(i, v)}\ndata ${Buffer.byteLength(text)}\n${text}\n`).join('');
  }
  for (let v = 0; v < options.versions; v++) {
    const message = `release ${v + 1}`;
    const lines = ['commit refs/heads/main', `committer Bench <bench@example.com> ${1767225600 + v * 86400} +0000`, `data ${message.length}`, message];
    for (let i = 0; i < options.assets; i++) lines.push(`M 100644 :${mark(i, v)} ${assetPath(i)}`);
    yield lines.join('\n') + '\n\n';
  }
}

/** A new repository in a temp directory; returns its path. */
export async function makeSyntheticRepo(options: SyntheticOptions): Promise<string> {
  const dir = makeTempDir(`deltawarm-bench-${options.assets}x${options.versions}-`);
  runGit(dir, ['init', '-q', '-b', 'main']);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = once(child, 'exit');
  for (const chunk of fastImportStream(options)) if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
  child.stdin.end();
  const [code] = await exited;
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);
  runGit(dir, ['checkout', '-q', 'main']);
  return dir;
}
