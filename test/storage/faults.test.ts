import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, runGit, type Step } from '../../fixtures/git-fixture.js';
import { body } from '../../fixtures/histories.js';
import { runCli } from '../../fixtures/run-cli.js';
import { type StepFault, startFaultProxy } from './support/fault-proxy.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, requireServer, server, testEnv } from './support/s3.js';
import { type StoreState, storeState } from './support/store-state.js';

/** Releases that each change both assets, so that every deploy has patches from the ones before. */
const steps: Step[] = Array.from({ length: 56 }, (_, i) => ({
  message: `r${i + 1}`,
  files: { 'dist/app.js': `${body('app')}console.log(${i});\n`, 'dist/app.css': `${body('css')}b{z-index:${i}}\n` },
}));
/** Small limits, so that a fault ends a run in seconds rather than the default minute. */
const FAST = ['--connect-timeout', '1s', '--request-timeout', '1s', '--attempts', '2', '--network-deadline', '4s'];
const ROOT = join(import.meta.dirname, '../..');

/** latest.json is the manifest of the index head: the invariant every publish keeps. */
function expectConsistent(state: StoreState): void {
  expect(state.releases.length).toBeGreaterThan(0);
  expect(state.latest).toBeDefined();
  expect(state.latest).toBe(state.headManifest);
}

describe.skipIf(!server)('faults at every publish step, concurrent deploys (Ceph RGW behind a fault proxy)', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  const repo = buildRepo(steps);
  const shas = runGit(repo.dir, ['rev-list', '--reverse', 'HEAD']).split('\n');
  let next = 0;
  const release = () => shas[next++] as string;
  // Small limits only through the fault proxy: the store itself answers at its own pace on a busy CI machine.
  const args = (bucket: string, sha: string, endpoint: string) =>
    ['push', '--assets', 'dist/**', '--prefix', 'static', '--bucket', bucket, '--endpoint', endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX, '--release', sha, '--versions', '3', '--concurrency', '1', '--quiet', ...(endpoint === s3.endpoint ? [] : FAST)];
  const push = (bucket: string, sha: string, endpoint = s3.endpoint) => runCli(args(bucket, sha, endpoint), repo.dir, testEnv(s3));

  beforeAll(() => {
    s3 = requireServer();
    admin = adminClient(s3);
  });
  afterAll(() => admin?.destroy());

  it('a store that never answers: exit 2 within the deadline, one line naming the endpoint and the step', async () => {
    const bucket = await createBucket(admin, 'silent');
    const proxy = await startFaultProxy(s3.endpoint, { every: 1, failures: 0, step: () => 'stall' });
    try {
      const started = performance.now();
      const result = await push(bucket, shas[0] as string, proxy.endpoint);
      const seconds = (performance.now() - started) / 1000;
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^deltawarm: target "${bucket}": cannot reach ${proxy.endpoint} \\((ETIMEDOUT|TimeoutError|deadline reached)\\) at the bucket check of "${bucket}", after \\d attempts? \\(2 attempts, 1 s request timeout, 4 s deadline; [^\\n]+\\)\\n$`));
      expect(seconds).toBeLessThan(4 + 2);
    } finally {
      await proxy.close();
    }
  });

  const publishSteps: [name: string, match: (sha: string) => (method: string, key: string) => boolean][] = [
    ['full files', () => (method, key) => method === 'PUT' && key.startsWith('static/full/')],
    ['the release manifest', (sha) => (method, key) => method === 'PUT' && key === `static/manifest/${sha}.json`],
    ['the deploy index', () => (method, key) => method === 'PUT' && key === 'static/manifest/deploys.json'],
    ['latest.json', () => (method, key) => method === 'PUT' && key === 'static/manifest/latest.json'],
  ];

  it.each(['stall', '500'] as const)('a store that faults (%s) at each publish step: exit 1 naming the endpoint and the key, nothing lost, a re-run publishes', async (fault) => {
    const bucket = await createBucket(admin, `f${fault}`);
    const pushed = [release()];
    expect((await push(bucket, pushed[0] as string)).code).toBe(0);
    for (const [name, match] of publishSteps) {
      const sha = release();
      const matches = match(sha);
      const proxy = await startFaultProxy(s3.endpoint, { every: 1, failures: 0, step: (method, key) => (matches(method, key) ? fault : undefined) });
      try {
        const started = performance.now();
        const failed = await push(bucket, sha, proxy.endpoint);
        expect(failed.code, `${name}: ${failed.stderr}`).toBe(1);
        // The fault costs at most the 4 s deadline per step; the rest is building the release on a busy machine.
        expect((performance.now() - started) / 1000, name).toBeLessThan(30);
        const reason = fault === 'stall' ? `STOPPED ${bucket}: the store at ${proxy.endpoint} stopped answering while storing [^ ]+ \\(` : `FAILED ${bucket} [^ ]+: InternalError \\(HTTP 500\\)`;
        expect(failed.stdout, name).toMatch(new RegExp(`^${reason}`, 'm'));
        expect(failed.stdout, name).toMatch(/FAILED, no manifest published where anything failed$/m);
      } finally {
        await proxy.close();
      }
      // Every earlier deploy is still listed; only a fault at latest.json itself leaves it one deploy behind the head, until the re-run.
      expect((await storeState(admin, bucket, 'static')).releases.slice(-pushed.length), name).toEqual([...pushed].reverse());
      const rerun = await push(bucket, sha);
      expect(rerun.code, `${name}: ${rerun.stdout}${rerun.stderr}`).toBe(0);
      pushed.push(sha);
      const state = await storeState(admin, bucket, 'static');
      expect(state.releases, name).toEqual([...pushed].reverse());
      expectConsistent(state);
    }
  }, 240_000);

  it('answers cut midway through their body are retried: the history is read and the push succeeds', async () => {
    const bucket = await createBucket(admin, 'cut');
    const [first, second] = [release(), release()];
    expect((await push(bucket, first)).code).toBe(0);
    const cut = new Set<string>();
    const step = (method: string, key: string): StepFault | undefined => {
      if (method !== 'GET' || !key.startsWith('static/manifest/') || cut.has(key)) return undefined;
      cut.add(key);
      return 'cut';
    };
    const proxy = await startFaultProxy(s3.endpoint, { every: 1, failures: 0, step });
    try {
      const result = await push(bucket, second, proxy.endpoint);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(proxy.injected[0]).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
    const state = await storeState(admin, bucket, 'static');
    expect(state.releases).toEqual([second, first]);
    expectConsistent(state);
  });

  it('killed at each publish step, then a newer deploy, then the killed release again: exit 0 each time, nothing lost', async () => {
    const bucket = await createBucket(admin, 'kill');
    const pushed = [release()];
    expect((await push(bucket, pushed[0] as string)).code).toBe(0);
    for (const [name, match] of publishSteps) {
      const [killed, newer] = [release(), release()];
      let child: ChildProcess | undefined;
      const matches = match(killed);
      const proxy = await startFaultProxy(s3.endpoint, { every: 1, failures: 0, step: (method, key) => (matches(method, key) ? () => child?.kill('SIGKILL') : undefined) });
      try {
        const loader = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
        child = spawn(process.execPath, ['--import', loader, join(ROOT, 'test/storage/support/cli-process.ts'), ...args(bucket, killed, proxy.endpoint)], {
          cwd: repo.dir,
          env: { ...process.env, ...testEnv(s3) },
          stdio: 'ignore',
        });
        const signal = await new Promise((done) => child?.on('exit', (_code, signal) => done(signal)));
        expect(signal, name).toBe('SIGKILL');
      } finally {
        await proxy.close();
      }
      const newerRun = await push(bucket, newer);
      expect(newerRun.code, `${name}: ${newerRun.stdout}${newerRun.stderr}`).toBe(0);
      expectConsistent(await storeState(admin, bucket, 'static'));
      const again = await push(bucket, killed);
      expect(again.code, `${name}: ${again.stdout}${again.stderr}`).toBe(0);
      pushed.push(newer, killed);
      const state = await storeState(admin, bucket, 'static');
      expect(state.releases[0], name).toBe(killed);
      expect([...state.releases].sort(), name).toEqual([...pushed].sort());
      expectConsistent(state);
    }
  }, 300_000);

  it('10 rounds of two pushes at once: no deploy lost, latest.json always the index head', async () => {
    const bucket = await createBucket(admin, 'race');
    const pushed: string[] = [];
    for (let round = 0; round < 10; round++) {
      const pair = [release(), release()];
      const results = await Promise.all(pair.map((sha) => push(bucket, sha)));
      for (const result of results) expect(result.code, result.stdout + result.stderr).toBe(0);
      pushed.push(...pair);
      const state = await storeState(admin, bucket, 'static');
      expect([...state.releases].sort()).toEqual([...pushed].sort());
      expect(pair).toContain(state.releases[0]);
      expectConsistent(state);
    }
  }, 240_000);
});
