import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS, prewarm, writeTree } from '../../src/index.js';
import { directoryStore } from '../../src/history/store.js';
import { runtimeObjects, withRuntimeFiles } from '../../src/tree/runtime-files.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';

/** One deploy of the fixture web app: what the site serves for it. */
export interface WebAppDeploy {
  release: string;
  /** index.html as built, with the worker registered. */
  html: string;
  manifest: Manifest;
  /** manifest/RELEASE.json as published. */
  manifestText: string;
}

/** What every test page adds to the app's head: the worker, and the worker's reports collected in `window.swReports`. */
export const REGISTER = `<script>
  window.swReports = [];
  navigator.serviceWorker.addEventListener('message', (event) => window.swReports.push(event.data));
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.register(new URLSearchParams(location.search).get('sw') || '/deltawarm-sw.js');
</script>`;

/**
 * Builds deploys 1..`count` of fixtures/web-app (real esbuild output) and publishes each in
 * built mode into `tree`, the deploy history read back from `tree` itself, with
 * `deltawarm-sw.js` (default configuration: manifest beside it, public base `/`). The built
 * `assets/` of every deploy are copied into `tree` too, so one directory serves the site, the
 * tree and the CDNs. Runs the functions `deltawarm build --dir dist --sw` runs.
 */
export async function buildWebAppDeploys(cdnBases: readonly string[], tree: string, count: number): Promise<WebAppDeploy[]> {
  const repo = createWebAppRepo();
  const deploys: WebAppDeploy[] = [];
  for (let n = 1; n <= count; n++) {
    const release = commitDeploy(repo, n);
    const built = await buildDist(repo.dir);
    const result = await prewarm({
      ...DEFAULTS,
      repo: repo.dir,
      assets: ['assets/**'],
      dir: built.dir,
      history: directoryStore(tree),
      versions: 5,
      release,
      concurrency: 1,
      cdns: [...cdnBases],
      // The app's files are a few KB, so a patch's JSON header can outweigh the change: patch anyway.
      maxPatchRatio: 100,
    });
    if (result.report.failures.length > 0) throw new Error(`deploy ${n}: a patch failed verification`);
    await writeTree(withRuntimeFiles(result.objects, await runtimeObjects({})), tree);
    cpSync(join(built.dir, 'assets'), join(tree, 'assets'), { recursive: true });
    const html = readFileSync(join(built.dir, 'index.html'), 'utf8').replace('</head>', `${REGISTER}</head>`);
    const manifestText = readFileSync(join(tree, 'manifest', `${release}.json`), 'utf8');
    deploys.push({ release, html, manifest: JSON.parse(manifestText) as Manifest, manifestText });
  }
  return deploys;
}
