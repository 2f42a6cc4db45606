import { describe, expect, it } from 'vitest';
import type { AssetReport, CoverageReport, PatchReport } from './coverage.js';
import { renderHtml } from './html.js';
import { JOB_SUMMARY_LIMIT, renderMarkdown } from './markdown.js';
import { clientReports } from './returning-clients.js';
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
    behind: 'commits',
    clients: [],
    compression: { gzipLevel: 6, brotliQuality: 5 },
  };
}

describe('terminal report', () => {
  it('fits a screen whatever the number of assets: failed first, then the largest downloads', () => {
    const lines = renderTerminal(report(2000)).trimEnd().split('\n');
    expect(lines.length).toBeLessThan(TERMINAL_ASSETS + 15);
    expect(lines[0]).toMatch(/^Returning clients: none/);
    const first = lines.findIndex((line) => line.startsWith('dist/'));
    expect(lines[first - 1]).toBe('');
    expect(lines[first]).toMatch(/^dist\/chunk-00007\.js {2}[0-9a-f]{10} {2}.*9\/10 older versions patched, 1 FAILED/);
    expect(lines[first + 1]).toMatch(/^dist\/chunk-00003\.js .*9\/10 older versions patched, 1 skipped$/);
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

/**
 * Built mode, three returning clients (1, 2, 3 deploys behind) over four assets: index.js changed
 * only at the last deploy (clients hold its previous version), app.css changed two deploys ago
 * (the client one behind holds this release's version), new.js is new at this release, and
 * logo.png is binary (full file only). Versions: v(n) is the deploy n behind.
 */
function builtReport(): CoverageReport {
  const v = (n: number) => sha(100 + n);
  const ok = (from: number, gzipBytes: number) => ({ from: v(from), fromDate: '2026-01-01T00:00:00Z', ms: 1, status: 'ok' as const, bytes: gzipBytes * 3, gzipBytes, brotliBytes: gzipBytes - 10 });
  const asset = (path: string, version: number, gzipBytes: number, patches: PatchReport[], held: number[], text = true): AssetReport => ({
    path, version: v(version), date: '2026-02-01T00:00:00Z', text, bytes: gzipBytes * 4, gzipBytes, brotliBytes: gzipBytes - 100, windowFound: patches.length, beyondShallowBoundary: false, patches, held,
  });
  const assets = [
    asset('assets/app.css', 2, 1800, [ok(3, 24)], [0, 0, 1]),
    asset('assets/index.js', 0, 1500, [ok(1, 210)], [1, 1, 1]),
    asset('assets/logo.png', 3, 900, [], [0, 0, 0], false),
    asset('assets/new.js', 0, 700, [], [-1, -1, -1]),
  ];
  const clients = [1, 2, 3].map((n) => ({ at: v(n), date: '2026-01-01T00:00:00Z', holds: new Map<string, string>() }));
  return {
    release: v(0), patchFormat: 'delta', versionsWanted: 3, shallow: false, deepenedBy: 0, mode: 'built', behind: 'deploys',
    history: { source: '/site/', deploysRead: 3, requests: 6 },
    clients: clientReports(assets, clients), compression: { gzipLevel: 6, brotliQuality: 5 }, manifest: { bytes: 4000, gzipBytes: 1200, brotliBytes: 1000 },
    notes: ['a note long enough to pass the width of a terminal: '.repeat(4) + 'the end'],
    assets,
    totals: { assets: 4, textAssets: 3, oldVersions: 2, patches: 2, skipped: 0, failed: 0, coverage: 1, storedBytes: 1, medianSaving: 0.9, worstSaving: 0.8, windowsBeyondShallowBoundary: 0 },
    failures: [], wallMs: 10,
  };
}

describe('reports per returning client', () => {
  it('per client: nothing for an asset it holds, the patch from the version it holds, the full file for a new one', () => {
    const [one, two, three] = builtReport().clients;
    expect(one).toMatchObject({ behind: 1, assets: { unchanged: 2, patch: 1, full: 0, new: 1 }, gzipBytes: 210 + 700, httpGzipBytes: 1500 + 700, covered: 1 });
    expect(two).toMatchObject({ gzipBytes: 210 + 700 });
    expect(three).toMatchObject({ assets: { unchanged: 1, patch: 2, full: 0, new: 1 }, gzipBytes: 24 + 210 + 700, httpGzipBytes: 1800 + 1500 + 700, brotliBytes: 14 + 200 + 600 });
    expect(three!.shareOfHttp).toBeCloseTo(934 / 4000, 10);
  });

  it('terminal: leads with the client table; an unchanged asset costs its clients nothing; notes wrap, never cut', () => {
    const text = renderTerminal(builtReport());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Returning clients: what each downloads now');
    expect(lines[1]).toMatch(/^behind +last saw +deltawarm gzip \/ br +HTTP cache gzip \/ br +of HTTP +patched +new +same$/);
    expect(lines[2]).toMatch(/^1 deploy +[0-9a-f]{10} +910 B \/ 800 B +2\.2 kB \/ 2\.0 kB +41\.4 % +1 of 1 +1 +2$/);
    expect(lines[4]).toMatch(/^3 deploys +[0-9a-f]{10} +934 B \/ 814 B +4\.0 kB \/ 3\.7 kB +23\.4 % +2 of 2 +1 +1$/);
    expect(text).toMatch(/gzip level 6, brotli quality 5/);
    expect(text).toMatch(/whole\s+manifest\s+\(1\.2 kB\s+gzip\)/);
    expect(text.replace(/\n +/g, ' ')).toMatch(/^assets\/app\.css .* 1-3 deploys behind get 0 B, 0 B, 24 B$/m);
    expect(text).not.toMatch(/\.js .*1\/1 .*144 B/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(text.replace(/\n +/g, ' ')).toContain('a note long enough to pass the width of a terminal: '.repeat(4).trim() + ' the end');
    expect(text).not.toContain('…');
  });

  it('a first deploy: patches start with the next deploy, no percentage anywhere', () => {
    const first = { ...builtReport(), clients: [], totals: { ...builtReport().totals, oldVersions: 0, patches: 0, coverage: 1 } };
    first.assets = first.assets.map(({ held: _, ...asset }) => ({ ...asset, patches: [] }));
    for (const text of [renderTerminal(first).replace(/\n +/g, ' '), renderMarkdown(first), renderHtml(first)]) {
      expect(text).toMatch(/none yet: no earlier deploy; patches start with the next deploy/);
      expect(text).toMatch(/no older version yet: patches start with the next deploy/);
      expect(text).not.toMatch(/\d %|100\.0/);
    }
    expect(renderHtml(first)).not.toContain('id="per-asset"');
    const { history: _, ...withoutHistory } = first;
    expect(renderTerminal(withoutHistory).replace(/\n +/g, ' ')).toMatch(/Returning clients: none: no deploy history was read \(pass --history DIR\|URL\)/);
  });

  it('Markdown leads with the client table', () => {
    const markdown = renderMarkdown(builtReport());
    const clients = markdown.indexOf('### Returning clients');
    expect(clients).toBeGreaterThan(0);
    expect(clients).toBeLessThan(markdown.indexOf('### Totals'));
    expect(markdown).toMatch(/^\| 2 deploys \| [0-9a-f]{10} \| 910 B \/ 800 B \| 2\.2 kB \/ 2\.0 kB \| 41\.4 % \| 1 of 1 \| 1 \| 2 \|$/m);
  });

  it('HTML: the charts are per client, by deploys behind; an asset every client holds gets no panel', () => {
    const html = renderHtml(builtReport());
    const values = (series: string) => [...html.matchAll(new RegExp(`data-series="${series}" data-value="(\\d+)"`, 'g'))].map((m) => Number(m[1]));
    const total = html.slice(html.indexOf('id="total-downloads"'), html.indexOf('id="coverage"'));
    expect([...total.matchAll(/data-series="with deltawarm" data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([910, 910, 934]);
    expect([...total.matchAll(/data-series="plain HTTP caching" data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([2200, 2200, 4000]);
    expect(total).toContain('deploys behind the release');
    expect(values('new').slice(0, 3)).toEqual([1, 1, 1]);
    expect([...html.matchAll(/<figure class="asset" data-path="([^"]+)"/g)].map((m) => m[1])).toEqual(['assets/new.js', 'assets/index.js', 'assets/app.css']);
    expect(html.indexOf('id="clients"')).toBeLessThan(html.indexOf('<h2>Totals</h2>'));
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

