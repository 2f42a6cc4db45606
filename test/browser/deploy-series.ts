import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll, runGit, writeFiles } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { REGISTER } from './web-app-trees.js';

/** One deploy of a generated code-split site. */
export interface SeriesDeploy {
  release: string;
  /** index.html, loading every module and the style sheet, with the worker registered. */
  html: string;
  manifest: Manifest;
  manifestText: string;
  /** manifest/head.json as this deploy left it (the tree holds the last deploy's). */
  headText: string;
  /** Built URL paths (`/assets/chunk7.1f2e3d4c.js`) of this deploy, by logical name. */
  urls: Record<string, string>;
  /** Logical names whose bytes changed since the deploy before. */
  changed: string[];
}

export interface SeriesOptions {
  /** Tree the deploys are published to; each deploy's `assets/` is copied into it too. */
  tree: string;
  repo: string;
  cdns: readonly string[];
  deploys: number;
  /** JS modules besides the entry. */
  chunks: number;
  /** Modules (besides the entry, which always changes, and the style sheet) changed per deploy. */
  changedPerDeploy: number;
  /** Characters of code per module. */
  moduleSize: number;
  versions: number;
  /** Extra `deltawarm build` flags. */
  flags?: string[];
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** Deterministic minified-looking code: `count` functions with seeded names and numbers. */
function code(seed: number, size: number, edits: number): string {
  const parts: string[] = [];
  for (let n = 0; parts.join('').length < size; n++) {
    const v = (seed * 7919 + n * 104729) % 1000003;
    parts.push(`function f${seed}_${n}(a,b){return a*${v % 97}+b.map(x=>x+${v % 89}).join("${(v % 36 ** 3).toString(36)}")}`);
  }
  // An edit rewrites a few functions in place, as a changed line of source does.
  for (let e = 0; e < edits; e++) parts[(e * 37 + edits * 11) % parts.length] = `function g${seed}_${e}_${edits}(a){return a+${edits * 31 + e}}`;
  return parts.join(';');
}

/**
 * A site of `chunks` ES modules plus an entry module and a style sheet, with webpack-style
 * content-hashed names (`name.<8 hex>.js`), built deploy after deploy into `dist/` (not
 * committed) and published with `deltawarm build --dir dist --sw`. Deploy n edits the entry,
 * the style sheet and `changedPerDeploy` chunks, taken in turn.
 */
export async function buildDeploySeries(options: SeriesOptions): Promise<SeriesDeploy[]> {
  const { tree, repo, chunks } = options;
  runGit(repo, ['init', '-q', '-b', 'main']);
  writeFiles(repo, { '.gitignore': 'dist/\n' });
  const edits = new Map<string, number>();
  const deploys: SeriesDeploy[] = [];
  const names = ['entry', ...Array.from({ length: chunks }, (_, n) => `chunk${n}`)];
  for (let d = 1; d <= options.deploys; d++) {
    const changed = d === 1 ? [...names, 'style'] : ['entry', 'style', ...Array.from({ length: options.changedPerDeploy }, (_, k) => `chunk${((d - 2) * options.changedPerDeploy + k) % chunks}`)];
    for (const name of changed) edits.set(name, (edits.get(name) ?? -1) + 1);
    writeFiles(repo, { 'deploy.txt': `deploy ${d}\n` });
    const release = commitAll(repo, `deploy ${d}`, d * 3600);
    const dist = join(repo, 'dist');
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(join(dist, 'assets'), { recursive: true });
    const urls: Record<string, string> = {};
    const emit = (name: string, ext: string, text: string) => {
      const file = `assets/${name}.${hash(text)}${ext}`;
      writeFileSync(join(dist, file), text);
      urls[`assets/${name}${ext}`] = `/${file}`;
    };
    names.forEach((name, n) => {
      const mark = `(window.loaded??={})[${JSON.stringify(name)}]=${edits.get(name)};`;
      emit(name, '.js', `${mark}${code(n + 1, options.moduleSize, edits.get(name)!)}\n`);
    });
    const rules = Array.from({ length: 60 }, (_, n) => `.c${n}{margin:${n}px;color:#${(n * 4099).toString(16).padStart(6, '0').slice(0, 6)}}`).join('\n');
    emit('style', '.css', `body{--edit:${edits.get('style')}}\n${rules}\n`);
    const run = await runCli(['build', '--dir', 'dist', '--assets', 'assets/**', '--out', tree, '--sw', '--versions', String(options.versions), '--concurrency', '1', '--quiet', ...options.cdns.flatMap((cdn) => ['--cdn', cdn]), ...(options.flags ?? [])], repo);
    if (run.code !== 0) throw new Error(`deploy ${d}: deltawarm build exited ${run.code}: ${run.stderr}`);
    cpSync(join(dist, 'assets'), join(tree, 'assets'), { recursive: true });
    const scripts = names.map((name) => `<script type="module" src="${urls[`assets/${name}.js`]}"></script>`).join('');
    const html = `<!doctype html><html><head><meta charset="utf-8">${REGISTER}<link rel="stylesheet" href="${urls['assets/style.css']}">${scripts}</head><body></body></html>`;
    const manifestText = readFileSync(join(tree, 'manifest', `${release}.json`), 'utf8');
    const headText = readFileSync(join(tree, 'manifest', 'head.json'), 'utf8');
    deploys.push({ release, html, manifest: JSON.parse(manifestText) as Manifest, manifestText, headText, urls, changed: changed.map((name) => `assets/${name}.${name === 'style' ? 'css' : 'js'}`) });
  }
  return deploys;
}

/** What a page of the series shows once loaded: the edit count each module and the style sheet carry. */
export const loadedState = `(() => {
  const loaded = window.loaded ?? {};
  return { ...loaded, style: Number(getComputedStyle(document.body).getPropertyValue('--edit')) };
})()`;

/** The edit counts deploy `deploy` of a series should show (the same shape as `loadedState`). */
export function expectedState(series: SeriesDeploy[], deploy: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of series.slice(0, deploy)) for (const path of d.changed) {
    const name = path.slice('assets/'.length).replace(/\.(js|css)$/, '');
    counts[name] = (counts[name] ?? -1) + 1;
  }
  return counts;
}
