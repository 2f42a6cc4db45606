import { isMainThread } from 'node:worker_threads';

/**
 * The Action's process entry, bundled into the single committed file action/index.js
 * (scripts/build-action.mjs). That one file is also the patch worker: the worker pool starts
 * it again on worker threads, where it runs the worker instead of the Action.
 */
if (isMainThread) {
  // The AWS SDK warns under Node 20 about its releases from 2027 on; the locked version supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { runAction } = await import('./main.js');
  process.exitCode = await runAction({ env: process.env, cwd: process.cwd(), stdout: (text) => void process.stdout.write(text) });
} else {
  await import('../pipeline/patch-worker.js');
}
