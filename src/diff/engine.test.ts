import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prng, pseudoJs } from '../../bench/pseudo-js.js';
import { decodeDeltaPatch, encodeDeltaPatch } from '../patch/delta-form.js';
import { decodeJsonPatch, encodeJsonPatch } from '../patch/json-form.js';
import { type Op, applyOps, findInvalidOp, normalizeOps, splitsSurrogatePair } from '../patch/ops.js';
import { decodeTabPatch, encodeTabPatch } from '../patch/tab-form.js';
import { type DiffOptions, diffTexts, diffTextsAnywhere } from './engine.js';

const ALWAYS = { maxPatchRatio: Number.POSITIVE_INFINITY, budgetMs: 60_000, timeLimitMs: 600_000 };

function mustDiff(oldText: string, newText: string, options: DiffOptions = ALWAYS): Op[] {
  const outcome = diffTexts(oldText, newText, options);
  if (!outcome.ok) throw new Error(`diff failed: ${outcome.reason}`);
  return outcome.ops;
}

const header = { asset: 'dist/a.js', from: 'a'.repeat(40), to: 'b'.repeat(40), fromIntegrity: 'sha256-a', toIntegrity: 'sha256-b', toLength: 0 };

/** Every property the engine promises, and a round trip through both forms. Returns a problem or undefined. */
function checkPatch(oldText: string, newText: string, ops: Op[]): string | undefined {
  const invalid = findInvalidOp(ops, oldText);
  if (invalid) return invalid;
  if (applyOps(oldText, ops) !== newText) return 'ops do not rebuild the new text';
  if (JSON.stringify(normalizeOps(ops)) !== JSON.stringify(ops)) return 'ops are not normalized';
  let end = 0;
  for (const op of ops) {
    if (typeof op === 'string') continue;
    if (op[0] < end) return 'copies go backwards';
    end = op[0] + op[1];
  }
  const tab = encodeTabPatch(ops, oldText.length);
  const fromTab = decodeTabPatch(tab, oldText);
  if (JSON.stringify(fromTab) !== JSON.stringify(ops)) return 'tab form does not decode to the same ops';
  const json = decodeJsonPatch(encodeJsonPatch({ ...header, toLength: newText.length }, ops), oldText);
  if (applyOps(oldText, json.ops) !== newText) return 'JSON form does not rebuild the new text';
  return undefined;
}

// ---- random texts and edits -------------------------------------------------------------

const ATOMS = ['a', 'b', 'foo', 'bar', ' ', '  ', '\t', '\\', '\\t', ';', '{', '}', ',', '"', 'é', 'ß', '中文', '\u{1F600}', '\u{1F601}', '\u{1F44D}\u{1F3FD}', '\r\n', '\n', '\n', 'x = 1', 'return'];

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, xs: readonly T[]): T => xs[int(random, xs.length)] as T;

function randomText(random: Random, atoms: number): string {
  let out = '';
  for (let i = 0; i < atoms; i++) out += pick(random, ATOMS);
  return out;
}

/** A random position in `text` on a code point boundary. */
function position(random: Random, text: string): number {
  const at = int(random, text.length + 1);
  return splitsSurrogatePair(text, at) ? at - 1 : at;
}

function randomBase(random: Random): string {
  const lines: string[] = [];
  const count = int(random, 30);
  for (let i = 0; i < count; i++) {
    lines.push(i > 0 && random() < 0.2 ? (pick(random, lines) as string) : randomText(random, int(random, 12)) + '\n');
  }
  const joined = lines.join('');
  return random() < 0.3 ? joined.replace(/\n/g, ';') : joined; // sometimes one minified-like line
}

function edit(random: Random, text: string): string {
  const [x, y] = [position(random, text), position(random, text)].sort((p, q) => p - q) as [number, number];
  switch (int(random, 5)) {
    case 0: // insert
      return text.slice(0, x) + randomText(random, 1 + int(random, 8)) + text.slice(x);
    case 1: // delete
      return text.slice(0, x) + text.slice(y);
    case 2: // replace
      return text.slice(0, x) + randomText(random, int(random, 8)) + text.slice(y);
    case 3: {
      // move a block
      const block = text.slice(x, y);
      const rest = text.slice(0, x) + text.slice(y);
      const at = position(random, rest);
      return rest.slice(0, at) + block + rest.slice(at);
    }
    default: {
      // duplicate a block
      const at = position(random, text);
      return text.slice(0, at) + text.slice(x, y) + text.slice(at);
    }
  }
}

function randomPair(seed: number): [string, string] {
  const random = prng(seed);
  const oldText = random() < 0.05 ? '' : randomBase(random);
  let newText = random() < 0.05 ? randomBase(random) : oldText;
  const edits = int(random, 6);
  for (let i = 0; i < edits; i++) newText = edit(random, newText);
  return [oldText, newText];
}

/** Shuffled lines, few distinct tokens, random letters: inputs that defeat line and token alignment. */
function adversarialPairs(): Array<[string, string]> {
  const random = prng(5);
  const lines = pseudoJs(3, 100_000).split('\n').map((line) => line + '\n');
  const shuffled = [...lines].sort(() => random() - 0.5);
  const fewTokens = () => Array.from({ length: 8000 }, () => pick(random, ['a;\n', 'b;\n', '}\n', '{\n'])).join('');
  const letters = () => Array.from({ length: 50_000 }, () => pick(random, ['a', 'b', 'c', 'd'])).join('');
  return [
    [lines.join(''), shuffled.join('')],
    [fewTokens(), fewTokens()],
    [letters(), letters()],
  ];
}

describe('diffTexts', () => {
  it('round-trips thousands of random edits through both forms', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 3000 && failures.length < 5; seed++) {
      const [oldText, newText] = randomPair(seed);
      const outcome = diffTexts(oldText, newText, ALWAYS);
      const problem = outcome.ok ? checkPatch(oldText, newText, outcome.ops) : `not ok: ${outcome.reason}`;
      if (problem) failures.push(`seed ${seed}: ${problem}: ${JSON.stringify([oldText, newText])}`);
    }
    expect(failures).toEqual([]);
  });

  it('handles the special cases exactly', () => {
    expect(diffTexts('', '')).toEqual({ ok: true, ops: [] });
    expect(diffTexts('same', 'same')).toEqual({ ok: true, ops: [[0, 4]] });
    expect(diffTexts('gone', '', ALWAYS)).toEqual({ ok: true, ops: [] });
    expect(diffTexts('', 'new', ALWAYS)).toEqual({ ok: true, ops: ['new'] });
  });

  it('never splits a surrogate pair at the common ends', () => {
    // U+1F600 and U+1F601 share their high surrogate; U+1F600 and U+2F600 their low one.
    for (const [oldText, newText] of [
      ['x'.repeat(30) + '\u{1F600}' + 'y'.repeat(30), 'x'.repeat(30) + '\u{1F601}' + 'y'.repeat(30)],
      ['x'.repeat(30) + '\u{1F600}' + 'y'.repeat(30), 'x'.repeat(30) + '\u{2F600}' + 'y'.repeat(30)],
      ['\u{1F600}'.repeat(20), '\u{1F601}'.repeat(20)],
    ] as const) {
      const ops = mustDiff(oldText, newText);
      expect(checkPatch(oldText, newText, ops)).toBeUndefined();
    }
  });

  it('gives a small patch for a small edit of a minified line', () => {
    const oldText = pseudoJs(7, 60_000, true);
    expect(oldText).not.toContain('\n');
    const middle = oldText.indexOf(';', 30_000);
    const newText = oldText.slice(0, middle) + ';const added = 42' + oldText.slice(middle + 1, 45_000) + oldText.slice(45_020);
    const outcome = diffTexts(oldText, newText);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(checkPatch(oldText, newText, outcome.ops)).toBeUndefined();
    expect(JSON.stringify(outcome.ops).length).toBeLessThan(100);
  });

  it('keeps the patch of many small edits of a large file far smaller than the file', () => {
    const oldText = pseudoJs(3, 250_000);
    const random = prng(99);
    let newText = oldText;
    for (let i = 0; i < 40; i++) {
      const at = position(random, newText);
      newText = newText.slice(0, at) + randomText(random, 3) + newText.slice(at + int(random, 20));
    }
    const ops = mustDiff(oldText, newText, {});
    expect(checkPatch(oldText, newText, ops)).toBeUndefined();
    expect(JSON.stringify(ops).length).toBeLessThan(oldText.length / 50);
  });

  it('finds the edits inside changed lines, not just the lines', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `\tconst value${i} = compute(${i}, "some fairly long argument text", options);\n`);
    const oldText = lines.join('');
    const newText = lines.map((line, i) => (i % 10 === 0 ? line.replace('compute', 'calculate') : line)).join('');
    const ops = mustDiff(oldText, newText, {});
    const inserted = ops.filter((op) => typeof op === 'string').join('');
    expect(inserted.length).toBeLessThan(20 * 'calculate'.length + 20 * 12);
  });

  it('stays correct on adversarial inputs: shuffled lines, few distinct tokens, random letters', () => {
    for (const [oldText, newText] of adversarialPairs()) {
      for (const options of [{}, ALWAYS]) {
        const outcome = diffTexts(oldText, newText, options);
        if (outcome.ok) expect(checkPatch(oldText, newText, outcome.ops)).toBeUndefined();
        else expect(outcome.reason).toMatch(/too different|budget/);
      }
    }
  });

  it('gives up on unrelated large files instead of producing a patch', () => {
    const outcome = diffTexts(pseudoJs(1, 256 * 1024), pseudoJs(2, 256 * 1024));
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/too different|budget/) });
  });

  it('gives up when the time limit is spent', () => {
    const oldText = pseudoJs(5, 20_000);
    const outcome = diffTexts(oldText, oldText.replace('value', 'other'), { timeLimitMs: -1 });
    expect(outcome).toEqual({ ok: false, reason: 'over time limit (-1 ms)' });
  });

  it('gives up when the inserted text would exceed maxPatchRatio', () => {
    const oldText = 'a'.repeat(100);
    const newText = 'a'.repeat(50) + 'b'.repeat(60);
    expect(diffTexts(oldText, newText, { maxPatchRatio: 0.5 }).ok).toBe(false);
    expect(diffTexts(oldText, newText, { maxPatchRatio: 0.6 }).ok).toBe(true);
  });

  it('gives the same ops every time for the same input', () => {
    const oldText = pseudoJs(11, 80_000, true);
    const newText = pseudoJs(11, 80_000, true).replace(/value/g, 'val');
    expect(diffTexts(oldText, newText, ALWAYS)).toEqual(diffTexts(oldText, newText, ALWAYS));
  });
});

/** The delta form's promises: valid ops that rebuild the new text, and a lossless round trip. */
function checkDeltaPatch(oldText: string, newText: string, ops: Op[]): string | undefined {
  const invalid = findInvalidOp(ops, oldText);
  if (invalid) return invalid;
  if (applyOps(oldText, ops) !== newText) return 'ops do not rebuild the new text';
  const decoded = decodeDeltaPatch(encodeDeltaPatch(ops, oldText.length), oldText);
  return applyOps(oldText, decoded) === newText ? undefined : 'delta form does not rebuild the new text';
}

function mustDiffAnywhere(oldText: string, newText: string): Op[] {
  const outcome = diffTextsAnywhere(oldText, newText);
  if (!outcome.ok) throw new Error(`diff failed: ${outcome.reason}`);
  expect(checkDeltaPatch(oldText, newText, outcome.ops)).toBeUndefined();
  return outcome.ops;
}

const deltaBytes = (oldText: string, ops: Op[]) => encodeDeltaPatch(ops, oldText.length).length;

describe('diffTextsAnywhere (the delta form engine)', () => {
  it('round-trips thousands of random edits (emoji, CRLF, moved and duplicated blocks, empty texts)', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 4000 && failures.length < 5; seed++) {
      const [oldText, newText] = randomPair(seed);
      const outcome = diffTextsAnywhere(oldText, newText);
      const problem = outcome.ok ? checkDeltaPatch(oldText, newText, outcome.ops) : `not ok: ${outcome.reason}`;
      if (problem) failures.push(`seed ${seed}: ${problem}: ${JSON.stringify([oldText, newText])}`);
    }
    expect(failures).toEqual([]);
  });

  it('handles empty texts', () => {
    expect(mustDiffAnywhere('', '')).toEqual([]);
    expect(mustDiffAnywhere('gone', '')).toEqual([]);
    expect(mustDiffAnywhere('', 'new')).toEqual(['new']);
  });

  it('copies a moved block from where it was instead of inserting it', () => {
    const blocks = Array.from({ length: 6 }, (_, i) => pseudoJs(20 + i, 4_000));
    const oldText = blocks.join('');
    const newText = [blocks[4], blocks[0], blocks[1], blocks[2], blocks[3], blocks[5]].join('');
    const ops = mustDiffAnywhere(oldText, newText);
    expect(ops.every((op) => typeof op !== 'string')).toBe(true);
    expect(deltaBytes(oldText, ops)).toBeLessThan(60);
  });

  it('never splits a surrogate pair', () => {
    for (const [oldText, newText] of [
      ['x'.repeat(30) + '\u{1F600}' + 'y'.repeat(30), 'x'.repeat(30) + '\u{1F601}' + 'y'.repeat(30)],
      ['x'.repeat(30) + '\u{1F600}' + 'y'.repeat(30), 'x'.repeat(30) + '\u{2F600}' + 'y'.repeat(30)],
      ['\u{1F600}'.repeat(20), '\u{1F601}'.repeat(20)],
      ['ab\u{1F600}cdefghijklmnop\u{1F600}', 'zz\u{1F600}cdefghijklmnop\u{1F601}'],
    ] as const) {
      mustDiffAnywhere(oldText, newText);
    }
  });

  it('gives a small patch for renamed identifiers in a minified line', () => {
    const oldText = pseudoJs(7, 60_000, true);
    const newText = oldText.replace(/value/g, 'v').replace(/handler/g, 'h');
    expect(deltaBytes(oldText, mustDiffAnywhere(oldText, newText))).toBeLessThan(newText.length / 4);
  });

  it('stays correct on adversarial inputs: shuffled lines, few distinct tokens, random letters', () => {
    for (const [oldText, newText] of adversarialPairs()) {
      mustDiffAnywhere(oldText, newText);
    }
  });

  it('gives up when the work budget or the time limit is spent', () => {
    const [oldText, newText] = [pseudoJs(1, 64 * 1024), pseudoJs(2, 64 * 1024)];
    expect(diffTextsAnywhere(oldText, newText, { budgetMs: 1 })).toMatchObject({ ok: false, reason: expect.stringMatching(/over the work budget/) });
    expect(diffTextsAnywhere(oldText, newText, { timeLimitMs: -1 })).toEqual({ ok: false, reason: 'over time limit (-1 ms)' });
  });

  it('gives the same bytes every time for the same input', () => {
    const oldText = pseudoJs(11, 80_000, true);
    const newText = pseudoJs(12, 20_000, true) + oldText.replace(/value/g, 'val');
    const encode = () => encodeDeltaPatch(mustDiffAnywhere(oldText, newText), oldText.length);
    expect(encode()).toBe(encode());
  });
});

// ---- real releases, when the shared data set is present ----------------------------------

const DATA = fileURLToPath(new URL('../../../shared/data/jquery-dist/versions', import.meta.url));
const hasData = existsSync(DATA);
const read = (version: string, file: string) => readFileSync(`${DATA}/${version}/dist/${file}`, 'utf8');

describe.skipIf(!hasData)('diffTexts on real jQuery releases', () => {
  for (const file of ['jquery.js', 'jquery.min.js', 'jquery.slim.js', 'jquery.slim.min.js']) {
    for (const from of ['01', '08', '11']) {
      it(`${file} ${from} -> 12`, () => {
        const [oldText, newText] = [read(from, file), read('12', file)];
        const ops = mustDiff(oldText, newText);
        expect(checkPatch(oldText, newText, ops)).toBeUndefined();
        // A year of releases rewrites much of a minified file; one step changes a few bytes.
        expect(JSON.stringify(ops).length).toBeLessThan(from === '11' ? 1_000 : newText.length);
      });

      it(`${file} ${from} -> 12, delta form`, () => {
        const [oldText, newText] = [read(from, file), read('12', file)];
        const ops = mustDiffAnywhere(oldText, newText);
        expect(deltaBytes(oldText, ops)).toBeLessThan(from === '11' ? 1_000 : newText.length / 2);
      });
    }
  }
});
