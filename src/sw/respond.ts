import type { AssetPath } from '../types.js';
import { download, none } from '../client/download.js';
import type { FetchThroughCdns } from '../client/fetch-through-cdns.js';
import { integrityOf } from '../client/integrity.js';
import type { AssetIndex } from './asset-index.js';
import type { AssetStore, StoredAsset } from './asset-store.js';
import type { ManifestAsset } from '../tree/manifest.js';
import type { SwMode } from './options.js';

/** How an asset's response was made. */
export interface Made {
  mode: SwMode;
  /** Body bytes received over the network for it: see `SwReport.bytes`. */
  bytes: number;
  cdn?: string;
  /** Every source that failed before the one used. */
  error?: string;
}

export interface AnswerContext {
  store: AssetStore;
  fromCdns: FetchThroughCdns;
  /** Serve a verified older version now and update in the background (weak network, when allowed). */
  preferCached: boolean;
  /** Keeps the worker alive for work that outlives the response. */
  waitUntil: (work: Promise<unknown>) => void;
}

/** The bytes of `stored` when it is `asset`'s current version and they match its integrity; else undefined. */
export async function verifiedBytes(stored: StoredAsset | undefined, asset: ManifestAsset): Promise<ArrayBuffer | undefined> {
  if (stored?.version !== asset.version) return undefined;
  const bytes = await stored.body.arrayBuffer();
  return (await integrityOf(bytes)) === asset.integrity ? bytes : undefined;
}

/**
 * The verified body of asset `path` of `index`, from the first source that works: the stored
 * current version; the stored older version plus a listed patch; the full file (both through
 * the CDNs, integrity-checked). The patch request starts as soon as the stored version is
 * known, while the old text is read. A downloaded text is stored after it is returned, from a
 * copy of the same body (a quota error only loses that). Throws when storage cannot be read or
 * every source failed.
 */
export async function currentBody(path: AssetPath, index: AssetIndex, context: AnswerContext): Promise<Made & { body: Response }> {
  const asset = index.manifest.assets[path]!;
  const stored = await context.store.get(path);
  const answer = (body: BodyInit, made: Made) => ({ body: new Response(body, { headers: { 'content-type': asset.contentType } }), ...made });
  const bytes = await verifiedBytes(stored, asset);
  if (bytes) return answer(bytes, { mode: 'cache', bytes: 0 });
  const patch = stored && stored.version !== asset.version && asset.patches?.[stored.version];
  const old = patch ? { version: stored.version, text: stored.body.text() } : undefined;
  old?.text.catch(none); // a failed read fails the patch, then the full file is tried
  const update = async () => {
    const { text, source } = await download(index.manifest.patchFormat, asset, old, context.fromCdns);
    const made = answer(text, source);
    context.waitUntil(context.store.put(path, asset.version, made.body.clone()).catch(none));
    return made;
  };
  // An older version is answered at once only when the manifest vouches for it (fromIntegrity).
  if (context.preferCached && patch && old && (await integrityOf(await old.text)) === patch.fromIntegrity) {
    context.waitUntil(update().catch(none));
    return answer(await old.text, { mode: 'cache', bytes: 0 });
  }
  return update();
}

/**
 * Answers a request for asset `path`: its verified body with the asset's Content-Type, or,
 * when that cannot be had, the request itself sent to the network, so the worker never makes
 * a page worse than having none.
 */
export async function answer(request: Request, path: AssetPath, index: AssetIndex, context: AnswerContext): Promise<Made & { response: Response }> {
  try {
    const { body, ...made } = await currentBody(path, index, context);
    return { response: body, ...made };
  } catch (error) {
    const response = await fetch(request);
    return { response, mode: 'network', bytes: Number(response.headers.get('content-length')) || 0, error: (error as Error).message };
  }
}
