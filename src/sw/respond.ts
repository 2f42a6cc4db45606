import type { AssetPath } from '../types.js';
import { download, none } from '../client/download.js';
import type { FetchThroughCdns } from '../client/fetch-through-cdns.js';
import { integrityOf } from '../client/integrity.js';
import type { AssetIndex } from './asset-index.js';
import type { AssetStore } from './asset-store.js';
import type { SwMode } from './options.js';

/** How an asset's response was made. */
export interface Made {
  mode: SwMode;
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

/**
 * The verified text of asset `path` of `index`, from the first source that works: the cached
 * current version; the cached older version plus a listed patch; the full file (both through
 * the CDNs, integrity-checked). A downloaded text is stored after it is returned (a quota
 * error only loses that). Throws when storage cannot be read or every source failed.
 */
export async function currentText(path: AssetPath, index: AssetIndex, context: AnswerContext): Promise<Made & { text: string }> {
  const asset = index.manifest.assets[path]!;
  const cached = await context.store.get(path);
  if (cached?.version === asset.version && (await integrityOf(cached.text)) === asset.integrity) return { text: cached.text, mode: 'cache', bytes: 0 };
  const update = async () => {
    const { text, source } = await download(index.manifest.patchFormat, asset, cached, context.fromCdns);
    context.waitUntil(context.store.put(path, { version: asset.version, text }).catch(none));
    return { text, ...source };
  };
  // An older version is answered at once only when the manifest vouches for it (fromIntegrity).
  if (context.preferCached && cached && (await integrityOf(cached.text)) === asset.patches?.[cached.version]?.fromIntegrity) {
    context.waitUntil(update().catch(none));
    return { text: cached.text, mode: 'cache', bytes: 0 };
  }
  return update();
}

/**
 * Answers a request for asset `path`: its verified text with the asset's Content-Type, or,
 * when that cannot be had, the request itself sent to the network, so the worker never makes
 * a page worse than having none.
 */
export async function answer(request: Request, path: AssetPath, index: AssetIndex, context: AnswerContext): Promise<Made & { response: Response }> {
  try {
    const { text, ...made } = await currentText(path, index, context);
    return { response: new Response(text, { headers: { 'content-type': index.manifest.assets[path]!.contentType } }), ...made };
  } catch (error) {
    const response = await fetch(request);
    return { response, mode: 'network', bytes: Number(response.headers.get('content-length')) || 0, error: (error as Error).message };
  }
}
