import type { S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, makeTempDir, runGit, writeFiles } from '../../fixtures/git-fixture.js';
import { runCli } from '../../fixtures/run-cli.js';
import type { CoverageReport } from '../../src/report/coverage.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { deltawarm } from '../../src/vite/index.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, getObject, requireServer, server, testEnv } from './support/s3.js';

/**
 * The README's Vite job against Ceph RGW: a real `vite build` with the plugin, then
 * `push --dir dist` in CI mode. A target without a deploy index is a first deploy (not the
 * build guard's error), the plugin's worker goes to the store beside the manifest, and the
 * second deploy patches.
 */
describe.skipIf(!server)('deltawarm/vite output pushed to Ceph RGW', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  let bucket: string;
  const app = makeTempDir('deltawarm-vite-push-');

  const deploy = async (n: number, main: string): Promise<CoverageReport> => {
    writeFiles(app, { 'main.js': main });
    commitAll(app, `deploy ${n}`, n * 3600);
    await build({ root: app, configFile: false, logLevel: 'silent', base: '/app/', plugins: [deltawarm()] });
    const args = ['push', '--dir', 'dist', '--assets', '**/*.{js,css}', '--prefix', 'app', '--bucket', bucket, '--endpoint', s3.endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX, '--json', '--quiet', '--concurrency', '1'];
    const result = await runCli(args, app, { ...testEnv(s3), CI: 'true' });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as CoverageReport;
  };

  beforeAll(async () => {
    s3 = requireServer();
    admin = adminClient(s3);
    bucket = await createBucket(admin, 'vite', true);
    runGit(app, ['init', '-q', '-b', 'main']);
    writeFiles(app, { 'index.html': '<!doctype html><html><head></head><body><script type="module" src="/main.js"></script></body></html>', '.gitignore': 'dist\n' });
  });
  afterAll(() => admin?.destroy());

  it('first push in CI is a first deploy that says so; the worker is published no-cache beside the manifest; the next push patches', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `console.log('line ${i}: ${'x'.repeat(40)}');`).join('\n');
    const first = await deploy(1, `${body}\n`);
    expect(first.notes.join('\n')).toMatch(new RegExp(`first deploy to target "${bucket}" .*: full files only; patches start with the next deploy`));
    const worker = await getObject(admin, bucket, 'app/deltawarm-sw.js');
    expect(worker).toMatchObject({ cacheControl: 'no-cache', contentType: 'text/javascript; charset=utf-8' });
    expect(Buffer.from(worker.body).toString()).toBe(readFileSync(join(app, 'dist/deltawarm-sw.js'), 'utf8'));
    expect(Buffer.from(worker.body).toString()).toMatch(/^self\.deltawarmSw = \{"base":"\/app\/"\};/);

    const second = await deploy(2, `${body}\nconsole.log('deploy 2');\n`);
    expect(second.totals).toMatchObject({ patches: 1, failed: 0 });
    const manifest = JSON.parse(Buffer.from((await getObject(admin, bucket, 'app/manifest/latest.json')).body).toString()) as Manifest;
    expect(Object.keys(manifest.assets)).toEqual(['assets/index.js']);
  });
});
