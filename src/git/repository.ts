import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { EnvironmentError, UsageError } from '../errors.js';
import type { Release } from '../types.js';

/** A git working copy, as deltawarm needs it: refs, shallowness, and raw commands. */
export interface Repository {
  dir: string;
  git: SimpleGit;
  /** Runs git with `input` on stdin and returns stdout. */
  withInput(args: string[], input: string): Promise<string>;
}

export async function openRepository(dir: string): Promise<Repository> {
  const notARepo = new EnvironmentError(`not a git repository: ${dir} (run inside a git checkout or pass --repo DIR)`);
  let git: SimpleGit;
  try {
    git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
  } catch {
    throw notARepo;
  }
  if (!(await git.checkIsRepo().catch(() => false))) throw notARepo;
  const top = (await git.revparse(['--show-toplevel'])).trim();
  return { dir: top, git: git.cwd(top), withInput: (args, input) => gitWithInput(top, args, input) };
}

export async function resolveRelease(repo: Repository, rev: string): Promise<Release> {
  const sha = await repo.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).catch(() => '');
  if (!/^[0-9a-f]{40}$/.test(sha.trim())) {
    throw new UsageError(`unknown release "${rev}": not a commit in ${repo.dir} (pass --release with a commit, tag or branch)`);
  }
  return sha.trim();
}

/** The committer date of a commit, ISO 8601. */
export async function releaseDate(repo: Repository, release: Release): Promise<string> {
  return (await repo.git.raw(['show', '-s', '--format=%cI', release])).trim();
}

/** The commits at the shallow boundary: their parents are missing from this clone. */
export async function shallowCommits(repo: Repository): Promise<Set<string>> {
  const path = (await repo.git.raw(['rev-parse', '--git-path', 'shallow'])).trim();
  const file = isAbsolute(path) ? path : join(repo.dir, path);
  const text = await readFile(file, 'utf8').catch(() => '');
  return new Set(text.split('\n').filter(Boolean));
}

/** Fetches `commits` more commits of history behind the shallow boundary. */
export async function deepen(repo: Repository, commits: number): Promise<void> {
  try {
    await repo.git.raw(['fetch', '--quiet', `--deepen=${commits}`]);
  } catch (error) {
    throw new EnvironmentError(`git fetch --deepen=${commits} failed: ${firstLine(error)} (check out with fetch-depth: 0)`);
  }
}

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).trim().split('\n')[0];

function gitWithInput(dir: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: dir });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new EnvironmentError(`git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0]}`));
    });
    child.stdin.end(input);
  });
}
