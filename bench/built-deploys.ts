/**
 * Built mode on the fixture web app (fixtures/web-app: esbuild, code-split minified ESM, hashed
 * names) over its ten deploys to a tree on disk: per deploy, the coverage of changed assets,
 * what a client that holds the previous deploy downloads (and what it would without deltawarm),
 * and the requests made to the history source. Counts, not times: the figures do not depend on
 * the machine. Run alone: node --import tsx bench/built-deploys.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { runCli } from '../fixtures/run-cli.js';
import { DEPLOY_COUNT, buildDist, commitDeploy, createWebAppRepo } from '../fixtures/web-app/app.js';
import type { CoverageReport } from '../src/report/coverage.js';
import type { Manifest } from '../src/tree/manifest.js';

interface Row {
  deploy: number;
  changed: number;
  unchanged: number;
  oldVersions: number;
  patches: number;
  /** Bytes a client holding the previous deploy downloads, and would download as full files. */
  returning: number;
  withoutPatches: number;
  requests: number;
  deploysRead: number;
}

export async function main(): Promise<string> {
  const repo = createWebAppRepo();
  const out = join(makeTempDir('deltawarm-bench-built-'), 'tree');
  const rows: Row[] = [];
  let previous: Manifest | undefined;
  for (let deploy = 1; deploy <= DEPLOY_COUNT; deploy++) {
    commitDeploy(repo, deploy);
    await buildDist(repo.dir);
    const run = await runCli(['build', '--dir', 'dist', '--assets', '**/*.{js,css}', '--out', out, '--json', '--quiet', '--concurrency', '1'], repo.dir);
    if (run.code !== 0) throw new Error(`deploy ${deploy}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as CoverageReport;
    const manifest = JSON.parse(readFileSync(join(out, 'manifest/latest.json'), 'utf8')) as Manifest;
    rows.push(rowFor(deploy, report, manifest, previous));
    previous = manifest;
  }
  return render(rows);
}

function rowFor(deploy: number, report: CoverageReport, manifest: Manifest, previous: Manifest | undefined): Row {
  let [changed, unchanged, returning, withoutPatches] = [0, 0, 0, 0];
  for (const [name, asset] of Object.entries(manifest.assets)) {
    const held = previous?.assets[name];
    if (held?.integrity === asset.integrity) {
      unchanged++;
      continue;
    }
    changed++;
    withoutPatches += asset.size;
    returning += held ? (asset.patches[held.version]?.size ?? asset.size) : asset.size;
  }
  const patchesOfChanged = report.assets.filter((asset) => asset.version === report.release);
  return {
    deploy,
    changed,
    unchanged,
    oldVersions: patchesOfChanged.reduce((sum, asset) => sum + asset.patches.length, 0),
    patches: patchesOfChanged.reduce((sum, asset) => sum + asset.patches.filter((patch) => patch.status === 'ok').length, 0),
    returning,
    withoutPatches,
    requests: report.history?.requests ?? 0,
    deploysRead: report.history?.deploysRead ?? 0,
  };
}

function render(rows: Row[]): string {
  const lines = [
    '| deploy | changed / unchanged assets | changed assets: patched / old versions | returning client downloads (full files would be) | history requests (deploys read) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.deploy} | ${r.changed} / ${r.unchanged} | ${r.patches} / ${r.oldVersions} | ${r.returning} B (${r.withoutPatches} B) | ${r.requests} (${r.deploysRead}) |`),
  ];
  const [patches, old] = [rows.reduce((s, r) => s + r.patches, 0), rows.reduce((s, r) => s + r.oldVersions, 0)];
  const [got, full] = [rows.slice(1).reduce((s, r) => s + r.returning, 0), rows.slice(1).reduce((s, r) => s + r.withoutPatches, 0)];
  lines.push('', `Changed assets patched from every old version in their windows: ${patches} of ${old} (${((100 * patches) / Math.max(old, 1)).toFixed(1)} %). A client following every deploy downloads ${got} B instead of ${full} B (${((100 * got) / Math.max(full, 1)).toFixed(1)} %); unchanged assets cost 0 B.`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
