import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryStore } from '../history/store.js';
import { analyzeTraffic } from './analyze.js';
import { readDeploys } from './deploys.js';
import { readLogs } from './read-logs.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/traffic-logs');
const dir = mkdtempSync(join(tmpdir(), 'deltawarm-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log formats', () => {
  it.each([
    ['s3.log', 's3'],
    ['cloudfront.log', 'cloudfront'],
    ['combined.log', 'combined'],
    ['cloudflare.jsonl', 'jsonl'],
    ['fastly.jsonl', 'jsonl'],
  ])('detects %s as %s and reads the same visits and downloads from each', async (file, format) => {
    const { tally, files } = await readLogs([join(FIXTURES, file)]);
    expect(files[0]!.format).toBe(format);
    const reference = (await readLogs([join(FIXTURES, 'combined.log')])).tally;
    expect(tally.visits).toEqual(reference.visits);
    expect([...tally.patches.keys()]).toEqual([...reference.patches.keys()]);
    expect([...tally.fulls.keys()]).toEqual([...reference.fulls.keys()]);
    const report = analyzeTraffic(tally, await readDeploys(directoryStore(join(FIXTURES, 'tree'))));
    expect(report.visits).toBe(6);
  });

  it('reads gzip by its magic bytes, whatever the name', async () => {
    const file = join(dir, 'access.log');
    writeFileSync(file, gzipSync(await import('node:fs').then((fs) => fs.readFileSync(join(FIXTURES, 'combined.log')))));
    const { files, tally } = await readLogs([file]);
    expect(files[0]).toMatchObject({ gzip: true, format: 'combined' });
    expect(tally.visits.size).toBeGreaterThan(0);
  });

  it('rejects a file of no known format with a one-line error naming it', async () => {
    const file = join(dir, 'other.txt');
    writeFileSync(file, 'hello world\n');
    await expect(readLogs([file])).rejects.toThrow(/other\.txt: unknown format .*expected S3 server access/);
  });

  it('fails, without hanging, on a truncated gzip', async () => {
    const file = join(dir, 'cut.log.gz');
    const whole = gzipSync(Buffer.from('x'.repeat(100_000)));
    writeFileSync(file, whole.subarray(0, whole.length / 2));
    await expect(readLogs([file])).rejects.toThrow(/cannot read log .*cut\.log\.gz/);
  });

  it('ignores hostile or foreign lines: other paths, bad escapes, 404s, non-hex versions', async () => {
    const file = join(dir, 'hostile.log');
    const line = (target: string, status = 200, method = 'GET') => `1.2.3.4 - - [01/Oct/2026:00:00:00 +0000] "${method} ${target} HTTP/1.1" ${status} 10 "-" "-"`;
    writeFileSync(file, [line('/full/zz/app.js'), line(`/full/${'a'.repeat(40)}/%E0%A4%A`), line(`/full/${'a'.repeat(40)}/app.js`, 404), line(`/manifest/${'b'.repeat(40)}.json?held=../../etc`, 200, 'HEAD'), line('/index.html')].join('\n'));
    const { tally } = await readLogs([file]);
    expect(tally.visits.size + tally.patches.size + tally.fulls.size).toBe(0);
  });
});
