import { NEW_VISITOR, type Tally, addCount, addVisit, fullKey, patchKey } from './tally.js';

/** One request as a log line gives it. `target` is the path with its query string, as sent. */
export interface LoggedRequest {
  method: string;
  target: string;
  status: number;
  /** Bytes sent; 0 when the log says `-`. */
  bytes: number;
}

const FULL = /\/full\/([0-9a-f]{40})\/([^?#\s]+)/;
const PATCH = /\/patch\/([0-9a-f]{40})\/([0-9a-f]{40})\/([^?#\s]+?)\.(?:json|patch|dpatch)(?=[?#\s]|$)/;
const BEACON = /\/manifest\/([0-9a-f]{40})\.json\?(?:[^#\s]*&)?held=(new|[0-9a-f]{40})(?:&failed=(\d{1,6}))?/;

/** A cheap test before any parsing: could this log line be one of deltawarm's requests at all? */
export const mayBeDeltawarm = (line: string): boolean => line.includes('full/') || line.includes('patch/') || line.includes('held=');

/**
 * Counts a request into `tally` when it is a deltawarm download (a full file or a patch that
 * was sent: 200 or 206) or a visit beacon (SPEC §14: any answer below 400). Returns false
 * for every other request.
 */
export function countRequest(tally: Tally, request: LoggedRequest): boolean {
  const { target, status } = request;
  if (target.includes('held=')) {
    const beacon = BEACON.exec(target);
    if (!beacon || status >= 400 || (request.method !== 'HEAD' && request.method !== 'GET')) return false;
    addVisit(tally, beacon[1]!, beacon[2]!, 1, Number(beacon[3] ?? 0));
    return true;
  }
  if (request.method !== 'GET' || (status !== 200 && status !== 206)) return false;
  const patch = target.includes('/patch/') && PATCH.exec(target);
  if (patch) {
    const asset = decode(patch[3]!);
    if (asset === undefined) return false;
    addCount(tally.patches, patchKey(patch[1]!, patch[2]!, asset), 1, request.bytes);
    return true;
  }
  const full = target.includes('/full/') && FULL.exec(target);
  if (!full) return false;
  const asset = decode(full[2]!);
  if (asset === undefined) return false;
  addCount(tally.fulls, fullKey(full[1]!, asset), 1, request.bytes);
  return true;
}

function decode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

export { NEW_VISITOR };
