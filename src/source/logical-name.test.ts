import { describe, expect, it } from 'vitest';
import { DEFAULT_HASH_PATTERN, logicalName, logicalNames, parseHashPattern } from './logical-name.js';

const pattern = new RegExp(DEFAULT_HASH_PATTERN);

describe('logical names', () => {
  it.each([
    ['assets/index-5hF2a9Qb.js', 'assets/index.js'],
    ['assets/vendor-a-Bc3dEf.css', 'assets/vendor.css'],
    ['assets/chunk-IVZRBZEC.js', 'assets/chunk.js'],
    ['js/app.3f9a2c1b.js', 'js/app.js'],
    ['static/main.0123456789abcdef0123.css', 'static/main.css'],
    ['assets/use-settings.js', 'assets/use-settings.js'],
    ['assets/my-component.js', 'assets/my-component.js'],
    ['src/git-old-text.ts', 'src/git-old-text.ts'],
    ['assets-5hF2a9Qb/index.js', 'assets-5hF2a9Qb/index.js'],
    ['index.js', 'index.js'],
  ])('%s -> %s', (path, name) => {
    expect(logicalName(path, pattern)).toBe(name);
  });

  it('takes a custom pattern, and rejects one that is not a regular expression', () => {
    expect(logicalName('main.8a3f2b1c.chunk.js', parseHashPattern('\\.[0-9a-f]{8}(?=\\.chunk\\.js$)'))).toBe('main.chunk.js');
    expect(() => parseHashPattern('(')).toThrow(/--hash-pattern "\(" is not a regular expression/);
  });

  it('names both files when two map to one logical name', () => {
    expect(() => logicalNames(['a/x-AAAA1111.js', 'a/x.js'], pattern)).toThrow('a/x-AAAA1111.js and a/x.js both have the logical name a/x.js');
  });
});
