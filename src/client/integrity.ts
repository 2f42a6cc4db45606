import type { Integrity } from '../types.js';

/** SubtleCrypto, which browsers only give secure contexts (HTTPS, localhost). */
export const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;

/** SRI `sha256-<base64>` of `data`, a text taken as UTF-8 (SPEC §2). Needs `subtle`. */
export async function integrityOf(data: string | ArrayBuffer): Promise<Integrity> {
  const digest = new Uint8Array(await subtle!.digest('SHA-256', typeof data == 'string' ? new TextEncoder().encode(data) : data));
  return 'sha256-' + btoa(String.fromCharCode(...digest));
}
