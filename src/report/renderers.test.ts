import { describe, expect, it } from 'vitest';
import type { AssetReport, CoverageReport, PatchReport } from './coverage.js';
import { renderHtml } from './html.js';
import { JOB_SUMMARY_LIMIT, renderMarkdown } from './markdown.js';
import { TERMINAL_ASSETS, renderTerminal } from './terminal.js';

const sha = (n: number) => n.toString(16).padStart(40, '0');

/** A report of `count` assets with `versions` older versions each; asset 7 failed, asset 3 skipped one. */
function report(count: number, versions = 10): CoverageReport {
  const assets: AssetReport[] = Array.from({ length: count }, (_, i) => {
    const gzipBytes = 1000 + ((i * 7919) % 50_000);
    const patches: PatchReport[] = Array.from({ length: versions }, (_, v) => {
      const base = { from: sha(i * 100 + v + 1), fromDate: '2026-01-01T00:00:00Z', ms: 3 };
      if (i === 7 && v === 2) return { ...base, status: 'failed', reason: 'patch did not verify' };
      if (i === 3 && v === 9) return { ...base, status: 'skipped', reason: 'too different' };
      return { ...base, status: 'ok', bytes: 400 * (v + 1), gzipBytes: 100 * (v + 1), ratio: (100 * (v + 1)) / gzipBytes };
    });
    return { path: `dist/chunk-${String(i).padStart(5, '0')}.js`, version: sha(i + 1), date: '2026-02-01T00:00:00Z', text: true, bytes: gzipBytes * 3, gzipBytes, brotliBytes: gzipBytes - 100, windowFound: versions, beyondShallowBoundary: false, patches };
  });
  const failures = count > 7 ? [`dist/chunk-00007.js from ${sha(703).slice(0, 12)}: patch did not verify`] : [];
  const oldVersions = count * versions;
  return {
    release: sha(999_999),
    patchFormat: 'json',
    versionsWanted: versions,
    shallow: false,
    deepenedBy: 0,
    assets,
    totals: { assets: count, textAssets: count, oldVersions, patches: oldVersions - 2, skipped: 1, failed: 1, coverage: 0.99, storedBytes: 1, medianSaving: 0.9, worstSaving: 0, windowsBeyondShallowBoundary: 0 },
    failures,
    wallMs: 1234,
    mode: 'committed',
    notes: [],
  };
}

describe('terminal report', () => {
  it('fits a screen whatever the number of assets: failed first, then the largest downloads', () => {
    const lines = renderTerminal(report(2000)).trimEnd().split('\n');
    expect(lines.length).toBeLessThan(TERMINAL_ASSETS + 15);
    expect(lines[0]).toMatch(/^dist\/chunk-00007\.js {2}[0-9a-f]{10} {2}.*9\/10 patched, 1 FAILED/);
    expect(lines[1]).toMatch(/^dist\/chunk-00003\.js .*9\/10 patched, 1 skipped {2}client gets 100 B-\d+\.\d kB$/);
    expect(lines).toContain('... 1980 more assets (failed first, then the largest downloads; --verbose lists every one)');
    expect(lines.some((line) => line.startsWith('FAILED dist/chunk-00007.js'))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('lists every asset and older version with --verbose', () => {
    const lines = renderTerminal(report(30, 4), { verbose: true }).split('\n');
    expect(lines.filter((line) => /^dist\/chunk-/.test(line))).toHaveLength(30);
    expect(lines.filter((line) => /^ {2}[0-9a-f]{10} /.test(line))).toHaveLength(120);
  });
});

describe('Markdown report', () => {
  it('stays within the job summary limit, cut with a note, the collapsed section closed', () => {
    const large = report(3000);
    for (const [verbose, limit] of [[true, JOB_SUMMARY_LIMIT], [false, 100_000]] as const) {
      const markdown = renderMarkdown(large, { verbose, ...(limit === JOB_SUMMARY_LIMIT ? {} : { limit }) });
      expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(limit);
      expect(Buffer.byteLength(markdown)).toBeGreaterThan(limit - 1000);
      expect(markdown).toMatch(new RegExp(`\\n\\*\\d+ more rows left out to stay within the job summary limit \\(${limit} bytes\\)`));
      expect(markdown.trimEnd().endsWith('</details>')).toBe(true);
      expect(markdown).toContain('### Assets that matter most (20 of 3000)');
    }
  });

  it('keeps every row when they fit, and honours a smaller limit exactly', () => {
    const small = renderMarkdown(report(40, 3), { verbose: true });
    expect(small.match(/^\| dist\/chunk-\d+\.js [0-9a-f]{10} \| [0-9a-f]{10} /gm)).toHaveLength(120);
    expect(small).not.toMatch(/left out/);
    const cut = renderMarkdown(report(40, 3), { verbose: true, limit: 8000 });
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(8000);
    expect(cut).toMatch(/\*\d+ more rows left out/);
  });
});

describe('HTML report', () => {
  it('is one page that fetches nothing and escapes every path', () => {
    const page = report(3, 2);
    page.assets[0]!.path = 'dist/<script>alert(1)</script>&.js';
    const html = renderHtml(page);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|src=|href=|url\(/i);
    expect(html).toContain('dist/&#60;script&#62;alert(1)&#60;/script&#62;&#38;.js');
  });
});

describe('a failed publish', () => {
  it('says so in every form: terminal, Markdown, HTML (and JSON carries the outcome)', () => {
    const failed = { ...report(3), outcome: { ok: false, summary: '"primary": 2 object(s) failed (e.g. full/x/a.js: HTTP 500); no manifest published there' } };
    expect(renderTerminal(failed)).toMatch(/NOT PUBLISHED +FAILED: "primary": 2 object\(s\) failed/);
    expect(renderMarkdown(failed)).toMatch(/^> \*\*FAILED: the release was not published\.\*\* "primary": 2 object\(s\) failed/m);
    expect(renderHtml(failed)).toContain('<p class="not-published"><strong>FAILED: the release was not published.</strong>');
    const ok = { ...report(3), outcome: { ok: true, summary: 'to "primary"' } };
    for (const text of [renderTerminal(ok), renderMarkdown(ok), renderHtml(ok)]) expect(text).not.toMatch(/FAILED: the release|NOT PUBLISHED/);
  });
});

