import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import type { S3TestServer } from './support/s3.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '../../scripts/s3-server.sh');

/**
 * Starts one Ceph RGW (scripts/s3-server.sh) for the whole test run and stops it after.
 * When it cannot start, storage tests skip with a loud message, except under CI, where the
 * run fails instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'deltawarm-s3-'));
  const env = { ...process.env, S3_SERVER_DIR: dir };
  const stop = async () => void (await run('bash', [SCRIPT, 'stop'], { env }).catch(() => undefined));
  try {
    await run('bash', [SCRIPT, 'start'], { env, timeout: 120_000 });
  } catch (error) {
    await stop();
    const reason = String((error as { stderr?: string }).stderr || (error as Error).message).trim();
    if (process.env.CI) throw new Error(`the S3 test server did not start (CI is set, so this fails the run): ${reason}`);
    console.warn(`\n${'!'.repeat(78)}\n!! STORAGE TESTS SKIPPED: the S3 test server did not start.\n!! ${reason}\n${'!'.repeat(78)}\n`);
    project.provide('s3', null);
    return async () => undefined;
  }
  const server = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8')) as S3TestServer;
  project.provide('s3', { ...server, script: SCRIPT });
  return stop;
}
