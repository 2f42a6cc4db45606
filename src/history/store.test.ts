import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../../fixtures/git-fixture.js';
import { linearSite } from '../../fixtures/histories.js';
import { runCli } from '../../fixtures/run-cli.js';
import { EnvironmentError } from '../errors.js';
import type { NetworkOptions } from '../network/deadlines.js';
import { readDeployHistory } from './deploy-history.js';
import { httpStore } from './store.js';

/** A history source over HTTP that misbehaves as asked, by path: /KIND/... */
type Fault = 'ok' | '500' | '500-once' | 'stall' | 'cut' | 'cut-once' | 'drip' | 'slow-ok' | 'truncated';
const BODY = Buffer.from('x'.repeat(400));
const seen = new Map<string, number>();

function answer(req: IncomingMessage, res: ServerResponse): void {
  const [, kind, ...rest] = (req.url ?? '').split('/');
  const times = (seen.get(req.url ?? '') ?? 0) + 1;
  seen.set(req.url ?? '', times);
  const full = () => void res.writeHead(200, { 'Content-Length': BODY.length }).end(BODY);
  switch (kind as Fault) {
    case 'ok':
      return rest.join('/') === 'missing' ? void res.writeHead(404).end() : full();
    case '500':
      return void res.writeHead(500).end('no');
    case '500-once':
      return times === 1 ? void res.writeHead(500).end('no') : full();
    case 'stall':
      return;
    case 'cut':
    case 'cut-once':
      if (kind === 'cut-once' && times > 1) return full();
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, 100));
      return void setTimeout(() => res.destroy(), 20);
    case 'drip':
    case 'slow-ok': {
      // drip: a byte every 50 ms (the deadline ends it); slow-ok: 10 bytes every 100 ms, done in 1 s.
      const [size, every] = kind === 'drip' ? [1, 50] : [40, 100];
      res.writeHead(200, { 'Content-Length': BODY.length });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(BODY.subarray(sent, (sent += size)));
        if (sent >= BODY.length) {
          clearInterval(timer);
          res.end();
        }
      }, every);
      return;
    }
    case 'truncated': {
      const text = '{"format":"deltawarm-deploys/1","deploys":[{"release":"';
      return void res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': text.length }).end(text);
    }
  }
}

const NETWORK: NetworkOptions = { connectTimeoutMs: 500, requestTimeoutMs: 300, attempts: 3, deadlineMs: 2_000 };

describe('the HTTP history source under faults', () => {
  const server = createServer(answer);
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  const get = (kind: Fault, key = 'manifest/deploys.json', network = NETWORK) => httpStore(`${base}${kind}/`, network).get(key);
  const timed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    const outcome = await run().then(
      (value) => ({ value, error: undefined }),
      (error: unknown) => ({ value: undefined, error }),
    );
    return { ...outcome, seconds: (performance.now() - started) / 1000 };
  };

  it('reads an object, and a 404 as absent', async () => {
    expect(await get('ok')).toEqual(new Uint8Array(BODY));
    expect(await get('ok', 'missing')).toBeUndefined();
  });

  it('retries a 500 and a body cut midway, and gets the object', async () => {
    expect(await get('500-once')).toEqual(new Uint8Array(BODY));
    expect(await get('cut-once')).toEqual(new Uint8Array(BODY));
  });

  it('a body that keeps arriving slowly is not cut short: the request timeout is for silence', async () => {
    expect(await get('slow-ok', 'manifest/deploys.json', { ...NETWORK, deadlineMs: 5_000 })).toEqual(new Uint8Array(BODY));
  });

  it.each([
    ['500', /HTTP 500 after 3 attempts/, 2],
    ['stall', /timeout/, 2.5],
    ['cut', /after 3 attempts/, 2],
    ['drip', /deadline of 2 s reached/, 2.5],
  ] as const)('%s every time: one-line EnvironmentError naming the source and the key, within the deadline', async (kind, reason, limit) => {
    const { error, seconds } = await timed(() => get(kind));
    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^cannot read the deploy history at ${base}${kind}/: reading manifest/deploys\\.json: `));
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
    expect(seconds).toBeLessThan(limit);
  });

  it('a truncated deploy index is an error naming it, not a crash', async () => {
    const store = httpStore(`${base}truncated/`, NETWORK);
    await expect(readDeployHistory(store, { release: 'a'.repeat(40), deploys: 3, requireIndex: true })).rejects.toThrow(EnvironmentError);
    await expect(readDeployHistory(store, { release: 'a'.repeat(40), deploys: 3, requireIndex: true })).rejects.toThrow(/deploy index .* is not valid: not JSON/);
  });

  it('the CLI: a history source that never answers ends in one line, exit 2, within the configured deadline', async () => {
    const repo = buildRepo(linearSite);
    const started = performance.now();
    const result = await runCli(['plan', '--assets', 'dist/**', '--history', `${base}stall/`, '--request-timeout', '300ms', '--attempts', '2', '--network-deadline', '1s', '--quiet'], repo.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^deltawarm: cannot read the deploy history at ${base}stall/: reading manifest/deploys\\.json: timeout after 2 attempts \\(check --history, or --request-timeout, --attempts, --network-deadline\\)\\n$`));
    expect((performance.now() - started) / 1000).toBeLessThan(10);

    const fromEnv = await runCli(['plan', '--assets', 'dist/**', '--history', `${base}500/`, '--quiet'], repo.dir, { DELTAWARM_ATTEMPTS: '4', DELTAWARM_REQUEST_TIMEOUT: '300ms' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/reading manifest\/deploys\.json: HTTP 500 after 4 attempts /);
    const bad = await runCli(['plan', '--assets', 'dist/**', '--network-deadline', 'soon'], repo.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/a duration is a positive number with ms, s or m/);
  });
});
