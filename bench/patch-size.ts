/**
 * Patch sizes on the bytes a client downloads, against the dictionary-compression limit.
 *
 *   node --import tsx bench/patch-size.ts [--runs=3]
 *
 * Two real data sets, window 11: jQuery (../shared/data/jquery-dist, releases 01..11 -> 12,
 * 44 pairs) and Bootstrap (bench/.cache/bootstrap, built from the npm registry by
 * bench/data/make-npm-set.sh when missing; 01..10 -> 11, 40 pairs). For every pair: gzip -9
 * and brotli (quality 11) bytes of the full new file, the v1 JSON form (header included) and
 * the v1 tab form (both from the line/word/char engine, at any ratio), the delta form, and
 * `zstd -19 --long --patch-from=OLD` (Debian's zstd CLI) as the limit. Time: the delta
 * engine and the v1 engine on the same pair in this process, median of --runs.
 * Coverage at the defaults: pairs whose delta patch is at most 0.5 of the gzipped full file,
 * against pairs whose zstd patch is under half of it. Minified files are totalled apart.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { diffTexts, diffTextsAnywhere } from '../src/diff/engine.js';
import { encodeDeltaPatch } from '../src/patch/delta-form.js';
import { encodeJsonPatch } from '../src/patch/json-form.js';
import type { Op } from '../src/patch/ops.js';
import { encodeTabPatch } from '../src/patch/tab-form.js';
import { DEFAULTS } from '../src/index.js';
import { integrityOf } from '../src/text/integrity.js';
import { pseudoJs } from './pseudo-js.js';
import { runIfMain } from './run-if-main.js';

const JQUERY = fileURLToPath(new URL('../../shared/data/jquery-dist/', import.meta.url));
const BOOTSTRAP = fileURLToPath(new URL('./.cache/bootstrap/', import.meta.url));
const MAKE_SET = fileURLToPath(new URL('./data/make-npm-set.sh', import.meta.url));
/** The bar: a pair is worth a patch when zstd's patch is under half the gzipped file. */
const WORTH_A_PATCH = 0.5;
const DEFAULT_RATIO = DEFAULTS.maxPatchRatio;

interface DataSet {
  name: string;
  dir: string;
  files: string[];
  newest: number;
}

const SETS: DataSet[] = [
  { name: 'jQuery', dir: JQUERY, files: ['jquery.js', 'jquery.min.js', 'jquery.slim.js', 'jquery.slim.min.js'].map((f) => `dist/${f}`), newest: 12 },
  { name: 'Bootstrap', dir: BOOTSTRAP, files: ['js/bootstrap.js', 'js/bootstrap.min.js', 'css/bootstrap.css', 'css/bootstrap.min.css'].map((f) => `dist/${f}`), newest: 11 },
];

type Form = 'full' | 'json' | 'tab' | 'delta' | 'zstd';
const FORMS: Form[] = ['full', 'json', 'tab', 'delta', 'zstd'];

interface Row {
  label: string;
  minified: boolean;
  newKb: number;
  gz: Record<Form, number>;
  br: Record<Form, number>;
  deltaMs: number;
  v1Ms: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const gz = (bytes: Uint8Array | string) => gzipSync(bytes, { level: 9 }).length;
const br = (bytes: Uint8Array | string) => brotliCompressSync(bytes).length;

function timed<T>(runs: number, fn: () => T): [T, number] {
  const times: number[] = [];
  let value: T | undefined;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    value = fn();
    times.push(performance.now() - start);
  }
  return [value as T, median(times)];
}

function zstdPatch(oldPath: string, newPath: string): Buffer {
  return execFileSync('zstd', ['-q', '-19', '--long', `--patch-from=${oldPath}`, '-c', newPath], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
}

function okOps(outcome: ReturnType<typeof diffTexts>, label: string): Op[] {
  if (!outcome.ok) throw new Error(`${label}: no patch (${outcome.reason})`);
  return outcome.ops;
}

function measurePair(set: DataSet, file: string, from: number, runs: number): Row {
  const [oldPath, newPath] = [`${set.dir}versions/${pad(from)}/${file}`, `${set.dir}versions/${pad(set.newest)}/${file}`];
  const [oldText, newText] = [readFileSync(oldPath, 'utf8'), readFileSync(newPath, 'utf8')];
  const label = `${file.split('/').pop()} ${pad(from)}`;
  const [v1, v1Ms] = timed(runs, () => diffTexts(oldText, newText, { maxPatchRatio: Number.POSITIVE_INFINITY }));
  const [delta, deltaMs] = timed(runs, () => diffTextsAnywhere(oldText, newText));
  const header = { asset: file, from: pad(from), to: pad(set.newest), fromIntegrity: integrityOf(oldText), toIntegrity: integrityOf(newText), toLength: newText.length };
  const bodies: Record<Form, Uint8Array | string> = {
    full: newText,
    json: encodeJsonPatch(header, okOps(v1, label)),
    tab: encodeTabPatch(okOps(v1, label), oldText.length),
    delta: encodeDeltaPatch(okOps(delta, label), oldText.length),
    zstd: zstdPatch(oldPath, newPath),
  };
  const sizes = (measure: (b: Uint8Array | string) => number) => Object.fromEntries(FORMS.map((f) => [f, f === 'zstd' ? bodies.zstd.length : measure(bodies[f])])) as Record<Form, number>;
  return { label, minified: file.includes('.min.'), newKb: newText.length / 1000, gz: sizes(gz), br: sizes(br), deltaMs, v1Ms };
}

function ensureBootstrap(): void {
  if (existsSync(`${BOOTSTRAP}versions.tsv`)) return;
  process.stderr.write('building the Bootstrap data set from the npm registry (bench/data/make-npm-set.sh)\n');
  execFileSync(MAKE_SET, ['bootstrap'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function pairTable(rows: Row[]): string {
  const lines = [
    '| pair (old -> newest) | new kB | full gz | JSON gz | tab gz | delta gz | zstd | delta / zstd | full br | JSON br | tab br | delta br | delta ms | v1 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const cells = [r.label, r.newKb.toFixed(0), ...(['full', 'json', 'tab', 'delta', 'zstd'] as const).map((f) => kb(r.gz[f])), (r.gz.delta / r.gz.zstd).toFixed(2)];
    cells.push(...(['full', 'json', 'tab', 'delta'] as const).map((f) => kb(r.br[f])), r.deltaMs.toFixed(1), r.v1Ms.toFixed(1));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function totalsTable(rows: Row[]): string {
  const groups: Array<[string, Row[]]> = [
    [`all ${rows.length} pairs`, rows],
    ['minified', rows.filter((r) => r.minified)],
    ['readable', rows.filter((r) => !r.minified)],
  ];
  const lines = ['| total kB | full | JSON | tab | delta | zstd -19 | delta / zstd |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const [name, of] of groups) {
    for (const [kind, pick] of [['gzip -9', (r: Row) => r.gz], ['brotli', (r: Row) => r.br]] as const) {
      const sum = (f: Form) => of.reduce((s, r) => s + pick(r)[f], 0);
      lines.push(`| ${name}, ${kind} | ${FORMS.map((f) => kb(sum(f))).join(' | ')} | ${(sum('delta') / sum('zstd')).toFixed(3)} |`);
    }
  }
  return lines.join('\n');
}

function coverageLine(rows: Row[]): string {
  const worthIt = rows.filter((r) => r.gz.zstd < WORTH_A_PATCH * r.gz.full);
  const patched = rows.filter((r) => r.gz.delta <= DEFAULT_RATIO * r.gz.full);
  const missed = worthIt.filter((r) => !patched.includes(r)).map((r) => r.label);
  const times = rows.map((r) => r.deltaMs);
  const v1Times = rows.map((r) => r.v1Ms);
  return [
    `Coverage at --max-patch-ratio ${DEFAULT_RATIO} (gzip): the delta form patches ${patched.length} of ${rows.length} pairs; zstd's patch is under half the gzipped file on ${worthIt.length}` +
      (missed.length ? `; missed: ${missed.join(', ')}.` : '; none of those missed.'),
    `Delta engine: median ${median(times).toFixed(1)} ms, worst ${Math.max(...times).toFixed(1)} ms (v1 engine, same process: median ${median(v1Times).toFixed(1)} ms, worst ${Math.max(...v1Times).toFixed(1)} ms).`,
  ].join('\n');
}

function unrelated(runs: number): string {
  const [oldText, newText] = [pseudoJs(1, 256 * 1024), pseudoJs(2, 256 * 1024)];
  const [delta, ms] = timed(runs, () => diffTextsAnywhere(oldText, newText));
  const [, v1Ms] = timed(runs, () => diffTexts(oldText, newText));
  const what = delta.ok ? `${kb(gz(encodeDeltaPatch(delta.ops, oldText.length)))} kB gzipped, full file ${kb(gz(newText))} kB` : `no patch (${delta.reason})`;
  return `Two unrelated 256 KB pseudo-JS files: delta engine ${ms.toFixed(1)} ms (${what}); v1 engine ${v1Ms.toFixed(1)} ms.`;
}

function deterministic(): string {
  const file = `${JQUERY}versions/01/dist/jquery.min.js`;
  const [oldText, newText] = [readFileSync(file, 'utf8'), readFileSync(`${JQUERY}versions/12/dist/jquery.min.js`, 'utf8')];
  const encode = () => {
    const outcome = diffTextsAnywhere(oldText, newText);
    return outcome.ok ? encodeDeltaPatch(outcome.ops, oldText.length) : outcome.reason;
  };
  return encode() === encode() ? 'Same input, same bytes: yes (jquery.min.js 01 -> 12 encoded twice).' : 'Same input, same bytes: NO';
}

export async function main(args: string[]): Promise<string> {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
  if (!(runs >= 1)) throw new Error('usage: patch-size.ts [--runs=N]');
  if (!existsSync(`${JQUERY}versions`)) throw new Error(`no data set at ${JQUERY}: the benchmark needs ../shared/data/jquery-dist next to the repository`);
  ensureBootstrap();
  const sections = [
    '# Patch sizes against the dictionary-compression limit',
    '',
    `gzip -9 and brotli (quality 11) bytes a client downloads. JSON and tab: the v1 engine at any ratio; delta: the delta form; zstd: \`zstd -19 --long --patch-from=OLD\`. Times: median of ${runs} runs. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ];
  for (const set of SETS) {
    const versions = readdirSync(`${set.dir}versions`).length;
    const rows: Row[] = [];
    for (const file of set.files) {
      for (let from = 1; from < set.newest; from++) {
        rows.push(measurePair(set, file, from, runs));
        process.stderr.write(`${set.name} ${rows.at(-1)?.label}: ${rows.at(-1)?.deltaMs.toFixed(1)} ms\n`);
      }
    }
    sections.push(`## ${set.name} (${versions} releases, ${rows.length} pairs)`, '', totalsTable(rows), '', coverageLine(rows), '', pairTable(rows), '');
  }
  sections.push(unrelated(runs), '', deterministic(), '');
  const report = sections.join('\n');
  writeFileSync(new URL('./patch-size-results.md', import.meta.url), report);
  return report;
}

runIfMain(import.meta.url, main);
