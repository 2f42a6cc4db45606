import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import type { PatchJob, PatchJobResult } from './patch-job.js';

/** Runs patch jobs on `size` worker threads; p-limit admits at most `size` at once, so a job always finds an idle worker. */
export class WorkerPool {
  private readonly idle: Worker[];
  private readonly limit;

  constructor(size: number) {
    this.idle = Array.from({ length: size }, spawnWorker);
    this.limit = pLimit(size);
  }

  run(job: PatchJob): Promise<PatchJobResult> {
    return this.limit(async () => {
      const worker = this.idle.pop() as Worker;
      try {
        return await runOn(worker, job);
      } finally {
        this.idle.push(worker);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.map((worker) => worker.terminate()));
  }
}

function runOn(worker: Worker, job: PatchJob): Promise<PatchJobResult> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (result: PatchJobResult) => {
      worker.off('error', onError);
      resolve(result);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(job);
  });
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
