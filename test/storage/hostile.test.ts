import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAIT_VERSIONS, HOSTILE_NOTES, baitObjects, poisonIndex, poisonLatest, poisonOlder, publishedKeys } from '../../fixtures/hostile-history.js';
import { runCli } from '../../fixtures/run-cli.js';
import { type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import type { CoverageReport } from '../../src/report/coverage.js';
import { missingObjects } from '../../src/storage/object-check.js';
import { DEFAULT_NETWORK } from '../../src/network/deadlines.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, getObject, listKeys, requireServer, server, targetFor, testEnv } from './support/s3.js';

describe.skipIf(!server)('a hostile deploy history in a Ceph RGW bucket', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  let bucket: string;
  const repo: WebAppRepo = createWebAppRepo();
  const releases: string[] = [];
  const push = () =>
    runCli(['push', '--dir', 'dist', '--assets', '**/*.{js,css}', '--prefix', 'site', '--bucket', bucket, '--endpoint', s3.endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX, '--json', '--quiet', '--concurrency', '1'], repo.dir, testEnv(s3));
  const read = async (key: string) => JSON.parse(Buffer.from((await getObject(admin, bucket, key)).body).toString());
  const put = (key: string, body: string) => admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  beforeAll(async () => {
    s3 = requireServer();
    admin = adminClient(s3);
    bucket = await createBucket(admin, 'hostile');
    for (let n = 1; n <= 3; n++) {
      releases.push(commitDeploy(repo, n));
      await buildDist(repo.dir);
      const pushed = await push();
      expect(pushed.code, pushed.stderr).toBe(0);
    }
    const [, r2, r3] = releases as [string, string, string];
    await put('site/manifest/deploys.json', JSON.stringify(poisonIndex(await read('site/manifest/deploys.json'))));
    await put(`site/manifest/${r3}.json`, JSON.stringify(poisonLatest(await read(`site/manifest/${r3}.json`))));
    await put(`site/manifest/${r2}.json`, JSON.stringify(poisonOlder(await read(`site/manifest/${r2}.json`))));
    // The bait outside the prefix, and under the literal keys a trusted `..` would name (S3 does not resolve them).
    for (const [path, body] of Object.entries(baitObjects('site'))) {
      await put(path, body);
      await put(`site/../${path}`, body);
      await put(`site//${path}`, body);
    }
    releases.push(commitDeploy(repo, 4));
    await buildDist(repo.dir);
  }, 300_000);
  afterAll(() => admin?.destroy());

  it('push: no key outside the prefix written, no published key with "..", no bait patched from, every skip named', async () => {
    const before = await listKeys(admin, bucket);
    const result = await push();
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as CoverageReport;
    const after = await listKeys(admin, bucket);
    const added = after.filter((key) => !before.includes(key));
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((key) => !key.startsWith('site/') || key.split('/').includes('..') || key.split('/').includes(''))).toEqual([]);
    const patchedFrom = report.assets.flatMap((asset) => asset.patches.filter((patch) => patch.status === 'ok').map((patch) => patch.from));
    expect(patchedFrom.filter((from) => (BAIT_VERSIONS as readonly string[]).includes(from))).toEqual([]);
    for (const note of HOSTILE_NOTES) expect(report.notes.join('\n')).toMatch(note);
    const keys = [...publishedKeys(await read('site/manifest/latest.json')), ...publishedKeys(await read('site/manifest/deploys.json'))];
    expect(keys.filter((key) => key.split('/').includes('..') || key.includes('\n') || key.startsWith('/'))).toEqual([]);
    expect((await read('site/manifest/deploys.json')).deploys.map((deploy: { release: string }) => deploy.release)).toEqual([...releases].reverse());
  });
});

describe.skipIf(!server)('finish checks every object against the bucket (HEAD per object)', () => {
  it('names an object that is missing or of another size', async () => {
    const s3 = requireServer();
    const admin = adminClient(s3);
    try {
      const bucket = await createBucket(admin, 'finish-check');
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'site/full/a.js', Body: 'abc' }));
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'site/full/b.js', Body: 'abcd' }));
      const target = targetFor(s3, bucket, { prefix: 'site' });
      const expected = [{ key: 'full/a.js', size: 3 }, { key: 'full/b.js', size: 3 }, { key: 'full/c.js', size: 1 }];
      expect(await missingObjects(target, expected, testEnv(s3), DEFAULT_NETWORK)).toEqual(['full/b.js: 4 bytes, the manifest says 3', 'full/c.js: missing']);
    } finally {
      admin.destroy();
    }
  });
});
