/** Small number formats shared by the report renderers. */
export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 ** 2) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / 1024 ** 2).toFixed(2)} MB`;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
export const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);
export const shortSha = (sha: string) => sha.slice(0, 10);
export const day = (iso: string) => iso.slice(0, 10);
