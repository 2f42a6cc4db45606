import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { EnvironmentError } from '../../src/errors.js';
import { DEFAULT_NETWORK } from '../../src/network/deadlines.js';
import { publish } from '../../src/storage/publish.js';
import { LATEST_MANIFEST_KEY, prefixed, releaseManifestKey } from '../../src/tree/layout.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { bulkRelease, immutable, releaseFromRepo } from './support/release.js';
import {
  type S3TestServer,
  adminClient,
  createBucket,
  exists,
  getObject,
  listKeys,
  requireServer,
  server,
  startGateway,
  stopGateway,
  targetFor,
  testEnv,
} from './support/s3.js';

describe.skipIf(!server)('publish to a real S3 store (Ceph RGW)', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  const repo = buildRepo(linearSite);
  const site = releaseFromRepo(repo.dir, ['dist/app.js', 'dist/app.css']);

  beforeAll(() => {
    s3 = requireServer();
    admin = adminClient(s3);
  });
  afterAll(() => admin?.destroy());

  it('uploads every object with its headers and Content-MD5, then a re-run uploads nothing', async () => {
    const bucket = await createBucket(admin, 'all');
    const target = targetFor(s3, bucket);
    const first = await publish(site.objects, [target], { env: testEnv(s3) });
    const result = first.targets[0];
    expect(first.ok).toBe(true);
    expect(result?.uploaded.objects).toBe(site.objects.length);
    expect(result?.uploaded.bytes).toBe(site.objects.reduce((sum, o) => sum + o.body.byteLength, 0));
    expect(result?.manifestPublished).toBe(true);
    expect(await listKeys(admin, bucket)).toEqual(site.objects.map((o) => prefixed('static', o.key)).sort());
    for (const object of site.objects) {
      const stored = await getObject(admin, bucket, prefixed('static', object.key));
      expect(Buffer.compare(stored.body, object.body)).toBe(0);
      expect(stored.contentType).toBe(object.contentType);
      expect(stored.cacheControl).toBe(object.cacheControl);
    }

    const again = await publish(site.objects, [target], { env: testEnv(s3) });
    expect(again.targets[0]).toMatchObject({ uploaded: { objects: 0, bytes: 0 }, skipped: { objects: site.objects.length }, ok: true, manifestPublished: true, alreadyPublished: true });
  });

  it('re-publishing an older, complete release (a rollback) checks its manifest, not every object, and moves latest back', async () => {
    const bucket = await createBucket(admin, 'rollback');
    const target = targetFor(s3, bucket);
    const newer = bulkRelease(20, 500);
    expect((await publish(site.objects, [target], { env: testEnv(s3) })).ok).toBe(true);
    expect((await publish(newer.objects, [target], { env: testEnv(s3) })).targets[0]?.alreadyPublished).toBe(false);
    const proxy = await startFaultProxy(s3.endpoint, { every: 1, failures: 0 });
    try {
      const result = await publish(site.objects, [targetFor(s3, bucket, { endpoint: proxy.endpoint })], { env: testEnv(s3) });
      expect(result.targets[0]).toMatchObject({ ok: true, alreadyPublished: true, uploaded: { objects: 1 }, skipped: { objects: site.objects.length - 1 } });
      expect(proxy.requests.map((r) => `${r.method} ${r.url.split('?')[0]?.split('/').slice(2).join('/') || '(bucket)'}`)).toEqual([
        'HEAD (bucket)',
        `HEAD static/manifest/${site.release}.json`,
        // latest.json follows the deploy index head (none here: these test releases carry no index), read before and after the write.
        'GET static/manifest/deploys.json',
        'GET static/manifest/latest.json',
        // Ceph RGW 16 answers 412 to a quoted If-Match ETag: seen once per run, then sent bare.
        'PUT static/manifest/latest.json',
        'GET static/manifest/latest.json',
        'PUT static/manifest/latest.json',
        'GET static/manifest/deploys.json',
      ]);
      expect((await getObject(admin, bucket, prefixed('static', LATEST_MANIFEST_KEY))).body).toEqual(site.objects.at(-1)?.body);
    } finally {
      await proxy.close();
    }
  });

  it('mirrors to two targets; a full-only target gets full files and no manifest', async () => {
    const [a, b] = [await createBucket(admin, 'main'), await createBucket(admin, 'fallback')];
    const result = await publish(site.objects, [targetFor(s3, a), targetFor(s3, b, { prefix: '', parts: 'full' })], { env: testEnv(s3) });
    expect(result.ok).toBe(true);
    const fullKeys = site.objects.filter((o) => o.key.startsWith('full/')).map((o) => o.key);
    expect(await listKeys(admin, b)).toEqual(fullKeys.sort());
    expect(result.targets[1]).toMatchObject({ target: b, manifestPublished: false, uploaded: { objects: fullKeys.length } });
    expect((await listKeys(admin, a)).length).toBe(site.objects.length);
  });

  it('an immutable key with other bytes is a conflict: nothing overwritten, no manifest, latest unchanged', async () => {
    const bucket = await createBucket(admin, 'conflict');
    const target = targetFor(s3, bucket);
    const older = bulkRelease(3, 100);
    expect((await publish(older.objects, [target], { env: testEnv(s3) })).ok).toBe(true);
    const latestBefore = await getObject(admin, bucket, prefixed('static', LATEST_MANIFEST_KEY));

    const clash = site.objects.find((o) => o.key.startsWith('full/')) as (typeof site.objects)[number];
    const squatter = immutable(clash.key, 'other bytes', clash.contentType);
    expect((await publish([squatter], [targetFor(s3, bucket, { parts: 'full' })], { env: testEnv(s3) })).ok).toBe(true);

    const result = await publish(site.objects, [target], { env: testEnv(s3), concurrency: 1 });
    expect(result.ok).toBe(false);
    expect(result.targets[0]?.conflicts).toEqual([clash.key]);
    expect(result.targets[0]?.manifestPublished).toBe(false);
    expect(Buffer.from((await getObject(admin, bucket, prefixed('static', clash.key))).body).toString()).toBe('other bytes');
    expect(await exists(admin, bucket, prefixed('static', releaseManifestKey(site.release)))).toBe(false);
    expect((await getObject(admin, bucket, prefixed('static', LATEST_MANIFEST_KEY))).body).toEqual(latestBefore.body);
  });

  it('stops before uploading anything when one target has wrong credentials, a missing bucket or no server', async () => {
    const good = await createBucket(admin, 'good');
    const cases = [
      { bad: targetFor(s3, good, { name: 'bad', envPrefix: 'WRONG_' }), env: { WRONG_ACCESS_KEY_ID: 'AKIAWRONG', WRONG_SECRET_ACCESS_KEY: 'nope' }, reason: /denied.*credentials/ },
      { bad: targetFor(s3, 'no-such-bucket-here', { name: 'bad' }), env: {}, reason: /bucket "no-such-bucket-here" does not exist/ },
      { bad: targetFor(s3, good, { name: 'bad', endpoint: 'http://127.0.0.1:9' }), env: {}, reason: /cannot reach http:\/\/127.0.0.1:9 \(ECONNREFUSED\)/ },
      { bad: targetFor(s3, good, { name: 'bad', envPrefix: 'UNSET_' }), env: {}, reason: /UNSET_ACCESS_KEY_ID and UNSET_SECRET_ACCESS_KEY must be set/ },
    ];
    for (const { bad, env, reason } of cases) {
      const attempt = publish(site.objects, [targetFor(s3, good), bad], { env: { ...testEnv(s3), ...env }, network: { ...DEFAULT_NETWORK, attempts: 2 } });
      await expect(attempt).rejects.toThrow(EnvironmentError);
      await expect(attempt).rejects.toThrow(reason);
      await expect(attempt).rejects.toThrow(/^target "bad": [^\n]+$/);
    }
    expect(await listKeys(admin, good)).toEqual([]);
  });

  it('retries injected 503 SlowDown and 500 answers and succeeds', async () => {
    const bucket = await createBucket(admin, 'faults');
    const proxy = await startFaultProxy(s3.endpoint, { every: 6, failures: 1 });
    try {
      const release = bulkRelease(16, 2_000);
      const result = await publish(release.objects, [targetFor(s3, bucket, { endpoint: proxy.endpoint })], { env: testEnv(s3), network: { ...DEFAULT_NETWORK, attempts: 4 } });
      expect(proxy.injected[503]).toBeGreaterThan(1);
      expect(proxy.injected[500]).toBeGreaterThan(1);
      expect(result.targets[0]?.failures).toEqual([]);
      expect(result.targets[0]?.uploaded.objects).toBe(release.objects.length);
      expect(result.ok).toBe(true);
      const puts = proxy.requests.filter((r) => r.method === 'PUT');
      expect(puts.length).toBeGreaterThanOrEqual(release.objects.length);
      for (const put of puts) {
        expect(put.headers['content-md5']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
        expect(put.headers['content-encoding']).toBeUndefined();
        // Immutable keys never overwrite; latest.json is new in this bucket, so its conditional write is If-None-Match too.
        expect(put.headers['if-none-match']).toBe('*');
      }
    } finally {
      await proxy.close();
    }
  });

  it('If-None-Match keeps an immutable key even when the store did not show it on HEAD', async () => {
    const bucket = await createBucket(admin, 'race');
    const [clash, ...others] = site.objects.filter((o) => o.key.startsWith('full/'));
    if (!clash) throw new Error('fixture has no full file');
    await publish([immutable(clash.key, 'written by someone else', clash.contentType), ...others], [targetFor(s3, bucket)], { env: testEnv(s3) });
    const proxy = await startFaultProxy(s3.endpoint, { every: 1, failures: 0, hideObjects: true });
    try {
      const result = await publish([...others, clash], [targetFor(s3, bucket, { endpoint: proxy.endpoint })], { env: testEnv(s3), concurrency: 1 });
      expect(result.targets[0]).toMatchObject({ ok: false, conflicts: [clash.key], skipped: { objects: others.length }, uploaded: { objects: 0 } });
      const puts = proxy.requests.filter((r) => r.method === 'PUT');
      expect(puts.length).toBe(others.length + 1);
      expect(puts.every((r) => r.headers['if-none-match'] === '*')).toBe(true);
      expect(Buffer.from((await getObject(admin, bucket, prefixed('static', clash.key))).body).toString()).toBe('written by someone else');
    } finally {
      await proxy.close();
    }
  });

  it('the store stopping mid-push fails the run without a manifest; a re-run uploads only what is missing', async () => {
    const bucket = await createBucket(admin, 'midpush');
    const target = targetFor(s3, bucket);
    const release = bulkRelease(200, 4_000);
    let stopping: Promise<void> | undefined;
    let uploaded = 0;
    const first = await publish(release.objects, [target], {
      env: testEnv(s3),
      concurrency: 4,
      network: { ...DEFAULT_NETWORK, attempts: 2 },
      onObject: (event) => {
        if (event.outcome === 'uploaded' && ++uploaded === 40) stopping = stopGateway(s3);
      },
    });
    await stopping;
    await startGateway(s3);

    const result = first.targets[0];
    expect(first.ok).toBe(false);
    expect(result?.manifestPublished).toBe(false);
    expect(result?.failures.length).toBeGreaterThan(0);
    expect(result?.failures[0]?.reason).toMatch(/ECONNREFUSED|ECONNRESET|EPIPE/);
    const stored = await listKeys(admin, bucket);
    expect(stored.some((key) => key.includes('manifest/'))).toBe(false);
    expect(stored.length).toBeGreaterThanOrEqual(40);
    expect(stored.length).toBeLessThan(release.objects.length - 2);
    const byKey = new Map(release.objects.map((o) => [prefixed('static', o.key), o]));
    for (const key of stored) expect(Buffer.compare((await getObject(admin, bucket, key)).body, byKey.get(key)?.body as Uint8Array)).toBe(0);

    const rerun = await publish(release.objects, [target], { env: testEnv(s3) });
    expect(rerun.ok).toBe(true);
    expect(rerun.targets[0]).toMatchObject({ uploaded: { objects: release.objects.length - stored.length }, skipped: { objects: stored.length }, manifestPublished: true });
  });
});
