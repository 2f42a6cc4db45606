/** Deterministic pseudo-JavaScript for benchmarks and tests: same seed, same text. */

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['value', 'node', 'list', 'index', 'count', 'item', 'data', 'result', 'options', 'element', 'handler', 'state'];
const KEYWORDS = ['const', 'let', 'var'];

/** About `size` code units of readable pseudo-JS (or one minified-looking line) from `seed`. */
export function pseudoJs(seed: number, size: number, minified = false): string {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const ident = () => pick(WORDS) + (random() < 0.6 ? Math.floor(random() * 1000).toString(36) : '');
  const expr = () => {
    const r = random();
    if (r < 0.3) return `${ident()}.${ident()}(${ident()}, ${Math.floor(random() * 100000)})`;
    if (r < 0.6) return `${ident()} + ${ident()} * ${Math.floor(random() * 1000)}`;
    if (r < 0.8) return `"${ident()}-${Math.floor(random() * 1e9).toString(36)}"`;
    return `[${ident()}, ${ident()}, ${ident()}]`;
  };
  const nl = minified ? '' : '\n';
  const indent = minified ? '' : '\t';
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const body: string[] = [];
    const statements = 2 + Math.floor(random() * 6);
    for (let i = 0; i < statements; i++) {
      const line = random() < 0.2 ? `if (${ident()} > ${expr()}) { return ${ident()}; }` : `${pick(KEYWORDS)} ${ident()} = ${expr()};`;
      body.push(indent + line + nl);
    }
    const fn = `function ${ident()}(${ident()}, ${ident()}) {${nl}${body.join('')}}${minified ? ';' : '\n\n'}`;
    parts.push(fn);
    length += fn.length;
  }
  return parts.join('');
}
