import type { DeployEntry } from '../history/deploy-index.js';
import type { Manifest, ManifestAsset } from '../tree/manifest.js';
import type { Release, Version } from '../types.js';
import type { Deploys } from './deploys.js';
import { NEW_VISITOR, type Tally, splitKey } from './tally.js';

export const TRAFFIC_FORMAT = 'deltawarm-traffic/1';

/** What returning clients' downloads were, asset by asset (a visit downloads every text asset it does not hold). */
export interface Downloads {
  /** Answered by a patch that applied. */
  patched: number;
  /** Full file: the held version is older than the window. */
  behindWindow: number;
  /** Full file: the held version is in the window but no patch was published (not worth it: over --max-patch-ratio, or failed to diff). */
  skipped: number;
  /** Full file after a patch was tried and failed (the beacons' count). */
  failed: number;
  /** Full file: the asset did not exist in the held release. */
  added: number;
}

export interface Bytes {
  /** What deltawarm sent: patches, and full files where there was none. */
  deltawarm: number;
  /** What plain HTTP caching would have sent: every changed asset's full file. */
  plainHttp: number;
}

/** The visit figures given per deploy and overall. */
export interface VisitFigures {
  visits: number;
  newVisits: number;
  /** Returning visits by deploys behind: index 0 held this release already, 1 the one before, ... */
  returningByBehind: number[];
  /** Returning visits whose held release is no longer in the deploy index (over 100 deploys behind, or another site's). */
  returningBeyondIndex: number;
  downloads: Downloads;
  incrementalShare: number | null;
}

export interface DeployTraffic extends VisitFigures {
  release: Release;
  createdAt: string;
  /** The window this deploy's manifest was built with (inferred from its patches, or --window). */
  window: number;
  bytes: Bytes;
}

export interface WindowRow {
  versions: number;
  /** Share of returning visits that were behind (1 or more deploys) that this N covers. */
  coverage: number;
  /** Returning visits behind by more than N: each of their changed assets is a full file. */
  visitsMissed: number;
  /** Full-file downloads by returning clients with this N (window misses, skipped, failed). */
  fullDownloads: number;
  /** Patches a deploy computes, proves and stores with this N (newest deploy's assets). */
  patchesPerDeploy: number;
  /** Bytes those patches take in storage; estimated where the newest manifest does not list the patch. */
  storageBytes: number;
  /** What going from N-1 to N adds per deploy. */
  addedPatches: number;
  addedBytes: number;
  /** True when storageBytes includes estimated patch sizes. */
  estimated: boolean;
}

export interface TrafficReport extends VisitFigures {
  format: typeof TRAFFIC_FORMAT;
  target: number;
  /** Smallest N of 1..maxVersions covering `target` of the returning visits that were behind; null when none does (or no such visit). */
  recommendedVersions: number | null;
  /** Patch success rate: patches applied of patches tried. */
  patchSuccess: number | null;
  bytes: Bytes & { logged: { patches: number; fulls: number }; requests: { patches: number; fulls: number } };
  windows: WindowRow[];
  deploys: DeployTraffic[];
  notes: string[];
}

export interface AnalyzeOptions {
  /** Share of returning visits (behind by 1 or more) the recommended N must cover. Default 0.99. */
  target?: number;
  /** The window deploys were built with; default: inferred per deploy from its manifest. */
  window?: number;
  /** Rows of the window table. Default 20. */
  maxVersions?: number;
}

const emptyDownloads = (): Downloads => ({ patched: 0, behindWindow: 0, skipped: 0, failed: 0, added: 0 });

const textAssets = (manifest: Manifest) => Object.values(manifest.assets).filter((asset) => asset.text);

/**
 * The window a deploy was built with, from the patches its manifest lists: a listed old version
 * first seen k deploys back means the window reached at least k deploys.
 */
function inferWindow(at: number, entries: DeployEntry[], manifests: Map<Release, Manifest>): number {
  const manifest = manifests.get(entries[at]!.release);
  if (!manifest) return 0;
  let window = 0;
  const seen = new Set<string>();
  for (let k = 1; at + k < entries.length; k++) {
    const older = manifests.get(entries[at + k]!.release);
    if (!older) continue;
    for (const [path, asset] of Object.entries(manifest.assets)) {
      const held = older.assets[path]?.version;
      if (held === undefined || seen.has(`${path} ${held}`)) continue;
      seen.add(`${path} ${held}`);
      if (held !== asset.version && asset.patches?.[held] !== undefined) window = k;
    }
  }
  return window;
}

/** Whether an asset's version is one of its versions in the `window` deploys before deploy `at` (SPEC §9). */
function windowVersions(at: number, window: number, entries: DeployEntry[], manifests: Map<Release, Manifest>): (path: string, version: Version) => boolean {
  const versions = new Set<string>();
  for (let k = 1; k <= window && at + k < entries.length; k++) {
    const older = manifests.get(entries[at + k]!.release);
    for (const [path, asset] of Object.entries(older?.assets ?? {})) versions.add(`${path} ${asset.version}`);
  }
  return (path, version) => versions.has(`${path} ${version}`);
}

/** One group of identical visits: the same release, held release and deploys behind. */
interface VisitGroup {
  visits: number;
  failed: number;
  behind: number;
  /** Changed assets by outcome, per visit (before failures). */
  patches: number;
  skipped: number;
  behindWindow: number;
  added: number;
  /** Per visit: bytes with deltawarm (failures aside) and with plain HTTP caching. */
  deltawarmBytes: number;
  plainBytes: number;
  /** Mean full size of the patched assets, for the bytes of failed patches. */
  patchedFullMean: number;
}

/** What a client holding `held` (or nothing) needs of `manifest`, asset by asset. */
function classify(manifest: Manifest, held: Manifest | undefined, inWindow: (path: string, version: Version) => boolean, heldKnown: boolean): Omit<VisitGroup, 'visits' | 'failed' | 'behind'> {
  const group = { patches: 0, skipped: 0, behindWindow: 0, added: 0, deltawarmBytes: 0, plainBytes: 0, patchedFullMean: 0 };
  let patchedFull = 0;
  for (const [path, asset] of Object.entries(manifest.assets) as [string, ManifestAsset][]) {
    if (!asset.text) continue;
    const heldVersion: Version | undefined = held?.assets[path]?.version;
    if (heldKnown && heldVersion === asset.version) continue;
    group.plainBytes += asset.size;
    const patch = heldVersion !== undefined ? asset.patches?.[heldVersion] : undefined;
    if (patch) {
      group.patches++;
      group.deltawarmBytes += patch.size;
      patchedFull += asset.size;
      continue;
    }
    group.deltawarmBytes += asset.size;
    if (held && heldVersion === undefined) group.added++;
    else if (heldVersion !== undefined && inWindow(path, heldVersion)) group.skipped++;
    else group.behindWindow++;
  }
  group.patchedFullMean = group.patches ? patchedFull / group.patches : 0;
  return group;
}

/**
 * The traffic report: the visit beacons matched against the deploy index and each deploy's
 * manifest give, per visit, what the client held and so what it needed; the logs' patch and
 * full-file requests give the bytes actually sent.
 */
export function analyzeTraffic(tally: Tally, deploys: Deploys, options: AnalyzeOptions = {}): TrafficReport {
  const target = options.target ?? 0.99;
  const maxVersions = options.maxVersions ?? 20;
  const { entries, manifests } = deploys;
  const notes = [...deploys.notes];
  const position = new Map(entries.map((entry, index) => [entry.release, index]));
  const windows = new Map<Release, number>();
  const windowOf = (at: number) => {
    const release = entries[at]!.release;
    if (!windows.has(release)) windows.set(release, options.window ?? inferWindow(at, entries, manifests));
    return windows.get(release)!;
  };
  const inWindowCache = new Map<number, (path: string, version: Version) => boolean>();
  const inWindowOf = (at: number) => {
    if (!inWindowCache.has(at)) inWindowCache.set(at, windowVersions(at, windowOf(at), entries, manifests));
    return inWindowCache.get(at)!;
  };

  const perDeploy = new Map<Release, { groups: VisitGroup[]; newVisits: number; beyond: number; newBytes: number }>();
  let unknownVisits = 0;
  let aheadVisits = 0;
  for (const [key, { visits, failed }] of tally.visits) {
    const [release, held] = splitKey(key, 2) as [Release, string];
    const at = position.get(release);
    const manifest = manifests.get(release);
    if (at === undefined || !manifest) {
      unknownVisits += visits;
      continue;
    }
    const deploy = perDeploy.get(release) ?? { groups: [], newVisits: 0, beyond: 0, newBytes: textAssets(manifest).reduce((sum, asset) => sum + asset.size, 0) };
    perDeploy.set(release, deploy);
    if (held === NEW_VISITOR) {
      deploy.newVisits += visits;
      continue;
    }
    const heldAt = position.get(held);
    if (heldAt !== undefined && heldAt < at) {
      aheadVisits += visits; // held a newer release than it loaded: a rollback; nothing to learn about windows
      continue;
    }
    const behind = heldAt === undefined ? Infinity : heldAt - at;
    if (heldAt === undefined) deploy.beyond += visits;
    const heldManifest = heldAt === undefined ? undefined : manifests.get(held);
    const classified = behind === 0 ? classify(manifest, manifest, () => false, true) : classify(manifest, heldManifest, inWindowOf(at), heldManifest !== undefined);
    deploy.groups.push({ visits, failed, behind, ...classified });
  }
  if (unknownVisits) notes.push(`${unknownVisits} visit(s) loaded a release the deploy index does not list (older than its 100 deploys, or another site): left out`);
  if (aheadVisits) notes.push(`${aheadVisits} visit(s) held a newer release than they loaded (a rollback): left out of the window figures`);

  const deployRows: DeployTraffic[] = [];
  const total = { visits: 0, newVisits: 0, beyond: 0, byBehind: [] as number[], downloads: emptyDownloads(), bytes: { deltawarm: 0, plainHttp: 0 } };
  entries.forEach((entry, at) => {
    const deploy = perDeploy.get(entry.release);
    if (!deploy) return;
    const row: DeployTraffic = {
      release: entry.release,
      createdAt: entry.createdAt,
      window: windowOf(at),
      visits: deploy.newVisits,
      newVisits: deploy.newVisits,
      returningByBehind: [],
      returningBeyondIndex: deploy.beyond,
      downloads: emptyDownloads(),
      incrementalShare: null,
      bytes: { deltawarm: deploy.newVisits * deploy.newBytes, plainHttp: deploy.newVisits * deploy.newBytes },
    };
    for (const group of deploy.groups) {
      row.visits += group.visits;
      if (Number.isFinite(group.behind)) row.returningByBehind[group.behind] = (row.returningByBehind[group.behind] ?? 0) + group.visits;
      const failed = Math.min(group.failed, group.patches * group.visits);
      const d = row.downloads;
      d.patched += group.patches * group.visits - failed;
      d.failed += failed;
      d.skipped += group.skipped * group.visits;
      d.behindWindow += group.behindWindow * group.visits;
      d.added += group.added * group.visits;
      row.bytes.deltawarm += group.deltawarmBytes * group.visits + failed * group.patchedFullMean;
      row.bytes.plainHttp += group.plainBytes * group.visits;
    }
    fill(row.returningByBehind);
    row.incrementalShare = share(row.downloads);
    deployRows.push(row);
    total.visits += row.visits;
    total.newVisits += row.newVisits;
    total.beyond += row.returningBeyondIndex;
    row.returningByBehind.forEach((count, behind) => (total.byBehind[behind] = (total.byBehind[behind] ?? 0) + count));
    for (const key of Object.keys(total.downloads) as (keyof Downloads)[]) total.downloads[key] += row.downloads[key];
    total.bytes.deltawarm += row.bytes.deltawarm;
    total.bytes.plainHttp += row.bytes.plainHttp;
  });
  fill(total.byBehind);

  const groups = [...perDeploy.values()].flatMap((deploy) => deploy.groups);
  const windowRows = windowTable(groups, total.byBehind, total.beyond, total.downloads.failed, entries, manifests, maxVersions);
  const recommended = windowRows.find((row) => row.coverage >= target - 1e-12)?.versions ?? null;
  const behindVisits = total.byBehind.slice(1).reduce((a, b) => a + b, 0) + total.beyond;
  if (behindVisits === 0) notes.push('no returning visit was behind the release it loaded: nothing to recommend yet');
  else if (recommended === null) notes.push(`no window up to ${maxVersions} versions covers ${(target * 100).toFixed(1)} % of the returning visits that were behind`);

  const logged = { patches: 0, fulls: 0 };
  const requests = { patches: 0, fulls: 0 };
  for (const count of tally.patches.values()) {
    logged.patches += count.bytes;
    requests.patches += count.requests;
  }
  for (const count of tally.fulls.values()) {
    logged.fulls += count.bytes;
    requests.fulls += count.requests;
  }
  const expectedPatchRequests = total.downloads.patched + total.downloads.failed;
  // A patch that fails is tried again on the other CDNs before the full file: up to one request per CDN.
  const cdns = Math.max(1, ...[...manifests.values()].map((manifest) => manifest.cdns?.length ?? 0));
  const mostPatchRequests = expectedPatchRequests + total.downloads.failed * (cdns - 1);
  if (tally.visits.size > 0 && expectedPatchRequests > 0 && (requests.patches < 0.9 * expectedPatchRequests || requests.patches > 1.1 * mostPatchRequests)) {
    notes.push(`the logs hold ${requests.patches} patch request(s) where the visits imply ${expectedPatchRequests}${mostPatchRequests > expectedPatchRequests ? ` (up to ${mostPatchRequests} with failed patches tried on each CDN)` : ''}: pages may load only some of the manifest's assets, or the logs cover another period than the beacons`);
  }
  if (tally.visits.size === 0) notes.push('no visit beacons in the logs (SPEC §14): the runtimes send them unless turned off; without them only the logged bytes are reported');

  const tried = total.downloads.patched + total.downloads.failed;
  return {
    format: TRAFFIC_FORMAT,
    target,
    recommendedVersions: recommended,
    visits: total.visits,
    newVisits: total.newVisits,
    returningByBehind: total.byBehind,
    returningBeyondIndex: total.beyond,
    downloads: total.downloads,
    incrementalShare: share(total.downloads),
    patchSuccess: tried ? total.downloads.patched / tried : null,
    bytes: { ...roundBytes(total.bytes), logged, requests },
    windows: windowRows,
    deploys: deployRows.map((row) => ({ ...row, bytes: roundBytes(row.bytes) })),
    notes,
  };
}

const roundBytes = (bytes: Bytes): Bytes => ({ deltawarm: Math.round(bytes.deltawarm), plainHttp: Math.round(bytes.plainHttp) });

function fill(values: number[]): void {
  for (let i = 0; i < values.length; i++) values[i] ??= 0;
}

/** Patched downloads of all downloads by returning clients; null without any. */
function share(downloads: Downloads): number | null {
  const all = downloads.patched + downloads.failed + downloads.skipped + downloads.behindWindow + downloads.added;
  return all ? downloads.patched / all : null;
}

function windowTable(groups: VisitGroup[], byBehind: number[], beyond: number, failed: number, entries: DeployEntry[], manifests: Map<Release, Manifest>, maxVersions: number): WindowRow[] {
  const behindVisits = byBehind.slice(1).reduce((a, b) => a + b, 0) + beyond;
  const costs = storageCosts(entries, manifests, maxVersions);
  const rows: WindowRow[] = [];
  let covered = 0;
  for (let n = 1; n <= maxVersions; n++) {
    covered += byBehind[n] ?? 0;
    let fullDownloads = failed;
    for (const group of groups) {
      if (group.behind === 0) continue;
      const changed = group.patches + group.skipped + group.behindWindow;
      fullDownloads += group.visits * (group.behind > n ? changed : group.skipped) + group.visits * group.added;
    }
    const cost = costs[n - 1] ?? costs[costs.length - 1] ?? { patches: 0, bytes: 0, estimated: false };
    const previous = n === 1 ? { patches: 0, bytes: 0 } : (costs[n - 2] ?? cost);
    rows.push({
      versions: n,
      coverage: behindVisits ? covered / behindVisits : 1,
      visitsMissed: behindVisits - covered,
      fullDownloads,
      patchesPerDeploy: cost.patches,
      storageBytes: Math.round(cost.bytes),
      addedPatches: Math.round((cost.patches - previous.patches) * 10) / 10,
      addedBytes: Math.round(cost.bytes - previous.bytes),
      estimated: cost.estimated,
    });
  }
  return rows;
}

const COST_DEPLOYS = 10;

/**
 * Patches a deploy computes, proves and stores with windows of 1..max versions, averaged over
 * the newest deploys (up to 10) that have `max` deploys before them in the index (else the newest):
 * each text asset's distinct versions in the N deploys before it. Sizes are the manifest's where
 * it lists the patch, else the asset's full size times the median patch-to-full ratio of the
 * listed ones.
 */
function storageCosts(entries: DeployEntry[], manifests: Map<Release, Manifest>, max: number): { patches: number; bytes: number; estimated: boolean }[] {
  const deep = entries.map((_, at) => at).filter((at) => manifests.has(entries[at]!.release) && at + max < entries.length).slice(0, COST_DEPLOYS);
  const chosen = deep.length ? deep : [0];
  const sums: { patches: number; bytes: number; estimated: boolean }[] = [];
  for (const at of chosen) {
    deployCosts(at, entries, manifests, max).forEach((row, i) => {
      const sum = (sums[i] ??= { patches: 0, bytes: 0, estimated: false });
      sum.patches += row.patches / chosen.length;
      sum.bytes += row.bytes / chosen.length;
      sum.estimated ||= row.estimated;
    });
  }
  return sums.map((row) => ({ ...row, patches: Math.round(row.patches * 10) / 10 }));
}

function deployCosts(at: number, entries: DeployEntry[], manifests: Map<Release, Manifest>, max: number): { patches: number; bytes: number; estimated: boolean }[] {
  const newest = entries[at] && manifests.get(entries[at].release);
  if (!newest) return [];
  const ratios: number[] = [];
  for (const asset of textAssets(newest)) for (const patch of Object.values(asset.patches ?? {})) if (asset.size > 0) ratios.push(patch.size / asset.size);
  ratios.sort((a, b) => a - b);
  const ratio = ratios.length ? ratios[Math.floor(ratios.length / 2)]! : 0.1;
  const seen = new Map<string, Set<Version>>();
  const rows: { patches: number; bytes: number; estimated: boolean }[] = [];
  let patches = 0;
  let bytes = 0;
  let estimated = ratios.length === 0;
  for (let n = 1; n <= max && at + n < entries.length; n++) {
    const older = manifests.get(entries[at + n]!.release);
    for (const [path, asset] of Object.entries(newest.assets)) {
      if (!asset.text) continue;
      const version = older?.assets[path]?.version;
      if (version === undefined || version === asset.version) continue;
      const versions = seen.get(path) ?? new Set<Version>();
      seen.set(path, versions);
      if (versions.has(version)) continue;
      versions.add(version);
      patches++;
      const listed = asset.patches?.[version];
      bytes += listed ? listed.size : asset.size * ratio;
      estimated ||= !listed;
    }
    rows.push({ patches, bytes, estimated });
  }
  return rows;
}
