/**
 * Runs one raw character-level baseline in a worker thread, so that the benchmark can
 * terminate it at its time cap. Posts { ms, ops } back, ops as JSON copy/insert ops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { diffChars } from 'diff';
import { diff } from 'fast-myers-diff';

export type RawBaseline = 'chars-myers' | 'jsdiff-chars';
export interface RawBaselineTask {
  kind: RawBaseline;
  oldText: string;
  newText: string;
  timeoutMs: number;
}
export type RawOp = [number, number] | string;

function charsMyers(oldText: string, newText: string): RawOp[] {
  const ops: RawOp[] = [];
  let at = 0;
  for (const [sx, ex, sy, ey] of diff(oldText, newText)) {
    if (sx > at) ops.push([at, sx - at]);
    if (ey > sy) ops.push(newText.slice(sy, ey));
    at = ex;
  }
  if (at < oldText.length) ops.push([at, oldText.length - at]);
  return ops;
}

function jsdiffChars(oldText: string, newText: string, timeoutMs: number): RawOp[] | undefined {
  const changes = diffChars(oldText, newText, { timeout: timeoutMs });
  if (!changes) return undefined;
  const ops: RawOp[] = [];
  let at = 0;
  for (const change of changes) {
    if (change.added) ops.push(change.value);
    else if (change.removed) at += change.value.length;
    else {
      ops.push([at, change.value.length]);
      at += change.value.length;
    }
  }
  return ops;
}

const task = workerData as RawBaselineTask;
const start = performance.now();
const ops = task.kind === 'chars-myers' ? charsMyers(task.oldText, task.newText) : jsdiffChars(task.oldText, task.newText, task.timeoutMs);
parentPort?.postMessage({ ms: performance.now() - start, ops });
