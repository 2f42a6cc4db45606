import type { Integrity } from '../types.js';

/** SubtleCrypto, which browsers only give secure contexts (HTTPS, localhost). */
export const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;

/** SRI `sha256-<base64>` of the UTF-8 encoding of `text` (SPEC §2). Needs `subtle`. */
export async function integrityOf(text: string): Promise<Integrity> {
  const digest = new Uint8Array(await subtle!.digest('SHA-256', new TextEncoder().encode(text)));
  return 'sha256-' + btoa(String.fromCharCode(...digest));
}
