import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoverageReport } from '../../src/report/coverage.js';
import type { Manifest } from '../../src/tree/manifest.js';
import { buildDist, commitDeploy, createWebAppRepo } from '../../fixtures/web-app/app.js';
import { runCli } from '../../fixtures/run-cli.js';

/** One deploy of the fixture web app: what the site serves for it. */
export interface WebAppDeploy {
  release: string;
  /** index.html as built, with the worker registered. */
  html: string;
  manifest: Manifest;
  /** manifest/RELEASE.json as published. */
  manifestText: string;
  /** The coverage report of its `deltawarm build`. */
  report: CoverageReport;
  /** manifest/head.json as this deploy left it (the tree holds the last deploy's). */
  headText: string;
}

/** What every test page adds to the app's head: the worker, and the worker's reports collected in `window.swReports`. */
export const REGISTER = `<script>
  window.swReports = [];
  navigator.serviceWorker.addEventListener('message', (event) => window.swReports.push(event.data));
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.register(new URLSearchParams(location.search).get('sw') || '/deltawarm-sw.js');
</script>`;

/**
 * Builds deploys 1..`count` of fixtures/web-app (real esbuild output) and publishes each with
 * `deltawarm build --dir dist --sw` into `tree` (which is also the deploy history), so the
 * tree holds `deltawarm-sw.js` in its default configuration: manifest beside it, public base
 * `/`, patches from the last `versions` deploys. The built `assets/` of every deploy are copied into `tree` too, so one directory serves
 * the site, the tree and the CDNs.
 */
export async function buildWebAppDeploys(cdnBases: readonly string[], tree: string, count: number, versions = 5): Promise<WebAppDeploy[]> {
  const repo = createWebAppRepo();
  const deploys: WebAppDeploy[] = [];
  for (let n = 1; n <= count; n++) {
    const release = commitDeploy(repo, n);
    const built = await buildDist(repo.dir);
    const cdns = cdnBases.flatMap((base) => ['--cdn', base]);
    const args = ['build', '--dir', 'dist', '--assets', 'assets/**', '--out', tree, '--sw', '--versions', String(versions), '--concurrency', '1', '--quiet', '--json', ...cdns];
    const run = await runCli(args, repo.dir);
    if (run.code !== 0) throw new Error(`deploy ${n}: deltawarm build exited ${run.code}: ${run.stderr}`);
    cpSync(join(built.dir, 'assets'), join(tree, 'assets'), { recursive: true });
    const html = readFileSync(join(built.dir, 'index.html'), 'utf8').replace('</head>', `${REGISTER}</head>`);
    const manifestText = readFileSync(join(tree, 'manifest', `${release}.json`), 'utf8');
    deploys.push({ release, html, manifest: JSON.parse(manifestText) as Manifest, manifestText, report: JSON.parse(run.stdout) as CoverageReport, headText: readFileSync(join(tree, 'manifest', 'head.json'), 'utf8') });
  }
  return deploys;
}
