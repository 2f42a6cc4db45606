import { describe, expect, it } from 'vitest';
import { type Step, buildRepo, runGit, shallowClone } from '../../fixtures/git-fixture.js';
import { deletions, linearSite, merged } from '../../fixtures/histories.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { readHistory } from './history.js';
import { openRepository } from './repository.js';

/** The SPEC's definition, one git process per path: what readHistory must agree with. */
function windowByGitLog(dir: string, path: string, older: number): string[] {
  const commits = runGit(dir, ['log', '--format=%H', 'HEAD', '--', path]).split('\n').filter(Boolean);
  const exists = (sha: string) => runGit(dir, ['ls-tree', '--name-only', sha, '--', path]) === path;
  return commits.filter(exists).slice(0, older + 1);
}

async function windowsOf(dir: string, versions: number, assets = ['dist/**']) {
  const history = await readHistory(await openRepository(dir), { release: 'HEAD', assets, versions, deepen: false });
  return new Map(history.windows.map((window) => [window.path, window.versions.map((v) => v.version)]));
}

async function expectSameAsGitLog(dir: string, versions: number) {
  const windows = await windowsOf(dir, versions);
  expect(windows.size).toBeGreaterThan(0);
  for (const [path, found] of windows) expect(found, path).toEqual(windowByGitLog(dir, path, versions));
}

/** Seeded random histories with branches, merges (some changing files themselves), deletes and re-adds. */
function randomHistory(seed: number): Step[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
  const mainFiles = ['dist/a.js', 'dist/b.js', 'dist/c.css'];
  const sideFiles = ['dist/d.js', 'dist/e.js'];
  const steps: Step[] = [{ message: 'c0', files: Object.fromEntries([...mainFiles, ...sideFiles].map((f) => [f, `${f} 0\n`])) }];
  let n = 1;
  const edit = (files: string[]) => {
    const path = pick(files);
    steps.push({ message: `c${n}`, files: { [path]: random() < 0.15 ? null : `${path} ${n}\n` } });
    n++;
  };
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 3; i++) edit([...mainFiles, ...sideFiles]);
    steps.push({ branch: `side${round}` });
    for (let i = 0; i < 3; i++) edit(sideFiles);
    steps.push({ checkout: 'main' });
    for (let i = 0; i < 2; i++) edit(mainFiles);
    const evil = random() < 0.5 ? { [pick(sideFiles)]: `evil ${n}\n` } : {};
    steps.push({ merge: `side${round}`, message: `merge ${round}`, files: evil });
  }
  for (const file of [...mainFiles, ...sideFiles]) steps.push({ message: `final ${file}`, files: { [file]: `${file} final\n` } });
  return steps;
}

describe('readHistory', () => {
  it('finds the same windows as git log -- PATH on a linear history', async () => {
    const repo = buildRepo(linearSite);
    await expectSameAsGitLog(repo.dir, 10);
    const windows = await windowsOf(repo.dir, 2);
    expect(windows.get('dist/app.js')).toEqual([repo.sha('r5'), repo.sha('r4'), repo.sha('r3')]);
    expect(windows.get('dist/app.css')).toEqual([repo.sha('r3'), repo.sha('r1')]);
  });

  it('skips the commit that deleted a file and leaves out files deleted at the release', async () => {
    const repo = buildRepo(deletions);
    const windows = await windowsOf(repo.dir, 10);
    expect(windows.get('dist/a.js')).toEqual([repo.sha('d5'), repo.sha('d4'), repo.sha('d2'), repo.sha('d1')]);
    expect(windows.has('dist/gone.js')).toBe(false);
  });

  it('follows git history simplification through merges', async () => {
    const repo = buildRepo(merged);
    await expectSameAsGitLog(repo.dir, 10);
    expect((await windowsOf(repo.dir, 10)).get('dist/c.js')?.[0]).toBe(repo.sha('merge feature'));
  });

  it.each([1, 2, 3, 4, 5, 6])('agrees with git log on random merge history #%i', async (seed) => {
    await expectSameAsGitLog(buildRepo(randomHistory(seed)).dir, 4);
  });

  it('limits matches to the globs', async () => {
    const repo = buildRepo(linearSite);
    expect([...(await windowsOf(repo.dir, 3, ['dist/*.css'])).keys()]).toEqual(['dist/app.css']);
  });

  it('rejects globs that match nothing and unknown repositories', async () => {
    const repo = buildRepo(linearSite);
    await expect(windowsOf(repo.dir, 3, ['nothing/**'])).rejects.toThrow(UsageError);
    await expect(openRepository('/nonexistent/dir')).rejects.toThrow(EnvironmentError);
  });
});

describe('readHistory on shallow clones', () => {
  it('marks windows cut short at the boundary without deepening', async () => {
    const source = buildRepo(linearSite);
    const clone = shallowClone(source.dir, 3);
    const history = await readHistory(await openRepository(clone), { release: 'HEAD', assets: ['dist/*.js'], versions: 3, deepen: false });
    const app = history.windows.find((w) => w.path === 'dist/app.js');
    expect(history.shallow).toBe(true);
    expect(app?.versions.map((v) => v.version)).toEqual([source.sha('r5'), source.sha('r4')]);
    expect(app?.cutShort).toBe(true);
  });

  it('fails clearly when a current version lies beyond the boundary', async () => {
    const clone = shallowClone(buildRepo(linearSite).dir, 1);
    const open = await openRepository(clone);
    await expect(readHistory(open, { release: 'HEAD', assets: ['dist/**'], versions: 3, deepen: false })).rejects.toThrow(/fetch-depth: 0/);
  });

  it('deepens step by step until the windows are whole', async () => {
    const source = buildRepo(linearSite);
    const clone = shallowClone(source.dir, 1);
    const history = await readHistory(await openRepository(clone), { release: 'HEAD', assets: ['dist/**'], versions: 10, deepen: true });
    const app = history.windows.find((w) => w.path === 'dist/app.js');
    expect(history.deepenedBy).toBeGreaterThan(0);
    expect(app?.cutShort).toBe(false);
    expect(app?.versions.map((v) => v.version)).toEqual(windowByGitLog(source.dir, 'dist/app.js', 10));
  });
});
