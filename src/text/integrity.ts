import { createHash } from 'node:crypto';
import type { Integrity } from '../types.js';

/** SRI `sha256-<base64>` of bytes, or of the UTF-8 encoding of a text (SPEC §2). */
export function integrityOf(content: Uint8Array | string): Integrity {
  return 'sha256-' + createHash('sha256').update(content).digest('base64');
}
