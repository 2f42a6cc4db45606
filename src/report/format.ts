/**
 * Small number formats shared by the report renderers. Sizes use decimal (SI) units, as Vite
 * and most bundlers print them: 1 kB = 1000 bytes, 1 MB = 1000 kB.
 */
export function bytes(count: number): string {
  if (count < 1000) return `${count} B`;
  if (count < 1000 ** 2) return `${(count / 1000).toFixed(1)} kB`;
  if (count < 1000 ** 3) return `${(count / 1000 ** 2).toFixed(2)} MB`;
  return `${(count / 1000 ** 3).toFixed(2)} GB`;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
export const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);
export const shortSha = (sha: string) => sha.slice(0, 10);
export const day = (iso: string) => iso.slice(0, 10);

/**
 * `text` in lines of at most `width` columns, broken at spaces (a longer word is split), every
 * line after the first indented by `indent` spaces: nothing is cut. A space after a digit does
 * not break, so "144 B" stays on one line.
 */
export function wrap(text: string, width: number, indent = 0): string[] {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length === 0 ? lead.length : indent);
  const flush = () => {
    lines.push(((lines.length === 0 ? lead : ' '.repeat(indent)) + line).trimEnd());
    line = '';
  };
  for (let word of text.slice(lead.length).split(/(?<!\d) /)) {
    if (line && line.length + 1 + word.length > room()) flush();
    while (word.length > room()) {
      if (line) flush();
      line = word.slice(0, room());
      word = word.slice(room());
      flush();
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) flush();
  return lines;
}
