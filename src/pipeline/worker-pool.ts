import { Worker } from 'node:worker_threads';
import type { AssetRequest, PairOutcome, PairRequest, PreparedAsset, WorkerReply, WorkerRequest } from './worker-protocol.js';

/**
 * One patch worker thread. Requests are answered in the order they were sent, so a caller may
 * queue the next pair while the worker computes the current one.
 */
export class PatchWorker {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }> = [];
  /** A worker that crashed answers nothing more: every request to it fails with this. */
  private crashed?: Error;

  constructor() {
    this.worker = spawnWorker();
    this.worker.on('message', (reply: WorkerReply) => this.waiting.shift()?.resolve(reply));
    this.worker.on('error', (error) => {
      this.crashed = error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  prepare(request: Omit<AssetRequest, 'type'>): Promise<PreparedAsset> {
    return this.send({ type: 'asset', ...request }) as Promise<PreparedAsset>;
  }

  /** The pair's bytes are moved to the worker, not copied: the caller must not use them again. */
  patch(request: Omit<PairRequest, 'type'>): Promise<PairOutcome> {
    const owned = request.bytes.byteLength === request.bytes.buffer.byteLength ? request.bytes : request.bytes.slice();
    return this.send({ type: 'pair', ...request, bytes: owned }, [owned.buffer as ArrayBuffer]) as Promise<PairOutcome>;
  }

  /** The worker may drop the asset's text: all of its pairs are answered. */
  done(id: number): void {
    if (!this.crashed) this.worker.postMessage({ type: 'done', id } satisfies WorkerRequest);
  }

  private send(request: Exclude<WorkerRequest, { type: 'done' }>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.crashed) return Promise.reject(this.crashed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(request, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** `size` patch workers, started at once so that their start-up overlaps reading history. */
export class WorkerPool {
  readonly workers: PatchWorker[];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => new PatchWorker());
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Defined only in the Action bundle (scripts/build-action.mjs), whose one file is also the worker. */
declare const DELTAWARM_SINGLE_FILE: true | undefined;

/**
 * From compiled JavaScript the worker is the sibling .js file. Under the test runner this
 * module is TypeScript source, so the worker loads its .ts sibling through tsx.
 */
function spawnWorker(): Worker {
  if (typeof DELTAWARM_SINGLE_FILE !== 'undefined') return new Worker(new URL(import.meta.url));
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./patch-worker.js', import.meta.url));
  const source = new URL('./patch-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`, { eval: true });
}
