import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy in front of the store. Every `every`-th distinct request
 * (method and URL) is answered with an error the first `failures` times it is seen,
 * alternating 503 SlowDown and 500 InternalError; everything else is passed through as is
 * (Host header included, so SigV4 signatures stay valid). Deterministic: a client that
 * retries enough always gets through. `hideObjects` answers every HEAD of an object with
 * 404, as a store without read-after-write would, to reach the If-None-Match path.
 * `step` picks requests by method and key (the path after the bucket, query left out) for a
 * fault at one publish step: `stall` (read the request, never answer), `500` (every time),
 * `cut` (forward, then drop the connection halfway through the answer's body), or a function
 * that runs first (to kill the deploying process) before the request stalls.
 */
export interface FaultProxy {
  endpoint: string;
  /** How many answers were faked, by status (0: stalled or cut by a `step` fault). */
  injected: Record<number, number>;
  /** Every request received: method, path and headers. */
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

const FAULTS = [
  { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
];
type Fault = (typeof FAULTS)[number];

export type StepFault = 'stall' | '500' | 'cut' | (() => void);

export interface FaultOptions {
  every: number;
  failures: number;
  hideObjects?: boolean;
  step?: (method: string, key: string) => StepFault | undefined;
}

/** The key of a path-style request: `/bucket/static/full/...?x` -> `static/full/...`. */
const keyOf = (url: string) => decodeURIComponent((url.split('?')[0] ?? '').split('/').slice(2).join('/'));

export async function startFaultProxy(upstream: string, options: FaultOptions): Promise<FaultProxy> {
  const target = new URL(upstream);
  const seen = new Map<string, number>();
  const injected: Record<number, number> = {};
  const requests: FaultProxy['requests'] = [];
  let distinct = 0;
  let faults = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (options.hideObjects && req.method === 'HEAD' && /^\/[^/?]+\/[^?]/.test(req.url ?? '')) {
      return void res.writeHead(404, { 'Content-Length': 0 }).end();
    }
    const stepFault = options.step?.(req.method ?? '', keyOf(req.url ?? ''));
    if (stepFault && stepFault !== 'cut') {
      if (typeof stepFault === 'function') stepFault();
      if (stepFault === '500') return void fail(req, res, FAULTS[1] as Fault, injected);
      injected[0] = (injected[0] ?? 0) + 1;
      return void req.resume();
    }
    const id = `${req.method} ${req.url}`;
    if (!seen.has(id)) seen.set(id, distinct++ % options.every === 0 ? options.failures : 0);
    const left = seen.get(id) as number;
    if (left > 0) {
      seen.set(id, left - 1);
      return void fail(req, res, FAULTS[faults++ % FAULTS.length] as Fault, injected);
    }
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (stepFault !== 'cut') return void answer.pipe(res);
        injected[0] = (injected[0] ?? 0) + 1;
        answer.once('data', (chunk: Buffer) => {
          res.write(chunk.subarray(0, Math.ceil(chunk.length / 2)));
          answer.destroy();
          res.destroy();
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads the whole request first, as a real store does, then answers with the fault. */
function fail(req: IncomingMessage, res: ServerResponse, fault: Fault, injected: Record<number, number>): void {
  injected[fault.status] = (injected[fault.status] ?? 0) + 1;
  req.resume();
  req.on('end', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>${fault.message}</Message></Error>`;
    res.writeHead(fault.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
