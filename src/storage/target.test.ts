import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { StoredObject } from '../tree/stored-object.js';
import { objectsFor, parseTargets } from './target.js';

const parse = (targets: unknown) => parseTargets(targets, 'config x.json');

describe('storage targets', () => {
  it('reads every field, with defaults for prefix and parts', () => {
    expect(parse([{ name: 'r2', bucket: 'assets', endpoint: 'https://acc.r2.cloudflarestorage.com', region: 'auto', envPrefix: 'R2_' }, { name: 'aws', bucket: 'backup.example', prefix: 'static/', parts: 'full', profile: 'ci', forcePathStyle: false }])).toEqual([
      { name: 'r2', bucket: 'assets', prefix: '', parts: 'all', endpoint: 'https://acc.r2.cloudflarestorage.com', region: 'auto', envPrefix: 'R2_' },
      { name: 'aws', bucket: 'backup.example', prefix: 'static/', parts: 'full', profile: 'ci', forcePathStyle: false },
    ]);
  });

  it.each([
    [[], /targets must be a non-empty array/],
    [[{ bucket: 'b-1' }], /targets\[0\]: "name" is required/],
    [[{ name: 'a', bucket: 'Bad_Bucket' }], /"Bad_Bucket" is not a valid bucket name/],
    [[{ name: 'a', bucket: 'bkt', parts: 'patches' }], /parts must be "all" or "full"/],
    [[{ name: 'a', bucket: 'bkt', endpoint: 'ftp://x' }], /endpoint must be http\(s\)/],
    [[{ name: 'a', bucket: 'bkt', endpoint: 'https://key:secret@host' }], /endpoint must not carry credentials/],
    [[{ name: 'a', bucket: 'bkt', secretAccessKey: 'x' }], /"secretAccessKey" is not allowed; use profile, envPrefix or the AWS default credential chain/],
    [[{ name: 'a', bucket: 'bkt', profile: 'p', envPrefix: 'R2_' }], /profile or envPrefix, not both/],
    [[{ name: 'a', bucket: 'bkt', envPrefix: 'R2-' }], /not an environment variable prefix/],
    [[{ name: 'a', bucket: 'bkt', acl: 'public-read' }], /unknown field "acl"/],
    [[{ name: 'a', bucket: 'bkt' }, { name: 'a', bucket: 'other' }], /two targets are named "a"/],
  ])('rejects %j', (targets, message) => {
    expect(() => parse(targets)).toThrow(UsageError);
    expect(() => parse(targets)).toThrow(message);
  });

  it('a full-only target takes full files and nothing else', () => {
    const object = (key: string) => ({ key }) as StoredObject;
    const objects = ['full/a/x.js', 'patch/a/b/x.js.json', 'manifest/b.json', 'manifest/latest.json'].map(object);
    const [all, full] = parse([{ name: 'a', bucket: 'bkt' }, { name: 'f', bucket: 'bkt', parts: 'full' }]);
    expect(objectsFor(all!, objects).map((o) => o.key)).toHaveLength(4);
    expect(objectsFor(full!, objects).map((o) => o.key)).toEqual(['full/a/x.js']);
  });
});
