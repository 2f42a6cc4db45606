// Runs one raw character-level baseline in a worker thread, so that bench/diff-engine.ts can
// terminate it at its time cap. Plain JavaScript: worker threads do not inherit the tsx
// loader. workerData: { kind: 'chars-myers' | 'jsdiff-chars', oldText, newText, timeoutMs }.
// Posts { ms, ops } back, ops as JSON copy/insert ops (undefined when jsdiff timed out).
import { parentPort, workerData } from 'node:worker_threads';
import { diffChars } from 'diff';
import { diff } from 'fast-myers-diff';

/** fast-myers-diff straight on the two strings, code unit by code unit. */
function charsMyers(oldText, newText) {
  const ops = [];
  let at = 0;
  for (const [sx, ex, sy, ey] of diff(oldText, newText)) {
    if (sx > at) ops.push([at, sx - at]);
    if (ey > sy) ops.push(newText.slice(sy, ey));
    at = ex;
  }
  if (at < oldText.length) ops.push([at, oldText.length - at]);
  return ops;
}

/** jsdiff's diffChars (code points), with its own timeout. */
function jsdiffChars(oldText, newText, timeoutMs) {
  const changes = diffChars(oldText, newText, { timeout: timeoutMs });
  if (!changes) return undefined;
  const ops = [];
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

const { kind, oldText, newText, timeoutMs } = workerData;
const start = performance.now();
const ops = kind === 'chars-myers' ? charsMyers(oldText, newText) : jsdiffChars(oldText, newText, timeoutMs);
parentPort.postMessage({ ms: performance.now() - start, ops });
