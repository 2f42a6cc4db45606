import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type Cdn, nginxAvailable, startCdn } from './support/nginx-cdn.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, exists, getObject, listKeys, requireServer, server, testEnv } from './support/s3.js';

async function run(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd, isTTY: false };
  const code = await main(['node', 'deltawarm', ...args], io);
  return { code, stdout, stderr };
}

describe.skipIf(!server || !nginxAvailable())('deltawarm push and verify against Ceph RGW and nginx', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  let bucket: string;
  let cdns: Cdn[] = [];
  const repo = buildRepo(linearSite);
  const storeFlags = () => ['--endpoint', s3.endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX];

  beforeAll(async () => {
    s3 = requireServer();
    admin = adminClient(s3);
    bucket = await createBucket(admin, 'cli', true);
    cdns = await Promise.all([startCdn(s3.endpoint, bucket, 'static'), startCdn(s3.endpoint, bucket, 'static')]);
  });
  afterAll(async () => {
    await Promise.all(cdns.map((cdn) => cdn.stop()));
    admin?.destroy();
  });

  it('--dry-run needs no credentials and uploads nothing', async () => {
    const result = await run(['push', '--assets', 'dist/**', '--prefix', 'static', '--bucket', bucket, '--endpoint', s3.endpoint, '--force-path-style', '--dry-run', '--quiet'], repo.dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${bucket} +\\d+ +[\\d.]+ [kMG]?B +yes$`, 'm'));
    expect(await listKeys(admin, bucket)).toEqual([]);
  });

  it('pushes, warms both CDNs, then a second push uploads nothing; verify passes through both CDNs', async () => {
    const push = ['push', '--assets', 'dist/**', '--prefix', 'static', '--bucket', bucket, ...storeFlags(), '--cdn', cdns[0]?.base as string, '--cdn', cdns[1]?.base as string, '--warm'];
    const first = await run(push, repo.dir, testEnv(s3));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^${bucket} +\\d+ \\([\\d.]+ [kMG]?B\\) +0 \\(0 B\\) +0 +published`, 'm'));
    for (const cdn of cdns) expect(first.stdout).toMatch(new RegExp(`^${cdn.base} +(\\d+) +\\1 +200 \\1 +MISS \\1`, 'm'));
    expect(first.stdout + first.stderr).not.toContain(s3.secretAccessKey);

    const second = await run([...push, '--json'], repo.dir, testEnv(s3));
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.publish.targets[0]).toMatchObject({ uploaded: { objects: 0 }, manifestPublished: true });
    // Every object is a cache hit the second time but the four served no-cache: manifest/latest.json, manifest/head.json, manifest/deploys.json, deltawarm.min.js.
    const cached = report.publish.targets[0].skipped.objects - 4;
    expect(report.warm.cdns.map((cdn: { cache: Record<string, number> }) => cdn.cache.HIT)).toEqual([cached, cached]);

    const verify = await run(['verify', '--manifest', `${cdns[0]?.base}manifest/latest.json`, '--repo', repo.dir], repo.dir);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^release [0-9a-f]{40}: verified$/m);
    expect(verify.stdout).toMatch(new RegExp(`^${cdns[1]?.base} +8 +8 +0 +5 +ok$`, 'm'));
  });

  it('verify exits 1 with a table when a CDN is down, and still checks the other', async () => {
    const down = await startCdn(s3.endpoint, bucket, 'static');
    await down.stop();
    const result = await run(['verify', '--manifest', `${s3.endpoint}/${bucket}/static/manifest/latest.json`, '--base', down.base, '--base', cdns[0]?.base as string], repo.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${down.base} +0 +0 +- +- +DOWN \\(ECONNREFUSED\\)$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^${cdns[0]?.base} +8 +8 +0 +0 +ok$`, 'm'));
  });

  it('exit 2 with one line for wrong credentials, a missing bucket, an unreachable store', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--bucket', bucket, ...storeFlags()], { [`${ENV_PREFIX}ACCESS_KEY_ID`]: 'WRONG', [`${ENV_PREFIX}SECRET_ACCESS_KEY`]: 'WRONG' }, /denied \(HTTP 403\): check the credentials/],
      [['--bucket', 'no-such-bucket', ...storeFlags()], testEnv(s3) as Record<string, string>, /bucket "no-such-bucket" does not exist/],
      [['--bucket', bucket, '--endpoint', 'http://127.0.0.1:9', '--force-path-style', '--env-prefix', ENV_PREFIX], testEnv(s3) as Record<string, string>, /cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/],
    ];
    for (const [flags, env, reason] of cases) {
      const result = await run(['push', '--assets', 'dist/**', '--quiet', ...flags], repo.dir, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('config targets: a main store and a full-only fallback; a conflict exits 1 and lists it', async () => {
    const [main, fallback] = [await createBucket(admin, 'cfg-main'), await createBucket(admin, 'cfg-fallback')];
    const config = join(repo.dir, 'push.config.json');
    const target = { endpoint: s3.endpoint, forcePathStyle: true, envPrefix: ENV_PREFIX };
    writeFileSync(config, JSON.stringify({ assets: ['dist/**'], prefix: 'p', targets: [{ name: 'main', bucket: main, ...target }, { name: 'fallback', bucket: fallback, parts: 'full', prefix: '', ...target }] }));
    const first = await run(['push', '--config', config, '--quiet'], repo.dir, testEnv(s3));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^fallback +2 \(.+\) +0 \(0 B\) +0 +none \(full only\)/m);
    expect((await listKeys(admin, fallback)).every((key) => key.startsWith('full/'))).toBe(true);
    // manifest/RELEASE.json, deploys.json, latest.json and head.json (a first deploy has no changes object)
    expect((await listKeys(admin, main)).filter((key) => key.startsWith('p/manifest/'))).toHaveLength(4);

    const appJs = (await listKeys(admin, main)).find((key) => /^p\/full\/[0-9a-f]{40}\/dist\/app\.js$/.test(key)) as string;
    const latest = (await getObject(admin, main, 'p/manifest/latest.json')).body;
    await admin.send(new PutObjectCommand({ Bucket: main, Key: appJs, Body: 'someone else wrote this' }));
    writeFileSync(join(repo.dir, 'dist/app.css'), 'body{color:green}\n');
    repo.git('commit', '-qam', 'r6');

    const second = await run(['push', '--config', config, '--quiet'], repo.dir, testEnv(s3));
    expect(second.code).toBe(1);
    expect(second.stdout).toContain(`CONFLICT main ${appJs.slice(2)}: stored with other bytes, left as is`);
    expect(second.stdout).toMatch(/^main +.* +1 +NOT published/m);
    expect(second.stdout).toMatch(/^fallback +1 \(.+\) +1 \(.+\) +0 +none \(full only\)/m);
    expect(Buffer.from((await getObject(admin, main, appJs)).body).toString()).toBe('someone else wrote this');
    expect((await getObject(admin, main, 'p/manifest/latest.json')).body).toEqual(latest);
    expect(await exists(admin, main, `p/manifest/${repo.git('rev-parse', 'HEAD')}.json`)).toBe(false);
  });
});
