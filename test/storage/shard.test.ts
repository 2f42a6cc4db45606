import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../../fixtures/git-fixture.js';
import { awkwardContent } from '../../fixtures/histories.js';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ENV_PREFIX, type S3TestServer, adminClient, createBucket, getObject, listKeys, requireServer, server, testEnv } from './support/s3.js';

async function run(args: string[], cwd: string, env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd, isTTY: false };
  const code = await main(['node', 'deltawarm', ...args, '--quiet'], io);
  return { code, stdout, stderr };
}

describe.skipIf(!server)('push --shard K/N, then finish, against Ceph RGW', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  let bucket: string;
  const repo = buildRepo(awkwardContent);
  const flags = (prefix: string) => ['--assets', 'dist/**', '--prefix', prefix, '--bucket', bucket, '--endpoint', s3.endpoint, '--force-path-style', '--env-prefix', ENV_PREFIX];

  /** Every object under a prefix, key (without the prefix) -> bytes and headers. */
  async function stored(prefix: string) {
    const keys = (await listKeys(admin, bucket)).filter((key) => key.startsWith(`${prefix}/`));
    const objects = new Map<string, { body: string; contentType?: string; cacheControl?: string }>();
    for (const key of keys) {
      const got = await getObject(admin, bucket, key);
      objects.set(key.slice(prefix.length + 1), { ...got, body: Buffer.from(got.body).toString('base64') });
    }
    return objects;
  }

  beforeAll(async () => {
    s3 = requireServer();
    admin = adminClient(s3);
    bucket = await createBucket(admin, 'shard');
  });
  afterAll(() => admin?.destroy());

  it('finish refuses until every shard is in, then the store holds what one push stores', async () => {
    const env = testEnv(s3);
    const whole = await run(['push', ...flags('whole')], repo.dir, env);
    expect(whole.code, whole.stderr).toBe(0);

    for (const index of [1, 2]) expect((await run(['push', ...flags('sharded'), '--shard', `${index}/3`], repo.dir, env)).code).toBe(0);
    const early = await run(['finish', ...flags('sharded'), '--shards', '3'], repo.dir, env);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`no result from shard 3/3 of release ${repo.sha('a2')} in target "${bucket}"`);
    expect([...(await stored('sharded')).keys()].filter((key) => key.startsWith('manifest/'))).toEqual([]);

    expect((await run(['push', ...flags('sharded'), '--shard', '3/3'], repo.dir, env)).code).toBe(0);
    const finished = await run(['finish', ...flags('sharded'), '--shards', '3'], repo.dir, env);
    expect(finished.code, finished.stderr).toBe(0);
    const sharded = await stored('sharded');
    expect([...sharded.keys()].filter((key) => key.startsWith('shard/')).sort()).toEqual([1, 2, 3].map((k) => `shard/${repo.sha('a2')}/${k}-of-3.json`));
    expect(new Map([...sharded].filter(([key]) => !key.startsWith('shard/')))).toEqual(await stored('whole'));
  });
});
