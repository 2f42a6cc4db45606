import { describe, expect, it } from 'vitest';
import { isEsModule } from './es-module.js';

describe('isEsModule', () => {
  it.each([
    ['an import declaration', 'import { a } from "./a.js";\nconsole.log(a);'],
    ['an export declaration', 'const a = 1;\nexport { a };'],
    ['a default export', 'export default function () {}'],
    ['import.meta', 'console.log(import.meta.url);'],
    ['top-level await', 'await Promise.resolve(1);'],
  ])('%s is a module', (_, text) => expect(isEsModule(text)).toBe(true));

  it.each([
    ['a classic script', 'var a = 1; window.a = a;'],
    ['a dynamic import', 'import("./chunk.js").then((m) => m.run());'],
    ['an identifier named module', 'var module = { exports: {} }; module.exports.x = 1;'],
    ['a syntax error of another kind', 'var = ;'],
    ['nothing', ''],
  ])('%s is not', (_, text) => expect(isEsModule(text)).toBe(false));

  it('never runs the code', () => {
    expect(isEsModule('globalThis.ranByIsEsModule = true; export {};')).toBe(true);
    expect('ranByIsEsModule' in globalThis).toBe(false);
  });
});
