import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestAsset } from './manifest.js';
import { headObjects } from './head-objects.js';
import { type Changes, type Head, applyChanges, changesKey, manifestText } from './manifest-changes.js';

const sha = (n: number) => n.toString(16).padStart(40, '0');

const entry = (path: string, version: number, patches: number[], extra: Partial<ManifestAsset> = {}): ManifestAsset => ({
  version: sha(version),
  size: 100 + version,
  integrity: `sha256-${path}-${version}`,
  contentType: 'text/javascript; charset=utf-8',
  text: true,
  full: `full/${sha(version)}/${path}`,
  url: path.replace('.js', `.${version}.js`),
  patches: Object.fromEntries(patches.map((from) => [sha(from), { key: `patch/${sha(from)}/${sha(version)}/${path}.dpatch`, size: 10 + from, fromIntegrity: `sha256-${path}-${from}` }])),
  ...extra,
});

const manifest = (release: number, assets: Record<string, ManifestAsset>): Manifest => ({
  format: 'deltawarm-manifest/1',
  release: sha(release),
  createdAt: `2026-01-0${release}T00:00:00.000Z`,
  mode: 'built',
  cdns: [],
  patchFormat: 'delta',
  assets,
});

const bytes = (m: Manifest) => new TextEncoder().encode(manifestText(m));
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body));

describe('head and changes objects', () => {
  it('carries ES-module marks (SPEC §7.1): kept from the previous entry, set, and taken away', () => {
    // In the field order every writer uses: `module` before `patches`.
    const module = ({ patches, ...rest }: ManifestAsset): ManifestAsset => ({ ...rest, module: true, patches });
    const before = manifest(1, { 'a.js': module(entry('a.js', 1, [])), 'b.js': module(entry('b.js', 1, [])), 'c.js': entry('c.js', 1, []) });
    const after = manifest(2, { 'a.js': module(entry('a.js', 2, [1])), 'b.js': entry('b.js', 2, [1]), 'c.js': module(entry('c.js', 2, [1])) });
    const [changesObject] = headObjects(after, bytes(after), { manifest: before, chain: [sha(1)] });
    expect(changesObject!.key).toBe(changesKey(sha(1), sha(2)));
    const changes = decode(changesObject!.body) as Changes;
    expect([changes.set['a.js']![5], changes.set['b.js']![5], changes.set['c.js']![5]]).toEqual([undefined, { module: false }, { module: true }]);
    expect(manifestText(applyChanges(before, changes))).toBe(manifestText(after));
  });

  const r1 = manifest(1, { 'a.js': entry('a.js', 1, []), 'b.js': entry('b.js', 1, []), 'gone.js': entry('gone.js', 1, []) });
  const r2 = manifest(2, { 'a.js': entry('a.js', 2, [1]), 'b.js': entry('b.js', 1, []), 'c.css': entry('c.css', 2, [], { contentType: 'text/css; charset=utf-8' }) });

  it('lists only what changed, and applied to the previous manifest gives the new one byte for byte', () => {
    const objects = headObjects(r2, bytes(r2), { manifest: r1, chain: [sha(1)] });
    expect(objects.map((object) => [object.key, object.cacheControl])).toEqual([
      [changesKey(sha(1), sha(2)), 'public, max-age=31536000, immutable'],
      ['manifest/head.json', 'no-cache'],
    ]);
    const changes = decode(objects[0]!.body) as Changes;
    expect(Object.keys(changes.set).sort()).toEqual(['a.js', 'c.css']);
    expect(changes.removed).toEqual(['gone.js']);
    // a.js's patch from version 1 derives its fromIntegrity from the previous entry; c.css is new, so its type is given
    expect(changes.set['a.js']![4]).toEqual([[changes.versions.indexOf(sha(1)), 11]]);
    expect(changes.set['c.css']![5]).toEqual({ contentType: 'text/css; charset=utf-8', text: true });
    expect(manifestText(applyChanges(r1, changes))).toBe(manifestText(r2));
    const head = decode(objects[1]!.body) as Head;
    expect(head.chain).toEqual([sha(2), sha(1)]);
    expect(head.manifest).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  });

  it('a first deploy, a re-run and changes that cannot say everything: no changes object, and the chain starts again or stays', () => {
    expect(headObjects(r1, bytes(r1), undefined).map((object) => object.key)).toEqual(['manifest/head.json']);
    const rerun = headObjects(r2, bytes(r2), { manifest: r2, chain: [sha(2), sha(1)] });
    expect(rerun.map((object) => object.key)).toEqual(['manifest/head.json']);
    expect((decode(rerun[0]!.body) as Head).chain).toEqual([sha(2), sha(1)]);
    // a field the changes form cannot carry (another CDN list) makes the publisher leave the changes out
    const moved = { ...r2, cdns: ['https://cdn.example/'] };
    const objects = headObjects(moved, bytes(moved), { manifest: r1, chain: [sha(1)] });
    expect(objects.map((object) => object.key)).toEqual(['manifest/head.json']);
    expect((decode(objects[0]!.body) as Head).chain).toEqual([sha(2)]);
  });

  it('a rollback to a release in the chain cuts the chain where that release was', () => {
    const r3 = manifest(3, { ...r2.assets, 'b.js': entry('b.js', 3, [1]) });
    const back = manifest(1, r1.assets);
    const objects = headObjects(back, bytes(back), { manifest: r3, chain: [sha(3), sha(2), sha(1)] });
    expect(objects.map((object) => object.key)).toEqual([changesKey(sha(3), sha(1)), 'manifest/head.json']);
    expect((decode(objects[1]!.body) as Head).chain).toEqual([sha(1), sha(3), sha(2)]);
  });
});
