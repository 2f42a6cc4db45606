import type { Integrity, PatchFormat, Version } from '../types.js';
import type { PatchJobResult } from './patch-job.js';

/**
 * Messages between the pipeline and a patch worker. An `asset` message brings an asset's
 * release bytes, which the worker decodes, hashes and keeps once; one `pair` message per older
 * version brings that version's bytes; `done` lets the worker drop the text. Every message but
 * `done` gets one reply, in request order.
 */
export type WorkerRequest = AssetRequest | PairRequest | DoneMessage;

export interface AssetRequest {
  type: 'asset';
  /** Names the asset in its pairs: a worker may hold a few assets at once. */
  id: number;
  path: string;
  version: Version;
  bytes: Uint8Array;
  /** Keep the text for pairs to come (false for binary or oversized assets). */
  keep: boolean;
}

export interface PairRequest {
  type: 'pair';
  id: number;
  from: Version;
  /** The older version's bytes, transferred: the pipeline does not use them again. */
  bytes: Uint8Array;
  format: PatchFormat;
  maxPatchRatio: number;
}

export interface DoneMessage {
  type: 'done';
  id: number;
}

export interface PreparedAsset {
  integrity: Integrity;
  gzipSize: number;
  brotliSize: number;
}

export interface PairOutcome {
  /** Integrity of the old text, when it is text. */
  fromIntegrity?: Integrity;
  result: PatchJobResult;
}

export type WorkerReply = PreparedAsset | PairOutcome;
