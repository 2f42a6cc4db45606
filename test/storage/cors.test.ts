import { PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, makeTempDir } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { runCli } from '../../fixtures/run-cli.js';
import { type Cdn, nginxAvailable, startCdn } from './support/nginx-cdn.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, requireServer, server, testEnv } from './support/s3.js';

/**
 * CORS for a CDN on another origin than the site: `push --origin` reads the bucket's CORS rules
 * from Ceph RGW (GetBucketCors) and warns when they would refuse the site; `verify --origin`
 * asks each nginx CDN (in front of RGW, which answers CORS itself) for an asset as a page on
 * the site would, and fails naming the CDN that does not allow it.
 */
describe.skipIf(!server || !nginxAvailable())('CORS: push warns from the bucket rules, verify checks what each CDN sends', () => {
  const SITE = 'https://www.example.com';
  let s3: S3TestServer;
  let admin: S3Client;
  const cdns: Cdn[] = [];
  const repo = buildRepo(linearSite);

  beforeAll(() => {
    s3 = requireServer();
    admin = adminClient(s3);
  });
  afterAll(async () => {
    await Promise.all(cdns.map((cdn) => cdn.stop()));
    admin?.destroy();
  });

  const cors = (bucket: string, origins: string[], methods = ['GET']) =>
    admin.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: origins, AllowedMethods: methods }] } }));
  const push = (bucket: string, extra: string[] = []) =>
    runCli(['push', '--assets', 'dist/**', '--prefix', 'static', '--bucket', bucket, '--endpoint', s3.endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX, ...extra], repo.dir, testEnv(s3));
  const cdnFor = async (bucket: string) => {
    const cdn = await startCdn(s3.endpoint, bucket, 'static');
    cdns.push(cdn);
    return cdn;
  };
  const warning = (bucket: string) => new RegExp(`^WARNING ${bucket}: bucket "${bucket}" has no CORS rule`, 'm');

  it('push --origin warns when the bucket has no CORS rules or none for the site, and not when one allows it (exact or wildcard)', async () => {
    const bucket = await createBucket(admin, 'cors-push', true);
    const none = await push(bucket, ['--origin', `${SITE}/app/`]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(new RegExp(`^WARNING ${bucket}: bucket "${bucket}" has no CORS rules: pages on ${SITE} cannot read`, 'm'));

    await cors(bucket, ['https://other.example.com']);
    expect((await push(bucket, ['--origin', SITE])).stdout).toMatch(warning(bucket));
    await cors(bucket, [SITE], ['PUT']);
    expect((await push(bucket, ['--origin', SITE])).stdout).toMatch(warning(bucket));

    for (const allowed of [SITE, 'https://*.example.com', '*']) {
      await cors(bucket, [allowed]);
      const ok = await push(bucket, ['--origin', SITE]);
      expect(ok.code).toBe(0);
      expect(ok.stdout, allowed).not.toMatch(/^WARNING/m);
    }
    expect((await push(bucket)).stdout, 'no origin given: nothing checked').not.toMatch(/^WARNING/m);
  });

  it('the site origin can come from the config file; a bad one is a usage error', async () => {
    const bucket = await createBucket(admin, 'cors-config', true);
    const bad = await push(bucket, ['--origin', 'www.example.com']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not an absolute URL: give the site's origin, e\.g\. https:\/\/www\.example\.com/);
    const dir = makeTempDir('deltawarm-cors-config-');
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ origin: SITE }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ origin: 42 }));
    expect((await push(bucket, ['--config', join(dir, 'good.json')])).stdout).toMatch(new RegExp(`^WARNING ${bucket}: bucket "${bucket}" has no CORS rules`, 'm'));
    const badConfig = await push(bucket, ['--config', join(dir, 'bad.json')]);
    expect([badConfig.code, badConfig.stderr]).toEqual([2, expect.stringMatching(/"origin" must be the site's origin as a URL/)]);
  });

  it('verify --origin exits 1 naming a CDN that answers without a matching Access-Control-Allow-Origin, and passes once the CDN sends one', async () => {
    const refusing = await createBucket(admin, 'cors-no', true);
    const allowing = await createBucket(admin, 'cors-yes', true);
    await cors(allowing, [SITE]);
    for (const bucket of [refusing, allowing]) expect((await push(bucket)).code).toBe(0);
    const [bad, good] = [await cdnFor(refusing), await cdnFor(allowing)];

    const failed = await runCli(['verify', '--manifest', `${good.base}manifest/latest.json`, '--base', good.base, '--base', bad.base, '--origin', SITE], repo.dir);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    const corsLines = failed.stdout.split('\n').filter((line) => line.startsWith('CORS '));
    expect(corsLines).toEqual([`CORS ${bad.base}: no Access-Control-Allow-Origin for ${SITE}: pages on ${SITE} cannot read it (see docs/service-worker.md, CORS)`]);
    expect(failed.stdout).toMatch(new RegExp(`^${good.base} .* ok$`, 'm'));

    const passed = await runCli(['verify', '--manifest', `${good.base}manifest/latest.json`, '--base', good.base, '--origin', SITE], repo.dir);
    expect(passed.code, passed.stdout).toBe(0);

    const other = await runCli(['verify', '--manifest', `${good.base}manifest/latest.json`, '--base', good.base, '--origin', 'https://evil.example.net'], repo.dir);
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(new RegExp(`^CORS ${good.base}: no Access-Control-Allow-Origin for https://evil\\.example\\.net`, 'm'));
  });

  it('verify --origin catches an edge that cached an answer made for a request without Origin (the store adds CORS only when asked) and serves it to every origin', async () => {
    const bucket = await createBucket(admin, 'cors-cached', true);
    await cors(bucket, [SITE]);
    expect((await push(bucket)).code).toBe(0);
    const cdn = await cdnFor(bucket);
    const manifest = await (await fetch(`${cdn.base}manifest/latest.json`)).json();
    const first = Object.values(manifest.assets as Record<string, { full: string; text: boolean }>).find((asset) => asset.text)!;
    expect((await fetch(`${cdn.base}${first.full}`)).headers.get('access-control-allow-origin')).toBeNull(); // e.g. a <script> without crossorigin
    const result = await runCli(['verify', '--manifest', `${cdn.base}manifest/latest.json`, '--base', cdn.base, '--origin', SITE], repo.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`CORS ${cdn.base}: no Access-Control-Allow-Origin for ${SITE}`);
  });
});
