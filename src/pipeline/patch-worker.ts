import { parentPort } from 'node:worker_threads';
import { type PatchJob, runPatchJob } from './patch-job.js';

/** A job that throws is a failed patch, reported like any other; it must not kill the run. */
parentPort?.on('message', (job: PatchJob) => {
  try {
    parentPort?.postMessage(runPatchJob(job));
  } catch (error) {
    parentPort?.postMessage({ status: 'failed', reason: `patch job threw: ${(error as Error).message}`, ms: 0 });
  }
});
