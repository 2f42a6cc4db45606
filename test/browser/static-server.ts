import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a test server does with the next requests. */
export type ServerMode = 'ok' | 'refuse' | 'error500' | 'hang';

export interface LoggedRequest {
  /** Decoded URL path, e.g. `/json/full/<version>/dist/app.js`. */
  path: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** When it arrived, in `performance.now()` milliseconds. */
  at: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.patch': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/**
 * A static HTTP server on 127.0.0.1 standing for a CDN (or the site itself): serves files
 * under `root` with CORS, logs every request, and can refuse connections, answer 500, hang,
 * or serve other bytes for chosen paths.
 */
export class StaticServer {
  readonly log: LoggedRequest[] = [];
  /** Bodies served instead of the files, by decoded URL path. */
  readonly overrides = new Map<string, string | Uint8Array>();
  /** Milliseconds to wait before answering, by decoded URL path (a slow manifest). */
  readonly delays = new Map<string, number>();
  /** Pages generated on request, by decoded URL path. */
  readonly pages = new Map<string, string>();
  /** Cache-Control of files from `root` (benchmarks set long-lived caching for plain HTTP caching); pages are never cached. */
  cacheControl = 'no-store';
  /** When set, bodies go out gzipped at this zlib level (as a CDN compresses on the fly) where that makes them smaller. */
  gzipLevel: number | undefined;
  /** Its `Access-Control-Allow-Origin`; null sends none (a CDN without CORS). Back to `*` on reset. */
  allowOrigin: string | null = '*';
  /**
   * Opt-in access log in nginx/Apache combined format (method, path with its query string,
   * status, body bytes), one line per answered request, as a CDN's log would hold it; undefined
   * (the default) logs none.
   */
  accessLog: string[] | undefined;
  private mode: ServerMode = 'ok';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(readonly root: string) {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(root: string): Promise<StaticServer> {
    const server = new StaticServer(root);
    await server.listen();
    return server;
  }

  /** Base URL, ending in `/`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Switches behaviour; `refuse` closes the listening socket so connections are refused. */
  async setMode(mode: ServerMode): Promise<void> {
    if (this.mode === mode) return;
    const wasRefusing = this.mode === 'refuse';
    this.mode = mode;
    this.dropConnections();
    if (mode === 'refuse') await new Promise<void>((resolve) => this.server.close(() => resolve()));
    else if (wasRefusing) await this.listen();
  }

  /** Back to serving files, with no overrides and an empty log. */
  async reset(): Promise<void> {
    await this.setMode('ok');
    this.dropConnections();
    this.overrides.clear();
    this.delays.clear();
    this.allowOrigin = '*';
    this.gzipLevel = undefined;
    this.log.length = 0;
  }

  async close(): Promise<void> {
    this.dropConnections();
    if (this.mode !== 'refuse') await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const entry: LoggedRequest = { path, status: 0, bytes: 0, at: performance.now() };
    this.log.push(entry);
    if (this.mode === 'hang') return; // never answers; the socket is dropped on the next switch
    const delay = this.delays.get(path);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const send = (status: number, body: string | Uint8Array, headers: Record<string, string> = {}) => {
      let bytes = typeof body === 'string' ? Buffer.from(body) : body;
      const gzipped = this.gzipLevel !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'])) ? gzipSync(bytes, { level: this.gzipLevel }) : undefined;
      if (gzipped && gzipped.length < bytes.length) [bytes, headers] = [gzipped, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' }];
      Object.assign(entry, { status, bytes: bytes.length });
      this.accessLog?.push(combinedLine(request, status, request.method === 'HEAD' ? 0 : bytes.length));
      response.writeHead(status, { ...(this.allowOrigin === null ? {} : { 'access-control-allow-origin': this.allowOrigin }), 'content-length': String(bytes.length), ...headers });
      response.end(bytes);
    };
    if (this.mode === 'error500') return send(500, 'internal error');
    const body = this.overrides.get(path) ?? this.pages.get(path) ?? (await this.readFile(path));
    if (body === undefined) return send(404, 'not found');
    send(200, body, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': this.pages.has(path) ? 'no-store' : this.cacheControl });
  }

  private async readFile(path: string): Promise<Uint8Array | undefined> {
    const file = normalize(join(this.root, path));
    if (!file.startsWith(this.root)) return undefined;
    return readFile(file).catch(() => undefined);
  }
}

/** One nginx/Apache combined log line: `IP - - [TIME] "METHOD TARGET PROTOCOL" STATUS BYTES "REFERER" "USER-AGENT"`. */
function combinedLine(request: IncomingMessage, status: number, bytes: number): string {
  const [day, month, year, time] = new Date().toUTCString().split(' ').slice(1, 5);
  const quoted = (value: string | undefined) => `"${(value ?? '-').replaceAll('"', '\\x22')}"`;
  const line = `${request.method} ${request.url} HTTP/${request.httpVersion}`;
  return `127.0.0.1 - - [${day}/${month}/${year}:${time} +0000] ${quoted(line)} ${status} ${bytes} ${quoted(request.headers.referer)} ${quoted(request.headers['user-agent'])}`;
}
