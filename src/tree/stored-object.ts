import type { StorageKey } from '../types.js';

/** One object of the static tree, ready for any target (a directory, an S3 bucket). */
export interface StoredObject {
  key: StorageKey;
  body: Uint8Array;
  contentType: string;
  cacheControl: string;
  /** Immutable keys are never rewritten with other bytes (SPEC §5). */
  immutable: boolean;
}
