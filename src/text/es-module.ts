import { Script } from 'node:vm';

/** What V8 says of module-only syntax parsed as a classic script (import/export, import.meta, top-level await). */
const MODULE_ONLY = /import|export|module/;

/**
 * True when JavaScript `text` parses only as an ES module: as a classic script it is a
 * SyntaxError about module syntax. Parsed by V8 (the browsers' own parser in Chromium),
 * never run. Code with any other syntax error is not called a module.
 */
export function isEsModule(text: string): boolean {
  try {
    new Script(text);
    return false;
  } catch (error) {
    return error instanceof SyntaxError && MODULE_ONLY.test(error.message);
  }
}
