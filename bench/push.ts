/**
 * Push benchmark: the jquery-dist data set (../shared/data) published to a local Ceph RGW
 * (scripts/s3-server.sh). Measures the first push of the newest release into an empty bucket
 * (objects/s, MB/s), a re-run of the same release (must upload nothing, in under 20 % of the
 * first run's time), and a replay of every release in order, as CI would push them.
 * Run alone: node --import tsx bench/push.ts [--concurrency=16]
 * Skips (with a message) when the data set or the Ceph packages are missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { DEFAULTS, prewarm } from '../src/index.js';
import { type PublishResult, publish } from '../src/storage/publish.js';
import type { StorageTarget } from '../src/storage/target.js';

const DATA = join(import.meta.dirname, '../../shared/data');
const SCRIPT = join(import.meta.dirname, '../scripts/s3-server.sh');

interface Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export async function main(args: string[] = process.argv.slice(2)): Promise<string> {
  const concurrency = Number(args.find((a) => a.startsWith('--concurrency='))?.split('=')[1] ?? 16);
  if (!existsSync(join(DATA, 'jquery-dist'))) return `push: skipped, no data set at ${DATA}/jquery-dist`;
  const scratch = makeTempDir('deltawarm-bench-');
  const repo = join(scratch, 'jquery-history');
  execFileSync('bash', [join(DATA, 'make-repo.sh'), 'jquery-dist', repo], { stdio: 'ignore' });
  const serverDir = makeTempDir('deltawarm-bench-s3-');
  const env = { ...process.env, S3_SERVER_DIR: serverDir };
  try {
    execFileSync('bash', [SCRIPT, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
    return `push: skipped, the S3 test server did not start: ${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').at(-1)}`;
  }
  try {
    const server = JSON.parse(readFileSync(join(serverDir, 'env.json'), 'utf8')) as Server;
    return await measure(server, repo, concurrency);
  } finally {
    execFileSync('bash', [SCRIPT, 'stop'], { env, stdio: 'ignore' });
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(server: Server, repo: string, concurrency: number): Promise<string> {
  const admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: server, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const bucket = async (name: string) => {
    await admin.send(new CreateBucketCommand({ Bucket: name }));
    return { name, bucket: name, prefix: 'static', endpoint: server.endpoint, forcePathStyle: true, parts: 'all', envPrefix: 'BENCH_' } satisfies StorageTarget;
  };
  const pushEnv = { BENCH_ACCESS_KEY_ID: server.accessKeyId, BENCH_SECRET_ACCESS_KEY: server.secretAccessKey };
  const build = (release: string) => prewarm({ ...DEFAULTS, repo, assets: ['dist/**'], release });
  const push = (objects: Parameters<typeof publish>[0], target: StorageTarget) => publish(objects, [target], { env: pushEnv, concurrency });

  const head = await build('HEAD');
  const target = await bucket('bench-head');
  const first = await push(head.objects, target);
  const again = await push(head.objects, target);

  const replayTarget = await bucket('bench-replay');
  const commits = execFileSync('git', ['rev-list', '--reverse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
  const replay: PublishResult[] = [];
  for (const commit of commits) replay.push(await push((await build(commit)).objects, replayTarget));
  admin.destroy();

  const line = (label: string, result: PublishResult) => {
    const t = result.targets[0];
    if (!t || !result.ok) throw new Error(`${label}: push failed: ${JSON.stringify(t?.failures.slice(0, 3))}`);
    const seconds = result.wallMs / 1000;
    return `| ${label} | ${t.uploaded.objects} | ${t.skipped.objects} | ${(t.uploaded.bytes / 1e6).toFixed(2)} MB | ${result.wallMs.toFixed(0)} ms | ${(t.uploaded.objects / seconds).toFixed(0)} | ${(t.uploaded.bytes / 1e6 / seconds).toFixed(1)} |`;
  };
  const sum = (pick: (r: PublishResult) => number) => replay.reduce((total, r) => total + pick(r), 0);
  const replayTotal: PublishResult = {
    ok: replay.every((r) => r.ok),
    wallMs: sum((r) => r.wallMs),
    targets: [
      {
        ...(replay[0]?.targets[0] as PublishResult['targets'][number]),
        uploaded: { objects: sum((r) => r.targets[0]?.uploaded.objects ?? 0), bytes: sum((r) => r.targets[0]?.uploaded.bytes ?? 0) },
        skipped: { objects: sum((r) => r.targets[0]?.skipped.objects ?? 0), bytes: sum((r) => r.targets[0]?.skipped.bytes ?? 0) },
      },
    ],
  };
  const ratio = again.wallMs / first.wallMs;
  const uploadedAgain = again.targets[0]?.uploaded.objects ?? -1;
  return [
    `push: jquery-dist (${commits.length} releases, ${head.objects.length} objects at HEAD) to Ceph RGW on 127.0.0.1, upload concurrency ${concurrency}`,
    '',
    '| run | uploaded | skipped | bytes up | wall | objects/s | MB/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    line('HEAD release, empty bucket', first),
    line('same release again', again),
    line(`replay of all ${commits.length} releases`, replayTotal),
    '',
    `re-run: ${uploadedAgain} objects uploaded, ${(ratio * 100).toFixed(1)} % of the first run's time (target: 0 and < 20 %): ${uploadedAgain === 0 && ratio < 0.2 ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
