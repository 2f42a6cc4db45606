import { parentPort } from 'node:worker_threads';
import { type PatchJob, runPatchJob } from './patch-job.js';

parentPort?.on('message', (job: PatchJob) => {
  parentPort?.postMessage(runPatchJob(job));
});
