import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../fixtures/run-cli.js';
import { type WebAppRepo, buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import type { CoverageReport } from '../../src/report/coverage.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, getObject, listKeys, requireServer, server, testEnv } from './support/s3.js';

describe.skipIf(!server)('built mode pushed to Ceph RGW, deploy after deploy', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  let bucket: string;
  const repo: WebAppRepo = createWebAppRepo();
  const releases: string[] = [];
  const push = (extra: string[] = [], env = testEnv(s3)) =>
    runCli(['push', '--dir', 'dist', '--assets', '**/*.{js,css}', '--prefix', 'static', '--bucket', bucket, '--endpoint', s3.endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX, '--json', '--quiet', '--concurrency', '1', ...extra], repo.dir, env);
  const manifest = async (key = 'static/manifest/latest.json') => JSON.parse(Buffer.from((await getObject(admin, bucket, key)).body).toString()) as Manifest;

  async function deploy(n: number): Promise<CoverageReport> {
    releases.push(commitDeploy(repo, n));
    await buildDist(repo.dir);
    const result = await push();
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as CoverageReport;
  }

  beforeAll(async () => {
    s3 = requireServer();
    admin = adminClient(s3);
    bucket = await createBucket(admin, 'built', true);
  });
  afterAll(() => admin?.destroy());

  it('reads the history back from the target: first deploy full files only, then versions carry over and windows come from the index', async () => {
    const first = await deploy(1);
    expect(first.notes.join('\n')).toMatch(new RegExp(`first deploy to target "${bucket}".*patches start with the next deploy`));
    for (let n = 2; n <= 4; n++) {
      const report = await deploy(n);
      expect(report.totals.coverage).toBe(1);
      // The index, this release's own manifest (a stored one makes this a redeploy), the head (SPEC §12), each deploy's manifest, each old version.
      expect(report.history).toMatchObject({ deploysRead: n - 1, requests: 3 + (n - 1) + report.totals.oldVersions });
    }
    const [third, fourth] = [await manifest(`static/manifest/${releases[2]}.json`), await manifest()];
    expect(fourth.release).toBe(releases[3]);
    expect(fourth.assets['assets/chunk.js']?.version).toBe(third.assets['assets/chunk.js']?.version);
    expect(fourth.assets['assets/index.css']?.version).toBe(releases[2]);
    expect(fourth.assets['assets/settings.js']?.version).toBe(releases[3]);
    expect(Object.keys(fourth.assets['assets/settings.js']?.patches ?? {}).sort()).toEqual([releases[0], releases[1]].sort());
    const index = await getObject(admin, bucket, 'static/manifest/deploys.json');
    expect(index).toMatchObject({ contentType: 'application/json; charset=utf-8', cacheControl: 'no-cache' });
    expect(JSON.parse(Buffer.from(index.body).toString()).deploys.map((d: { release: string }) => d.release)).toEqual([...releases].reverse());
  });

  it('an old full file tampered in the store is skipped with the reason', async () => {
    const entry = (await manifest()).assets['assets/index.js'];
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: `static/${entry?.full}`, Body: 'tampered' }));
    const report = await deploy(6);
    const skipped = report.assets.find((asset) => asset.path === 'assets/index.js')?.patches.find((patch) => patch.from === entry?.version);
    expect(skipped).toMatchObject({ status: 'skipped', reason: expect.stringMatching(new RegExp(`${entry?.full} in target "${bucket}".* does not match the integrity its manifest recorded`)) });
    expect(Object.keys((await manifest()).assets['assets/index.js']?.patches ?? {})).not.toContain(entry?.version);
  });

  it('--history over HTTP (the bucket as a CDN origin) gives the same plan as reading the target', async () => {
    commitDeploy(repo, 7);
    await buildDist(repo.dir);
    const base = `${s3.endpoint}/${bucket}/static/`;
    const viaHttp = await runCli(['plan', '--dir', 'dist', '--assets', '**/*.{js,css}', '--history', base, '--json', '--quiet', '--concurrency', '1'], repo.dir);
    expect(viaHttp.code, viaHttp.stderr).toBe(0);
    const viaTarget = await push();
    expect(viaTarget.code, viaTarget.stderr).toBe(0);
    const planned = JSON.parse(viaHttp.stdout) as CoverageReport;
    const pushed = JSON.parse(viaTarget.stdout) as CoverageReport;
    const windows = (report: CoverageReport) => report.assets.map((asset) => [asset.path, asset.version, asset.patches.map((patch) => [patch.from, patch.status])]);
    expect(planned.history?.source).toBe(base);
    expect(windows(planned)).toEqual(windows(pushed));
    expect(planned.totals.oldVersions).toBeGreaterThan(0);
  });

  it('wrong credentials are exit 2 before anything is read or published', async () => {
    const before = await listKeys(admin, bucket);
    const result = await push([], { [`${ENV_PREFIX}ACCESS_KEY_ID`]: 'WRONG', [`${ENV_PREFIX}SECRET_ACCESS_KEY`]: 'WRONG' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^deltawarm: target ".*": access to bucket .* denied \(HTTP 403\): check the credentials\n$/);
    expect(await listKeys(admin, bucket)).toEqual(before);
  });
});
