import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { AssetPath } from '../types.js';

/** Shard `index` (1-based) of `count`: one job of a CI matrix. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `K/N` (1 <= K <= N), as `--shard` takes it. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!(index >= 1 && index <= count)) throw new UsageError(`--shard takes K/N with 1 <= K <= N (e.g. 2/4), got "${text}"`);
  return { index, count };
}

/**
 * Whether an asset belongs to a shard. The share depends on the asset's own name (its
 * manifest key) and the shard count only, never on the other assets: adding or removing an
 * asset moves no other asset to another shard.
 */
export function inShard(path: AssetPath, shard: Shard): boolean {
  return createHash('sha256').update(path).digest().readUInt32BE(0) % shard.count === shard.index - 1;
}

export const shardName = (shard: Shard) => `${shard.index}/${shard.count}`;
