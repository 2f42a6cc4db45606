import { describe, expect, it } from 'vitest';
import { parseDeployIndex } from './deploy-index.js';
import { readHistoryManifest } from './deploy-history.js';
import { isVersion, pathProblem, prefixProblem } from './read-back.js';
import { integrityOf } from '../text/integrity.js';

const sha = (c: string) => c.repeat(40);
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const entry = (release: string, manifest = `manifest/${release}.json`) => ({ release, createdAt: '2026-11-21T10:00:00.000Z', manifest });

describe('values read back', () => {
  it('versions are 40-hex commit IDs and nothing else', () => {
    expect(isVersion(sha('a'))).toBe(true);
    for (const bad of [sha('A'), `${sha('a')}\n`, 'a'.repeat(64), 'a'.repeat(300), '../../x', '', 42, undefined]) expect(isVersion(bad)).toBe(false);
  });

  it('paths and prefixes are relative, without empty, "." or ".." segments, control characters or backslashes', () => {
    for (const good of ['assets/index.js', 'a/b c/ü.js', '..x/y..']) expect(pathProblem(good)).toBeUndefined();
    for (const bad of ['../x', 'a/../x', '/etc/passwd', 'a//b', './a', 'a/.', 'a\nb', 'a\\b', '', `${'x'.repeat(256)}/a`, 'x/'.repeat(600)]) expect(pathProblem(bad), bad).toBeDefined();
    expect(prefixProblem('/static/v1/')).toBeUndefined();
    expect(prefixProblem('')).toBeUndefined();
    expect(prefixProblem('static/../..')).toMatch(/"static\/\.\.\/\.\." has an empty, "\." or "\.\." segment/);
  });

  it('a deploy index keeps the valid deploys and says why each other one was skipped; with none left it is an error', () => {
    const read = parseDeployIndex(bytes({ format: 'deltawarm-deploys/1', deploys: [entry(sha('1')), entry(sha('2'), '../../etc/hostname'), entry('../x'), { ...entry(sha('3')), createdAt: 'yesterday' }, entry(sha('1'))] }), 'here');
    expect(read.index.deploys).toEqual([entry(sha('1'))]);
    expect(read.skipped).toEqual([
      `deploy 2 of the index: its manifest "../../etc/hostname" is not manifest/${sha('2')}.json; skipped`,
      'deploy 3 of the index: its release "../x" is not a 40-hex commit ID; skipped',
      'deploy 4 of the index: its createdAt "yesterday" is not an ISO 8601 UTC time; skipped',
      `deploy 5 of the index: release ${sha('1')} is listed twice; skipped`,
    ]);
    expect(() => parseDeployIndex(bytes({ format: 'deltawarm-deploys/1', deploys: [entry(sha('2'), '/etc/passwd')] }), 'here')).toThrow(/the deploy index here is not valid: no deploy in it is usable/);
  });

  it('a manifest keeps only checked asset entries, with `full` computed, never an inherited property', () => {
    const integrity = integrityOf('x');
    const good = { version: sha('b'), integrity, full: `full/${sha('b')}/a.js`, patches: { [sha('c')]: { key: 'anything', size: 3, fromIntegrity: integrity } } };
    const manifest = {
      format: 'deltawarm-manifest/1',
      release: sha('1'),
      patchFormat: 'delta',
      assets: { 'a.js': good, 'b.js': { ...good, full: `full/${sha('b')}/../../b.js` }, '../c.js': good, 'd.js': { ...good, version: `${sha('b')}\nHEAD` } },
    };
    const read = readHistoryManifest(bytes(manifest), entry(sha('1')));
    if (typeof read === 'string') throw new Error(read);
    expect(Object.keys(read.manifest.assets)).toEqual(['a.js']);
    expect(read.manifest.assets['a.js']?.patches[sha('c')]).toEqual({ key: `patch/${sha('c')}/${sha('b')}/a.js.dpatch`, size: 3, fromIntegrity: integrity });
    expect(read.manifest.assets.constructor).toBeUndefined();
    expect(read.skipped).toHaveLength(3);
    expect(readHistoryManifest(bytes({ ...manifest, release: sha('2') }), entry(sha('1')))).toMatch(/its release .* is not the deploy's/);
  });
});
