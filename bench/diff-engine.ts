/**
 * Diff engine benchmark on real jQuery releases (../shared/data/jquery-dist).
 *
 *   node --import tsx bench/diff-engine.ts [--baselines=sample|all|none] [--runs=5]
 *
 * Pairs: each of the 4 dist files, old = releases 01..11, new = 12 (44 pairs, the window-11
 * case). For each pair: the engine (median of --runs runs; gzip bytes of the JSON-form patch
 * with its header) and a line-level Myers baseline (fast-myers-diff over lines, JSON
 * copy/insert ops), both in this process. The raw character-level baselines (fast-myers-diff
 * on the strings, jsdiff diffChars) run in worker threads capped at 60 s each: with
 * --baselines=sample (default) only on a handful of pairs including the smallest and the
 * largest step, so the run takes a few minutes; --baselines=all runs them on all 44 pairs
 * (can take most of an hour); --baselines=none skips them. Also times two unrelated 256 KB
 * pseudo-JS files. Prints a Markdown table and writes it to bench/results.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { diff } from 'fast-myers-diff';
import { diffTexts } from '../src/diff/engine.js';
import { encodeJsonPatch } from '../src/patch/json-form.js';
import type { Op } from '../src/patch/ops.js';
import { integrityOf } from '../src/text/integrity.js';
import { pseudoJs } from './pseudo-js.js';
import { runIfMain } from './run-if-main.js';

const DATA = fileURLToPath(new URL('../../shared/data/jquery-dist/', import.meta.url));
const FILES = ['jquery.js', 'jquery.min.js', 'jquery.slim.js', 'jquery.slim.min.js'];
const NEWEST = 12;
const CAP_MS = 60_000;
/** Pairs given the raw baselines by default: smallest and largest steps, readable and minified. */
const SAMPLE = new Set(['jquery.js 11', 'jquery.js 01', 'jquery.js 08', 'jquery.min.js 11', 'jquery.min.js 01', 'jquery.slim.min.js 08']);

interface Pair {
  file: string;
  from: string;
  oldText: string;
  newText: string;
  header: Parameters<typeof encodeJsonPatch>[0];
}

interface Row {
  label: string;
  newKb: number;
  engineMs: number;
  engineGz: number | undefined; // undefined: engine said ok:false
  unlimitedGz: number; // engine with maxPatchRatio = Infinity: a patch for every pair
  fullGz: number;
  lineMs: number;
  lineGz: number;
  raw: Map<RawBaseline, string>;
}

/** Raw character-level baselines, run by diff-baseline-worker.mjs. */
type RawBaseline = 'chars-myers' | 'jsdiff-chars';
type RawOp = [number, number] | string;

const pad = (n: number) => String(n).padStart(2, '0');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
const gz = (text: string) => gzipSync(text).length;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

function loadPairs(): Pair[] {
  const shas = new Map(readFileSync(`${DATA}/versions.tsv`, 'utf8').trim().split('\n').map((line) => line.split('\t').slice(0, 2) as [string, string]));
  const pairs: Pair[] = [];
  for (const file of FILES) {
    const newText = readFileSync(`${DATA}/versions/${NEWEST}/dist/${file}`, 'utf8');
    for (let v = 1; v < NEWEST; v++) {
      const oldText = readFileSync(`${DATA}/versions/${pad(v)}/dist/${file}`, 'utf8');
      const header = {
        asset: `dist/${file}`,
        from: shas.get(pad(v)) ?? '',
        to: shas.get(pad(NEWEST)) ?? '',
        fromIntegrity: integrityOf(oldText),
        toIntegrity: integrityOf(newText),
        toLength: newText.length,
      };
      pairs.push({ file, from: pad(v), oldText, newText, header });
    }
  }
  return pairs;
}

function lineTokens(text: string): { ids: string[]; starts: number[] } {
  const ids: string[] = [];
  const starts = [0];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    ids.push(text.slice(at, end));
    starts.push(end);
    at = end;
  }
  return { ids, starts };
}

/** The plain baseline: Myers over interned lines, copies for equal lines, inserts for the rest. */
export function lineBaseline(oldText: string, newText: string): Op[] {
  const [a, b] = [lineTokens(oldText), lineTokens(newText)];
  const intern = new Map<string, number>();
  const id = (line: string) => intern.get(line) ?? (intern.set(line, intern.size), intern.size - 1);
  const [ax, bx] = [Int32Array.from(a.ids, id), Int32Array.from(b.ids, id)];
  const ops: Op[] = [];
  let ai = 0;
  for (const [sx, ex, sy, ey] of diff(ax, bx)) {
    if (sx > ai) ops.push([a.starts[ai]!, a.starts[sx]! - a.starts[ai]!]);
    if (ey > sy) ops.push(newText.slice(b.starts[sy], b.starts[ey]));
    ai = ex;
  }
  if (ai < ax.length) ops.push([a.starts[ai]!, oldText.length - a.starts[ai]!]);
  return ops;
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

function runRaw(kind: RawBaseline, pair: Pair): Promise<string> {
  const task = { kind, oldText: pair.oldText, newText: pair.newText, timeoutMs: CAP_MS };
  const worker = new Worker(new URL('./diff-baseline-worker.mjs', import.meta.url), { workerData: task });
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve('> 60 s')), CAP_MS);
    worker.once('message', (result: { ms: number; ops: RawOp[] | undefined }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (!result.ops) return resolve('> 60 s');
      const bytes = gz(encodeJsonPatch(pair.header, result.ops));
      resolve(`${(result.ms / 1000).toFixed(result.ms < 10_000 ? 2 : 1)} s, ${kb(bytes)} KB`);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      resolve(`error: ${error.message}`);
    });
  });
}

async function measure(pair: Pair, runs: number, raw: boolean): Promise<Row> {
  const times: number[] = [];
  let outcome: ReturnType<typeof diffTexts> | undefined;
  for (let r = 0; r < runs; r++) {
    const [value, ms] = timed(() => diffTexts(pair.oldText, pair.newText));
    [outcome] = [value];
    times.push(ms);
  }
  const lineTimes: number[] = [];
  let lineOps: Op[] = [];
  for (let r = 0; r < runs; r++) {
    const [ops, ms] = timed(() => lineBaseline(pair.oldText, pair.newText));
    [lineOps] = [ops];
    lineTimes.push(ms);
  }
  const unlimited = diffTexts(pair.oldText, pair.newText, { maxPatchRatio: Number.POSITIVE_INFINITY });
  const row: Row = {
    label: `${pair.file} ${pair.from}`,
    newKb: pair.newText.length / 1024,
    engineMs: median(times),
    engineGz: outcome?.ok ? gz(encodeJsonPatch(pair.header, outcome.ops)) : undefined,
    unlimitedGz: unlimited.ok ? gz(encodeJsonPatch(pair.header, unlimited.ops)) : Number.NaN,
    fullGz: gz(pair.newText),
    lineMs: median(lineTimes),
    lineGz: gz(encodeJsonPatch(pair.header, lineOps)),
    raw: new Map(),
  };
  if (raw) for (const kind of ['chars-myers', 'jsdiff-chars'] as const) row.raw.set(kind, await runRaw(kind, pair));
  return row;
}

function table(rows: Row[]): string {
  const lines = [
    '| pair (old -> 12) | new KB | engine ms | engine gz KB | line Myers ms | line Myers gz KB | raw char Myers | jsdiff diffChars |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const engine = r.engineGz === undefined ? `no patch (full ${kb(r.fullGz)})` : kb(r.engineGz);
    const raw = (kind: RawBaseline) => r.raw.get(kind) ?? '-';
    lines.push(`| ${r.label} | ${r.newKb.toFixed(0)} | ${r.engineMs.toFixed(1)} | ${engine} | ${r.lineMs.toFixed(1)} | ${kb(r.lineGz)} | ${raw('chars-myers')} | ${raw('jsdiff-chars')} |`);
  }
  return lines.join('\n');
}

function summary(rows: Row[]): string {
  const ms = rows.map((r) => r.engineMs);
  const lineMs = rows.map((r) => r.lineMs);
  const sum = (pick: (r: Row) => number, of = rows) => of.reduce((s, r) => s + pick(r), 0);
  const patched = rows.filter((r) => r.engineGz !== undefined);
  const lineTotal = sum((r) => r.lineGz);
  const sizeRow = (label: string, engine: number, line: number) => `| ${label} | ${kb(engine)} | ${kb(line)} | ${(engine / line).toFixed(3)} |`;
  return [
    '| summary | engine | line Myers baseline | engine / baseline |',
    '| --- | ---: | ---: | ---: |',
    `| median ms | ${median(ms).toFixed(1)} | ${median(lineMs).toFixed(1)} | |`,
    `| worst ms | ${Math.max(...ms).toFixed(1)} | ${Math.max(...lineMs).toFixed(1)} | |`,
    sizeRow(`total gz KB, ${rows.length} pairs (no patch: the gzipped full file counts)`, sum((r) => r.engineGz ?? r.fullGz), lineTotal),
    sizeRow(`total gz KB, the ${patched.length} pairs the engine patched`, sum((r) => r.engineGz ?? 0, patched), sum((r) => r.lineGz, patched)),
    sizeRow(`total gz KB, ${rows.length} pairs, engine with maxPatchRatio = Infinity`, sum((r) => r.unlimitedGz), lineTotal),
    `| pairs without patch (ok:false at the default maxPatchRatio 0.5) | ${rows.length - patched.length} | 0 | |`,
  ].join('\n');
}

function unrelated(): string {
  const [oldText, newText] = [pseudoJs(1, 256 * 1024), pseudoJs(2, 256 * 1024)];
  const [outcome, ms] = timed(() => diffTexts(oldText, newText));
  diffTexts(oldText.slice(0, 4096), newText.slice(0, 4096));
  const [, lineMs] = timed(() => lineBaseline(oldText, newText));
  const result = outcome.ok ? `ok:true (${outcome.ops.length} ops)` : `ok:false, "${outcome.reason}"`;
  return `Two unrelated 256 KB pseudo-JS files: engine ${ms.toFixed(1)} ms, ${result}; line Myers ${lineMs.toFixed(1)} ms.`;
}

export async function main(args: string[]): Promise<string> {
  if (!existsSync(`${DATA}/versions`)) {
    throw new Error(`no data set at ${DATA}: the benchmark needs ../shared/data/jquery-dist next to the repository`);
  }
  const baselines = args.find((a) => a.startsWith('--baselines='))?.split('=')[1] ?? 'sample';
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 5);
  if (!['sample', 'all', 'none'].includes(baselines) || !(runs >= 1)) throw new Error('usage: diff-engine.ts [--baselines=sample|all|none] [--runs=N]');
  const pairs = loadPairs();
  for (const pair of pairs.slice(0, 3)) diffTexts(pair.oldText, pair.newText); // warm the JIT up
  const rows: Row[] = [];
  for (const pair of pairs) {
    const raw = baselines === 'all' || (baselines === 'sample' && SAMPLE.has(`${pair.file} ${pair.from}`));
    rows.push(await measure(pair, runs, raw));
    process.stderr.write(`${rows.at(-1)?.label}: ${rows.at(-1)?.engineMs.toFixed(1)} ms\n`);
  }
  const report = [
    '# Diff engine benchmark',
    '',
    'The v1 engine (JSON and tab forms). Patch sizes of every form against `zstd --patch-from`, on jQuery and Bootstrap: `bench/patch-size-results.md` (`bench/patch-size.ts`).',
    '',
    `jQuery releases 01..11 -> 12, 4 files (window 11). Engine and line Myers: median of ${runs} runs in this process; engine with default options. ` +
      'gz = gzip of the whole JSON-form patch (header included). Raw baselines: worker threads, capped at 60 s' +
      (baselines === 'sample' ? ', on a sample of pairs.' : '.'),
    `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    summary(rows),
    '',
    unrelated(),
    '',
    table(rows),
    '',
  ].join('\n');
  writeFileSync(new URL('./results.md', import.meta.url), report);
  return report;
}

runIfMain(import.meta.url, main);
