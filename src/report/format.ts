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
