import pLimit from 'p-limit';
import { decodeText } from '../text/decode.js';
import { integrityOf } from '../text/integrity.js';
import { fullKey, releaseManifestKey } from '../tree/layout.js';
import type { Manifest, ManifestAsset } from '../tree/manifest.js';
import type { AssetPath, Integrity, StorageKey, Version } from '../types.js';
import { type Fetched, cdnUrl, getObject, networkReason } from '../warm/cdn-http.js';
import { checkPatch } from './check-patch.js';
import { corsProbeKey, corsProblem } from './cors.js';

/** The old text of an asset at a version (from git), or undefined when it cannot be had. */
export type OldText = (asset: AssetPath, version: Version) => Promise<string | undefined>;

export interface VerifyOptions {
  /** CDN or store base URLs, each ending in `/`. */
  bases: readonly string[];
  /** With it, every patch is applied to its old version; without, patches are validated only. */
  oldText?: OldText;
  /** Requests in flight per base (default 8). */
  concurrency?: number;
  timeoutMs?: number;
  /** A site origin (`https://www.example.com`): each base must answer its asset requests with CORS for it. */
  origin?: string;
}

export type CheckKind = 'manifest' | 'full' | 'patch' | 'cors';

export interface Mismatch {
  kind: CheckKind;
  key: StorageKey;
  problem: string;
}

export interface BaseVerifyResult {
  base: string;
  /** Why nothing was checked through this base: its first request got no HTTP answer. */
  down?: string;
  checked: number;
  ok: number;
  /** Patches applied to their old text, from git or (built mode) the old full file in the store; the rest were validated without it. */
  applied: number;
  mismatches: Mismatch[];
}

export interface VerifyResult {
  release: string;
  bases: BaseVerifyResult[];
  ok: boolean;
}

/**
 * The post-deploy smoke test: fetches every object a manifest lists through each base URL
 * and checks it. Full files must match their size, integrity and Content-Type; patches
 * their size, and must apply to the old text to give the new one (or, without git, be
 * valid). With an `origin`, an asset request from it must be answered with CORS for it. A
 * base that does not answer is reported as down, and the others are still checked.
 */
export async function verify(manifest: Manifest, options: VerifyOptions): Promise<VerifyResult> {
  const bases = await Promise.all(options.bases.map((base) => verifyBase(manifest, base, options)));
  return { release: manifest.release, bases, ok: bases.every((base) => !base.down && base.mismatches.length === 0) };
}

async function verifyBase(manifest: Manifest, base: string, options: VerifyOptions): Promise<BaseVerifyResult> {
  const result: BaseVerifyResult = { base, checked: 0, ok: 0, applied: 0, mismatches: [] };
  const timeoutMs = options.timeoutMs ?? 30_000;
  // With an origin every request carries it, as the runtimes' requests do: an edge that caches
  // one answer for every origin is then not filled with an answer made for no origin.
  const headers: Record<string, string> = options.origin ? { origin: options.origin } : {};
  const fetchKey = (key: StorageKey) => getObject(cdnUrl(base, key), timeoutMs, headers);
  const record = (kind: CheckKind, key: StorageKey, problem: string | undefined) => {
    result.checked++;
    if (problem) result.mismatches.push({ kind, key, problem });
    else result.ok++;
  };

  const manifestKey = releaseManifestKey(manifest.release);
  let got: Fetched;
  try {
    got = await fetchKey(manifestKey);
  } catch (error) {
    return { ...result, down: networkReason(error) };
  }
  record('manifest', manifestKey, got.status !== 200 ? `HTTP ${got.status}` : sameManifest(got.body, manifest));
  const probe = options.origin ? corsProbeKey(manifest) : undefined;
  if (probe) record('cors', probe, await corsProblem(base, probe, options.origin!, timeoutMs));

  const limit = pLimit(options.concurrency ?? 8);
  const assets = Object.entries(manifest.assets);
  const texts = new Map<AssetPath, string | undefined>();
  await Promise.all(assets.map(([path, asset]) => limit(async () => texts.set(path, await checkFull(path, asset, fetchKey, record)))));
  const patches = assets.flatMap(([path, asset]) => Object.entries(asset.patches).map(([from, patch]) => ({ path, asset, from, patch })));
  const oldText = oldTexts(manifest, options.oldText, fetchKey);
  await Promise.all(
    patches.map(({ path, asset, from, patch }) =>
      limit(async () => {
        const problem = await checkOnePatch(manifest, path, asset, from, patch.key, patch.size, texts.get(path), fetchKey, (p, v) => oldText(p, v, patch.fromIntegrity));
        if (problem === 'applied') result.applied++;
        record('patch', patch.key, problem === 'applied' ? undefined : problem);
      }),
    ),
  );
  // Checks finish in any order: list the mismatches in the manifest's order, the same on every run.
  const rank = new Map([manifestKey, ...assets.map(([, asset]) => asset.full), ...patches.map(({ patch }) => patch.key)].map((key, i) => [key, i]));
  result.mismatches.sort((a, b) => (rank.get(a.key) ?? 0) - (rank.get(b.key) ?? 0));
  return result;
}

/** An old text, checked against the patch entry's fromIntegrity when it comes from the store. */
type CheckedOldText = (asset: AssetPath, version: Version, fromIntegrity: Integrity | undefined) => Promise<string | undefined>;

/**
 * Where old texts come from: git (--repo) first; in built mode, where the old versions are what
 * earlier deploys published, else the old full file through the same base (SPEC §1.2), used only
 * when it matches the patch entry's fromIntegrity. Each old file is fetched once per base.
 */
function oldTexts(manifest: Manifest, fromGit: OldText | undefined, fetchKey: (key: StorageKey) => Promise<Fetched>): CheckedOldText {
  const fetched = new Map<StorageKey, Promise<string | undefined>>();
  const fromStore = (asset: AssetPath, version: Version): Promise<string | undefined> => {
    const key = fullKey(version, asset);
    let text = fetched.get(key);
    if (!text) {
      text = fetchKey(key).then((got) => (got.status === 200 ? decodeText(got.body) : undefined), () => undefined);
      fetched.set(key, text);
    }
    return text;
  };
  return async (asset, version, fromIntegrity) => {
    const git = fromGit ? await fromGit(asset, version) : undefined;
    if (git !== undefined || manifest.mode !== 'built' || fromIntegrity === undefined) return git;
    const stored = await fromStore(asset, version);
    return stored !== undefined && integrityOf(stored) === fromIntegrity ? stored : undefined;
  };
}

type Recorder = (kind: CheckKind, key: StorageKey, problem: string | undefined) => void;

/** Checks a full file; returns its text when it is a text asset that checked out. */
async function checkFull(path: AssetPath, asset: ManifestAsset, fetchKey: (key: StorageKey) => Promise<Fetched>, record: Recorder): Promise<string | undefined> {
  let got: Fetched;
  try {
    got = await fetchKey(asset.full);
  } catch (error) {
    record('full', asset.full, networkReason(error));
    return undefined;
  }
  const text = asset.text ? decodeText(got.body) : undefined;
  const problem =
    got.status !== 200 ? `HTTP ${got.status}`
    : got.body.byteLength !== asset.size ? `${got.body.byteLength} bytes, the manifest says ${asset.size}`
    : asset.text && text === undefined ? `${path} is not UTF-8 but the manifest says text`
    : integrityOf(text ?? got.body) !== asset.integrity ? 'integrity mismatch'
    : got.headers.get('content-type') !== asset.contentType ? `Content-Type ${got.headers.get('content-type')}, the manifest says ${asset.contentType}`
    : undefined;
  record('full', asset.full, problem);
  return problem ? undefined : text;
}

async function checkOnePatch(
  manifest: Manifest,
  path: AssetPath,
  asset: ManifestAsset,
  from: Version,
  key: StorageKey,
  size: number,
  newText: string | undefined,
  fetchKey: (key: StorageKey) => Promise<Fetched>,
  oldText: (asset: AssetPath, version: Version) => Promise<string | undefined>,
): Promise<string | 'applied' | undefined> {
  let got: Fetched;
  try {
    got = await fetchKey(key);
  } catch (error) {
    return networkReason(error);
  }
  if (got.status !== 200) return `HTTP ${got.status}`;
  if (got.body.byteLength !== size) return `${got.body.byteLength} bytes, the manifest says ${size}`;
  if (newText === undefined) return 'not checked: the full file it leads to failed';
  const encoded = decodeText(got.body);
  if (encoded === undefined) return 'patch is not UTF-8';
  const old = await oldText(path, from);
  const target = { asset: path, from, to: asset.version, toIntegrity: asset.integrity, toLength: newText.length };
  return checkPatch(manifest.patchFormat, encoded, target, old) ?? (old !== undefined ? 'applied' : undefined);
}

function sameManifest(body: Uint8Array, manifest: Manifest): string | undefined {
  const text = decodeText(body);
  try {
    return text !== undefined && canonical(JSON.parse(text)) === canonical(manifest) ? undefined : 'differs from the manifest being verified';
  } catch {
    return 'not JSON';
  }
}

/** JSON with sorted keys, so that field order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as { [k: string]: unknown })[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
