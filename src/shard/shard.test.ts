import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { inShard, parseShard } from './shard.js';

describe('shards', () => {
  it('parses K/N and rejects anything else with a usage error', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/4', '1.5/4']) expect(() => parseShard(bad), bad).toThrow(UsageError);
  });

  it('puts every asset in exactly one shard, with shares of about the same size', () => {
    const paths = Array.from({ length: 2000 }, (_, i) => `dist/chunk-${i}.js`);
    const counts = [1, 2, 3, 4].map((index) => paths.filter((path) => inShard(path, { index, count: 4 })).length);
    for (const path of paths) expect([1, 2, 3, 4].filter((index) => inShard(path, { index, count: 4 }))).toHaveLength(1);
    expect(counts.reduce((a, b) => a + b)).toBe(2000);
    for (const count of counts) expect(count).toBeGreaterThan(400);
  });
});
