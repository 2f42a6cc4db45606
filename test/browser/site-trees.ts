import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FixtureRepo, buildRepo } from '../../fixtures/git-fixture.js';
import { CLIENT_SITE_RELEASES, type ClientSiteRelease, clientSite } from '../../fixtures/client-site.js';
import type { Manifest } from '../../src/tree/manifest.js';
import type { PatchFormat } from '../../src/types.js';

const CLI = join(import.meta.dirname, '../../bin/deltawarm.js');

/** Older versions per asset that get a patch: with 2, r1 falls outside r4's and r5's windows. */
export const WINDOW = 2;

export interface SiteTrees {
  repo: FixtureRepo;
  /** Directory holding one tree per patch form (`json/`, `tab/`, `delta/`) and `local/` (no CDNs). */
  root: string;
  manifest: (format: PatchFormat, release: ClientSiteRelease) => Manifest;
}

/**
 * Builds the client-site fixture repository and publishes every release with `deltawarm
 * build` into `root`, a tree per patch form, whose manifests list `cdnBases` (+ form folder) in
 * order; `local/` holds the last release built without CDNs.
 */
export function buildSiteTrees(cdnBases: readonly string[], root: string): SiteTrees {
  const repo = buildRepo(clientSite);
  const publish = (release: ClientSiteRelease, out: string, args: string[]) => {
    const options = ['--repo', repo.dir, '--release', repo.sha(release), '--assets', 'dist/**', '--out', out, '--versions', String(WINDOW)];
    // The fixture's files are tiny, so a patch's JSON header can outweigh the file: patch anyway.
    execFileSync(process.execPath, [CLI, 'build', ...options, '--max-patch-ratio', '100', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  };
  for (const format of ['json', 'tab', 'delta'] as const) {
    const cdns = cdnBases.flatMap((base) => ['--cdn', `${base}${format}/`]);
    for (const release of CLIENT_SITE_RELEASES) publish(release, join(root, format), [...cdns, '--patch-format', format]);
  }
  publish('r5', join(root, 'local'), []);
  const manifest = (format: PatchFormat, release: ClientSiteRelease) =>
    JSON.parse(readFileSync(join(root, format, 'manifest', `${repo.sha(release)}.json`), 'utf8')) as Manifest;
  return { repo, root, manifest };
}
