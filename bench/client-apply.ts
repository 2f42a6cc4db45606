/**
 * Time for the browser runtime to apply and verify a jQuery patch, in headless Chromium:
 * decode + apply + SHA-256 checks (src/client/patch.ts), median of RUNS, for every patch
 * form (json, tab, delta), 4.0.0-rc.2 -> 4.0.0 (11 -> 12) and 3.6.0 -> 4.0.0 (01 -> 12), plus a whole
 * `load()` of the patch from a localhost server (fetch, apply, verify, localStorage write).
 *
 *   npm run build && node --import tsx bench/client-apply.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildRepo, makeTempDir } from '../fixtures/git-fixture.js';
import type { Manifest } from '../src/tree/manifest.js';
import type { PatchFormat } from '../src/types.js';
import { launchChromium } from '../test/browser/chromium.js';
import { addTestPages } from '../test/browser/page.js';
import { StaticServer } from '../test/browser/static-server.js';

const RUNS = 31;
const JQUERY = '/work/shared/data/jquery-dist/versions';
const PATH = 'dist/jquery.js';
const ROOT = join(import.meta.dirname, '..');

const repo = buildRepo(['01', '11', '12'].map((n) => ({ message: n, files: { [PATH]: readFileSync(join(JQUERY, n, PATH)) } })));
const root = makeTempDir('deltawarm-bench-client-');
const site = await StaticServer.start(root);
addTestPages(site);
/**
 * Publishes the release with `deltawarm build`. The diff engine has a 400 ms wall-time budget
 * per pair and 01 -> 12 takes about that long, so retry until both patches are there.
 */
function publish(format: PatchFormat): Manifest {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const out = join(root, format);
    rmSync(out, { recursive: true, force: true });
    const flags = ['--repo', repo.dir, '--assets', PATH, '--out', out, '--versions', '2', '--patch-format', format, '--max-patch-ratio', '100', '--quiet'];
    execFileSync(process.execPath, [join(ROOT, 'bin/deltawarm.js'), 'build', ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest/latest.json'), 'utf8')) as Manifest;
    if (Object.keys(manifest.assets[PATH]!.patches).length === 2) return manifest;
    console.error(`attempt ${attempt}: a ${format} patch was skipped (time budget?), building again`);
  }
  throw new Error(`deltawarm build kept skipping a ${format} patch`);
}
const manifests = { json: publish('json'), tab: publish('tab'), delta: publish('delta') };

const bundle = await build({
  stdin: { contents: 'export { applyPatch } from "./src/client/patch.ts";', resolveDir: ROOT, loader: 'ts' },
  bundle: true,
  format: 'iife',
  globalName: 'bench',
  write: false,
});
site.pages.set('/bench.js', bundle.outputFiles[0]!.text);
site.pages.set('/bench.html', '<!doctype html><meta charset="utf-8"><script src="/bench.js"></script><script src="/deltawarm.min.js"></script>');

const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
await page.goto(site.url + 'bench.html');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`jquery.js in Chromium ${browser.version()}, median of ${RUNS} runs`);
console.log('pair      form  patch bytes  apply+verify ms  whole load() ms');
for (const from of ['11', '01']) {
  const old = readFileSync(join(JQUERY, from, PATH), 'utf8');
  for (const format of ['json', 'tab', 'delta'] as const) {
    const manifest = { ...manifests[format], cdns: [`${site.url}${format}/`] };
    const asset = manifest.assets[PATH]!;
    const patch = asset.patches[repo.sha(from)]!;
    const patchText = readFileSync(join(root, format, patch.key), 'utf8');
    const timings = await page.evaluate(
      async ({ format, patchText, old, fromVersion, asset, manifest, runs }) => {
        type Bench = { applyPatch: (...args: unknown[]) => Promise<string> };
        type Runtime = { load: (...args: unknown[]) => Promise<{ mode: string; ms: number }[]> };
        const { bench, deltawarm } = window as unknown as { bench: Bench; deltawarm: Runtime };
        const apply: number[] = [];
        const load: number[] = [];
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          await bench.applyPatch(format, patchText, old, asset);
          apply.push(performance.now() - start);
          localStorage.clear();
          localStorage.setItem(`deltawarm:${asset.full.split('/').slice(2).join('/')}`, `${fromVersion}\n${old}`);
          const [report] = await deltawarm.load(manifest, [asset.full.split('/').slice(2).join('/')]);
          if (report!.mode !== 'patch') throw new Error(`load used ${report!.mode}`);
          load.push(report!.ms);
        }
        return { apply, load };
      },
      { format, patchText, old, fromVersion: repo.sha(from), asset, manifest, runs: RUNS },
    );
    const row = [`${from} -> 12`.padEnd(9), format.padEnd(5), String(patch.size).padStart(11), median(timings.apply).toFixed(1).padStart(16), median(timings.load).toFixed(1).padStart(16)];
    console.log(row.join(' '));
  }
}
console.log(`full file: ${manifests.json.assets[PATH]!.size} bytes`);
await browser.close();
await site.close();
