import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../../fixtures/git-fixture.js';
import { awkwardContent, linearSite } from '../../fixtures/histories.js';
import { publish } from '../../src/storage/publish.js';
import { LATEST_MANIFEST_KEY, prefixed } from '../../src/tree/layout.js';
import { gitOldText } from '../../src/verify/git-old-text.js';
import { loadManifest } from '../../src/verify/load-manifest.js';
import { verify } from '../../src/verify/verify.js';
import { warm } from '../../src/warm/warm.js';
import { type Cdn, nginxAvailable, startCdn } from './support/nginx-cdn.js';
import { type TestRelease, releaseFromRepo } from './support/release.js';
import { type S3TestServer, adminClient, createBucket, requireServer, server, targetFor, testEnv } from './support/s3.js';

if (server && !nginxAvailable() && process.env.CI) throw new Error('nginx is missing (CI is set): apt-get install -y nginx-light');

describe.skipIf(!server || !nginxAvailable())('warm and verify through two nginx CDNs in front of Ceph RGW', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  let bucket: string;
  let cdnA: Cdn;
  let cdnB: Cdn;
  let site: TestRelease;
  const repo = buildRepo(linearSite);
  let storeBase: string;

  beforeAll(async () => {
    s3 = requireServer();
    admin = adminClient(s3);
    bucket = await createBucket(admin, 'cdn', true);
    [cdnA, cdnB] = await Promise.all([startCdn(s3.endpoint, bucket, 'static'), startCdn(s3.endpoint, bucket, 'static')]);
    storeBase = `${s3.endpoint}/${bucket}/static/`;
    site = releaseFromRepo(repo.dir, ['dist/app.js', 'dist/app.css'], 'json', [cdnA.base, cdnB.base]);
    const published = await publish(site.objects, [targetFor(s3, bucket)], { env: testEnv(s3) });
    expect(published.ok).toBe(true);
  });
  afterAll(async () => {
    await Promise.all([cdnA?.stop(), cdnB?.stop()]);
    admin?.destroy();
  });

  it('warms every object on every CDN: misses first, then hits', async () => {
    const keys = site.objects.map((o) => o.key);
    const first = await warm(keys, [cdnA.base, cdnB.base], { concurrency: 4 });
    for (const cdn of first.cdns) {
      expect(cdn).toMatchObject({ requested: keys.length, ok: keys.length, statuses: { '200': keys.length }, failures: [] });
      expect(cdn.cache.MISS).toBe(keys.length);
    }
    const second = await warm(keys, [cdnA.base, cdnB.base]);
    for (const cdn of second.cdns) {
      expect(cdn.cache.HIT).toBe(keys.length - 1);
      expect(cdn.cache.MISS).toBe(1); // manifest/latest.json is no-cache
    }
  });

  it('verifies through both CDNs, applying every patch to its old version from git', async () => {
    const { manifest } = await loadManifest(cdnA.base + LATEST_MANIFEST_KEY, '/');
    expect(manifest).toEqual(site.manifest);
    const git = await gitOldText(repo.dir);
    try {
      const result = await verify(manifest, { bases: manifest.cdns, oldText: git.oldText });
      const patches = Object.values(manifest.assets).reduce((n, a) => n + Object.keys(a.patches).length, 0);
      expect(patches).toBe(5);
      expect(result.ok).toBe(true);
      for (const base of result.bases) expect(base).toMatchObject({ mismatches: [], applied: patches, checked: 1 + 2 + patches });
    } finally {
      git.close();
    }
  });

  it('verifies the tab form and awkward content (BOM, CRLF, astral, odd paths) straight from the store', async () => {
    const awkward = buildRepo(awkwardContent);
    const texts = ['dist/bom.css', 'dist/crlf.js', 'dist/with space #1?.js', 'dist/ünï/çødé.js'];
    const release = releaseFromRepo(awkward.dir, texts, 'tab');
    const other = await createBucket(admin, 'tab', true);
    expect((await publish(release.objects, [targetFor(s3, other)], { env: testEnv(s3) })).ok).toBe(true);
    const base = `${s3.endpoint}/${other}/static/`;
    const git = await gitOldText(awkward.dir);
    try {
      const applied = await verify(release.manifest, { bases: [base], oldText: git.oldText });
      expect(applied.bases[0]).toMatchObject({ mismatches: [], applied: 4 });
      const validated = await verify(release.manifest, { bases: [base] });
      expect(validated.bases[0]).toMatchObject({ mismatches: [], applied: 0, ok: 9 });
    } finally {
      git.close();
    }
  });

  it('reports a corrupted full file and a corrupted patch, with or without git', async () => {
    const patchKey = Object.values(site.manifest.assets['dist/app.js']?.patches ?? {})[0]?.key as string;
    const fullKey = site.manifest.assets['dist/app.css']?.full as string;
    const corrupt = async (key: string, change: (text: string) => string) => {
      const object = site.objects.find((o) => o.key === key) as TestRelease['objects'][number];
      const body = change(Buffer.from(object.body).toString());
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: prefixed('static', key), Body: body, ContentType: object.contentType }));
    };
    await corrupt(fullKey, (text) => text.replace('blue', 'BLUE'));
    await corrupt(patchKey, (text) => text.replace(/"ops":\[\[0,(\d+)\]/, (_, n: string) => `"ops":[[1,${Number(n) - 1}]`));
    try {
      const git = await gitOldText(repo.dir);
      const withGit = await verify(site.manifest, { bases: [storeBase], oldText: git.oldText });
      git.close();
      expect(withGit.ok).toBe(false);
      const cssPatches = Object.values(site.manifest.assets['dist/app.css']?.patches ?? {}).map((p) => p.key);
      // In the manifest's order (dist/app.js first there), whatever order the checks finish in.
      expect(withGit.bases[0]?.mismatches).toEqual([
        { kind: 'full', key: fullKey, problem: 'integrity mismatch' },
        { kind: 'patch', key: patchKey, problem: expect.stringMatching(/^result has \d+ code units, expected \d+$/) },
        ...cssPatches.map((key) => ({ kind: 'patch', key, problem: 'not checked: the full file it leads to failed' })),
      ]);
      const without = await verify(site.manifest, { bases: [storeBase] });
      expect(without.bases[0]?.mismatches.map((m) => m.key)).toEqual([fullKey, patchKey, ...cssPatches]);
      expect(without.bases[0]?.mismatches[1]?.problem).toMatch(/^ops build \d+ code units, the new text has \d+$/);
    } finally {
      for (const key of [fullKey, patchKey]) await corrupt(key, (text) => text);
    }
  });

  it('one CDN down: warm and verify report it per CDN and still cover the other', async () => {
    const down = await startCdn(s3.endpoint, bucket, 'static');
    await down.stop();
    const keys = site.objects.map((o) => o.key);
    const warmed = await warm(keys, [down.base, cdnA.base]);
    expect(warmed.cdns[0]).toMatchObject({ base: down.base, down: 'ECONNREFUSED', requested: 1, ok: 0 });
    expect(warmed.cdns[1]).toMatchObject({ base: cdnA.base, ok: keys.length });

    const verified = await verify(site.manifest, { bases: [down.base, cdnB.base] });
    expect(verified.ok).toBe(false);
    expect(verified.bases[0]).toMatchObject({ down: 'ECONNREFUSED', checked: 0 });
    expect(verified.bases[1]).toMatchObject({ mismatches: [], checked: 8 });
  });
});
