import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import { buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import { applyOps } from '../../src/patch/ops.js';
import { decodeDeltaPatch } from '../../src/patch/delta-form.js';
import { decodeJsonPatch } from '../../src/patch/json-form.js';
import { decodeTabPatch } from '../../src/patch/tab-form.js';
import { createHash } from 'node:crypto';
import type { Manifest } from '../../src/tree/manifest.js';
import { type Changes, applyChanges, changesKey, manifestText } from '../../src/tree/manifest-changes.js';

/**
 * docs/SPEC.md is the wire contract: its examples must be what deltawarm writes and reads. The
 * examples are taken from the document itself, so changing either side alone fails here.
 */
const SPEC = readFileSync(join(import.meta.dirname, '../../docs/SPEC.md'), 'utf8');

/** The body of the section whose heading starts with `## N.` */
function section(n: number): string {
  const start = SPEC.indexOf(`\n## ${n}. `);
  const end = SPEC.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error(`docs/SPEC.md has no section ${n}`);
  return SPEC.slice(start, end < 0 ? undefined : end);
}

const jsonExample = (n: number) => JSON.parse(/```json\n([\s\S]*?)```/.exec(section(n))?.[1] ?? 'null');

/** An object's field names, sorted. */
const keys = (value: object) => Object.keys(value).sort();

describe('docs/SPEC.md examples against a real built-mode tree', () => {
  const repo = createWebAppRepo();
  const out = join(makeTempDir(), 'tree');
  let manifest: Record<string, any>;
  let deploys: Record<string, any>;

  beforeAll(async () => {
    for (const n of [1, 2]) {
      commitDeploy(repo, n);
      await buildDist(repo.dir);
      const run = await runCli(['build', '--dir', 'dist', '--assets', '**/*.{js,css}', '--out', out, '--quiet', '--concurrency', '1'], repo.dir);
      expect(run.code, run.stderr).toBe(0);
    }
    manifest = JSON.parse(readFileSync(join(out, 'manifest/latest.json'), 'utf8'));
    deploys = JSON.parse(readFileSync(join(out, 'manifest/deploys.json'), 'utf8'));
  }, 120_000);

  it('§7: the manifest has exactly the documented fields, at the top, per asset and per patch', () => {
    const example = jsonExample(7);
    expect(keys(manifest)).toEqual(keys(example));
    const exampleAsset = Object.values(example.assets)[0] as Record<string, any>;
    const patched = Object.values(manifest.assets as Record<string, any>).find((asset) => Object.keys(asset.patches).length > 0 && /javascript/.test(asset.contentType));
    expect(patched, 'deploy 2 patches at least one script').toBeDefined();
    expect(keys(patched)).toEqual(keys(exampleAsset));
    expect(keys(Object.values(patched.patches)[0] as object)).toEqual(keys(Object.values(exampleAsset.patches)[0] as object));
    expect(manifest.format).toBe(example.format);
    expect(manifest.mode).toBe('built');
  });

  it('§7.1: the app\'s ES-module chunks are marked "module", its style sheets are not', () => {
    const assets = Object.entries(manifest.assets as Record<string, any>);
    expect(assets.filter(([name]) => name.endsWith('.js')).length).toBeGreaterThan(0);
    for (const [name, asset] of assets) expect(asset.module, name).toBe(name.endsWith('.js') ? true : undefined);
  });

  it('§8: the deploy index has the documented fields, newest first', () => {
    const example = jsonExample(8);
    expect(keys(deploys)).toEqual(keys(example));
    expect(keys(deploys.deploys[0])).toEqual(keys(example.deploys[0]));
    expect(deploys.format).toBe(example.format);
    expect(deploys.deploys.map((d: { release: string }) => d.release)).toEqual([manifest.release, deploys.deploys[1].release]);
    expect(deploys.deploys[0].manifest).toBe(`manifest/${manifest.release}.json`);
  });

  it('§6: every key the manifest names is in the tree with its size, and so is every fixed key the layout lists', () => {
    for (const [name, asset] of Object.entries(manifest.assets as Record<string, any>)) {
      expect(asset.full).toBe(`full/${asset.version}/${name}`);
      expect(readFileSync(join(out, asset.full)).length).toBe(asset.size);
      for (const patch of Object.values(asset.patches as Record<string, { key: string; size: number }>)) {
        expect(patch.key).toMatch(new RegExp(`^patch/[0-9a-f]{40}/${asset.version}/${name}\\.dpatch$`));
        expect(readFileSync(join(out, patch.key)).length).toBe(patch.size);
      }
    }
    const fixedKeys = [...section(6).matchAll(/^\| `([a-z/.-]+\.(?:json|js))` \|/gm)].map((match) => match[1] as string);
    expect(fixedKeys).toEqual(expect.arrayContaining(['manifest/latest.json', 'manifest/deploys.json', 'deltawarm.min.js']));
    for (const key of fixedKeys.filter((key) => key !== 'deltawarm-sw.js')) expect(existsSync(join(out, key)), key).toBe(true);
  });
});

describe('docs/SPEC.md patch examples decode to what the text says', () => {
  it('§3 JSON form: the example ops make old[0..33) + "mn" + old[34..44)', () => {
    const example = jsonExample(3);
    const old = 'x'.repeat(33) + 'Y' + 'z'.repeat(10);
    const patch = decodeJsonPatch(JSON.stringify(example), old);
    expect(applyOps(old, patch.ops)).toBe(old.slice(0, 33) + 'mn' + old.slice(34, 44));
  });

  it('§4 tab form: abcdefg -> acdz', () => {
    const line = /`abcdefg` ->\s+`acdz` is `([^`]+)`/.exec(section(4))?.[1];
    expect(line).toBeDefined();
    expect(applyOps('abcdefg', decodeTabPatch(line as string, 'abcdefg'))).toBe('acdz');
  });

  it('§10 delta form: abcdefgh -> xabcdYefgh', () => {
    const match = /old `(\w+)`, new `(\w+)`\s+is `([^`]+)`/.exec(section(10));
    expect(match).not.toBeNull();
    const [, old, expected, escaped] = match as RegExpExecArray;
    const patch = (escaped as string).replace(/\\n/g, '\n');
    expect(applyOps(old as string, decodeDeltaPatch(patch, old as string))).toBe(expected);
  });
});

describe('docs/SPEC.md §12: head and changes objects against a real built-mode tree', () => {
  const repo = createWebAppRepo();
  const out = join(makeTempDir(), 'tree');
  const releases: string[] = [];
  const read = (key: string) => readFileSync(join(out, key), 'utf8');
  const manifestOf = (release: string) => JSON.parse(read(`manifest/${release}.json`)) as Manifest;

  beforeAll(async () => {
    for (const n of [1, 2, 3]) {
      releases.unshift(commitDeploy(repo, n));
      await buildDist(repo.dir);
      const run = await runCli(['build', '--dir', 'dist', '--assets', '**/*.{js,css}', '--out', out, '--quiet', '--concurrency', '1'], repo.dir);
      expect(run.code, run.stderr).toBe(0);
    }
  }, 120_000);

  it('the head has the documented fields; it vouches for the newest manifest and chains every deploy', () => {
    const head = JSON.parse(read('manifest/head.json'));
    expect(keys(head)).toEqual(keys(jsonExample(12)));
    expect(head).toEqual({ format: 'deltawarm-head/1', release: releases[0], manifest: `sha256-${createHash('sha256').update(readFileSync(join(out, `manifest/${releases[0]}.json`))).digest('base64')}`, chain: releases });
    expect(read('manifest/latest.json')).toBe(read(`manifest/${releases[0]}.json`));
  });

  it('each changes object has the documented fields, and applied oldest first gives the newest manifest byte for byte', () => {
    const example = /```json\n[\s\S]*?```[\s\S]*?```json\n([\s\S]*?)```/.exec(section(12))![1]!;
    let manifest = manifestOf(releases[2]!);
    for (const [from, to] of [[releases[2]!, releases[1]!], [releases[1]!, releases[0]!]] as const) {
      const changes = JSON.parse(read(changesKey(from, to))) as Changes;
      expect(keys(changes)).toEqual(keys(JSON.parse(example.replace(/"\.\.\."/g, '"x"'))));
      expect([changes.format, changes.from, changes.to]).toEqual(['deltawarm-changes/1', from, to]);
      expect(Object.keys(changes.set).length).toBeLessThan(Object.keys(manifestOf(to).assets).length + 1);
      manifest = applyChanges(manifest, changes);
      expect(manifestText(manifest)).toBe(read(`manifest/${to}.json`));
    }
  });

  it('a changed value anywhere in a changes object gives a manifest the head does not vouch for', () => {
    const head = JSON.parse(read('manifest/head.json')) as { manifest: string };
    const previous = manifestOf(releases[1]!);
    const text = read(changesKey(releases[1]!, releases[0]!));
    const integrityOf = (changes: Changes) => {
      try {
        return `sha256-${createHash('sha256').update(manifestText(applyChanges(previous, changes))).digest('base64')}`;
      } catch {
        return 'threw';
      }
    };
    expect(integrityOf(JSON.parse(text))).toBe(head.manifest);
    // Every number and string of the asset entries altered in turn: none gives the vouched-for manifest.
    const [from, to] = [text.indexOf('"set":'), text.indexOf('"removed":')];
    let mutants = 0;
    for (const match of text.slice(from, to).matchAll(/\d+|"[^"]*"/g)) {
      const value = match[0];
      const at = from + match.index;
      const other = value.startsWith('"') ? `"${value.slice(1, -1)}x"` : String(Number(value) + 1);
      const mutant = JSON.parse(text.slice(0, at) + other + text.slice(at + value.length)) as Changes;
      expect(integrityOf(mutant), `${value} -> ${other}`).not.toBe(head.manifest);
      mutants++;
    }
    expect(mutants).toBeGreaterThan(5);
    // Cut short, it is not JSON: the reader reads latest.json instead.
    expect(() => JSON.parse(text.slice(0, text.length / 2))).toThrow();
  });
});
