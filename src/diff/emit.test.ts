import { describe, expect, it } from 'vitest';
import { emitOps } from './emit.js';

describe('emitOps', () => {
  const now = 'abcdefghijklmnopqrstuvwxyz';

  it('folds a short copy into the surrounding insert', () => {
    expect(emitOps(now, [100, 5, 3], 10)).toEqual([now]);
  });

  it('keeps copies worth their cost', () => {
    expect(emitOps(now, [100, 5, 12], 10)).toEqual(['abcde', [100, 12], 'rstuvwxyz']);
  });

  it('adds up runs that continue each other before judging their length', () => {
    expect(emitOps(now, [100, 5, 4, 104, 9, 4, 108, 13, 4], 10)).toEqual(['abcde', [100, 12], 'rstuvwxyz']);
  });

  it('inserts a short run that continues the previous copy only in the old text', () => {
    // [0, 12] then 'x' inserted then old continues at 12: the short run costs a copy op, so it is inserted.
    expect(emitOps(now, [0, 0, 12, 12, 13, 3], 10)).toEqual([[0, 12], now.slice(12)]);
  });

  it('gives the whole new text as one insert when nothing matched', () => {
    expect(emitOps(now, [], 10)).toEqual([now]);
    expect(emitOps('', [], 10)).toEqual([]);
  });
});
