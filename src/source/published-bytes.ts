import type { DeployedVersion } from '../history/deploy-history.js';
import { getChecked } from '../history/read-back.js';
import type { HistoryStore } from '../history/store.js';
import { decodeText } from '../text/decode.js';
import { integrityOf } from '../text/integrity.js';
import { UnusableVersion } from './asset-source.js';

/** The bytes of an old version only if they hash to what its manifest recorded. */
export function checked(bytes: Uint8Array, old: DeployedVersion, where: string): Uint8Array {
  if (old.integrity === undefined) throw new UnusableVersion(`its manifest records no integrity to check ${old.full} against`);
  if (integrityOf(decodeText(bytes) ?? bytes) !== old.integrity) throw new UnusableVersion(`${old.full} in ${where} does not match the integrity its manifest recorded`);
  return bytes;
}

/** An old full file as a deploy published it (`full/VERSION/ASSET`), checked. */
export async function readPublished(store: HistoryStore, old: DeployedVersion): Promise<Uint8Array> {
  const bytes = await getChecked(store, old.full);
  if (bytes === undefined) throw new UnusableVersion(`${old.full} is missing from ${store.name}`);
  return checked(bytes, old, store.name);
}
