import { UsageError } from '../errors.js';
import type { LoggedRequest } from './request.js';

/** The log formats `deltawarm traffic` reads; `csv` is the output of the SQL in docs/traffic.md. */
export type LogFormat = 's3' | 'cloudfront' | 'combined' | 'jsonl' | 'csv';

/** Parses one line of a format into a request, or undefined for a line that is not a request (a comment, a header). */
export type LineParser = (line: string) => LoggedRequest | undefined;

const S3_LINE = /^\S+ \S+ \[\d{2}\/\w{3}\/\d{4}:/;
const COMBINED_LINE = /^\S+ \S+ \S+ \[[^\]]+\] "/;

/** The format of a log, from its first non-empty line; undefined when none fits. */
export function detectFormat(firstLine: string): LogFormat | undefined {
  if (firstLine.startsWith('#Version:') || firstLine.startsWith('#Fields:')) return 'cloudfront';
  if (firstLine.startsWith('{')) return 'jsonl';
  if (/^"?kind"?,/.test(firstLine)) return 'csv';
  if (S3_LINE.test(firstLine)) return 's3';
  if (COMBINED_LINE.test(firstLine)) return 'combined';
  return undefined;
}

const number = (text: string | undefined) => {
  const value = Number(text);
  return Number.isFinite(value) ? value : 0;
};

/**
 * nginx/Apache combined (and common): `IP - USER [TIME] "METHOD TARGET PROTOCOL" STATUS BYTES ...`.
 * nginx writes a `"` inside the request line as `\x22`, so the first quoted field ends at the next quote.
 */
export const parseCombined: LineParser = (line) => {
  const open = line.indexOf('"');
  const close = line.indexOf('"', open + 1);
  if (open < 0 || close < 0) return undefined;
  return requestAndStatus(line.slice(open + 1, close), line, close + 2);
};

/**
 * Amazon S3 server access log: `OWNER BUCKET [TIME] IP REQUESTER ID OPERATION KEY "REQUEST-URI"
 * STATUS ERROR BYTES-SENT OBJECT-SIZE ...`; the Request-URI is the request line, path-style
 * requests carry the bucket in the path (harmless: keys are found by their `full/`, `patch/`
 * or `manifest/` part).
 */
export const parseS3: LineParser = (line) => {
  const bracket = line.indexOf('] ');
  const open = line.indexOf('"', bracket);
  const close = line.indexOf('"', open + 1);
  if (bracket < 0 || open < 0 || close < 0) return undefined;
  const request = line.slice(open + 1, close);
  const [status, , sent] = line.slice(close + 2).split(' ', 3);
  const [method = '', target = ''] = request.split(' ', 2);
  return { method, target, status: number(status), bytes: number(sent) };
};

function requestAndStatus(request: string, line: string, after: number): LoggedRequest {
  const [method = '', target = ''] = request.split(' ', 2);
  const [status, sent] = line.slice(after).split(' ', 2);
  return { method, target, status: number(status), bytes: number(sent) };
}

/**
 * CloudFront standard log (W3C, tab-separated): field positions come from the `#Fields:` line,
 * so logs with fields added or (in v2 logging) chosen by the user read the same.
 */
export function cloudFrontParser(): LineParser {
  let at: Record<string, number> | undefined;
  return (line) => {
    if (line.startsWith('#')) {
      if (line.startsWith('#Fields:')) at = Object.fromEntries(line.slice(8).trim().split(/\s+/).map((name, index) => [name, index]));
      return undefined;
    }
    if (!at) throw new UsageError('CloudFront log without a #Fields: line before its first record');
    const fields = line.split('\t');
    const query = fields[at['cs-uri-query'] ?? -1];
    const stem = fields[at['cs-uri-stem'] ?? -1] ?? '';
    return {
      method: fields[at['cs-method'] ?? -1] ?? '',
      target: query && query !== '-' ? `${stem}?${query}` : stem,
      status: number(fields[at['sc-status'] ?? -1]),
      bytes: number(fields[at['sc-bytes'] ?? -1]),
    };
  };
}

/** Field names of the JSON-lines formats: Cloudflare Logpush (http_requests) first, then Fastly's usual ones. */
const JSON_FIELDS = {
  target: ['ClientRequestURI', 'url', 'request_url', 'uri'],
  path: ['ClientRequestPath', 'path'],
  query: ['ClientRequestQuery', 'query', 'query_string'],
  method: ['ClientRequestMethod', 'request_method', 'method', 'request'],
  status: ['EdgeResponseStatus', 'response_status', 'status', 'httpStatus', 'status_code'],
  bytes: ['EdgeResponseBytes', 'response_body_size', 'resp_body_size', 'bytes', 'body_bytes_sent', 'bytesWritten', 'response_bytes'],
} as const;

const first = (object: Record<string, unknown>, names: readonly string[]) => names.map((name) => object[name]).find((value) => value !== undefined && value !== null);

/** JSON lines, one object a line, as Cloudflare Logpush and Fastly's JSON logging emit. */
export const parseJsonLine: LineParser = (line) => {
  let object: Record<string, unknown>;
  try {
    object = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!object || typeof object !== 'object') return undefined;
  let target = first(object, JSON_FIELDS.target);
  if (typeof target !== 'string') {
    const path = first(object, JSON_FIELDS.path);
    const query = first(object, JSON_FIELDS.query);
    if (typeof path !== 'string') return undefined;
    target = typeof query === 'string' && query !== '' ? `${path}${query.startsWith('?') ? '' : '?'}${query}` : path;
  }
  return {
    method: String(first(object, JSON_FIELDS.method) ?? 'GET').toUpperCase(),
    target: target as string,
    status: number(String(first(object, JSON_FIELDS.status))),
    bytes: number(String(first(object, JSON_FIELDS.bytes) ?? 0)),
  };
};

export function parserFor(format: Exclude<LogFormat, 'csv'>): LineParser {
  switch (format) {
    case 's3':
      return parseS3;
    case 'cloudfront':
      return cloudFrontParser();
    case 'combined':
      return parseCombined;
    case 'jsonl':
      return parseJsonLine;
  }
}
