import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildRepo, readBlob } from '../fixtures/git-fixture.js';
import { awkwardContent, body, deletions, linearSite } from '../fixtures/histories.js';
import { DEFAULTS, type PrewarmOptions, prewarm } from './index.js';
import { applyEncodedPatch } from './patch/verify.js';
import { PATCH_EXTENSION } from './tree/layout.js';
import type { PatchFormat } from './types.js';

const options = (repo: string, extra: Partial<PrewarmOptions> = {}): PrewarmOptions => ({ ...DEFAULTS, repo, assets: ['dist/**'], concurrency: 2, ...extra });
const sri = (bytes: Uint8Array | string) => 'sha256-' + createHash('sha256').update(bytes).digest('base64');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe.each<PatchFormat>(['json', 'tab', 'delta'])('prewarm with %s patches', (patchFormat) => {
  it('gives a full file per asset and a verified patch per older version, manifests last', async () => {
    const repo = buildRepo(linearSite);
    // The JSON form's header alone (two SHAs, two integrities) outweighs these small files gzipped.
    const maxPatchRatio = patchFormat === 'json' ? 100 : DEFAULTS.maxPatchRatio;
    const { manifest, objects, report } = await prewarm(options(repo.dir, { patchFormat, maxPatchRatio, cdns: ['https://a.example/s/'] }));
    const release = repo.sha('r5');
    const app = manifest.assets['dist/app.js'];
    expect(manifest).toMatchObject({ format: 'deltawarm-manifest/1', release, patchFormat, cdns: ['https://a.example/s/'] });
    expect(app).toMatchObject({ version: release, full: `full/${release}/dist/app.js`, text: true, contentType: 'text/javascript; charset=utf-8' });
    expect(Object.keys(app?.patches ?? {})).toEqual([repo.sha('r4'), repo.sha('r3'), repo.sha('r2'), repo.sha('r1')]);
    expect(objects.map((o) => o.key).slice(-4)).toEqual([`manifest/${release}.json`, 'manifest/deploys.json', 'manifest/latest.json', 'manifest/head.json']);
    expect(objects.at(-1)?.cacheControl).toBe('no-cache');
    const newText = text(readBlob(repo.dir, release, 'dist/app.js'));
    expect(app?.integrity).toBe(sri(newText));
    for (const [from, entry] of Object.entries(app?.patches ?? {})) {
      expect(entry.key).toBe(`patch/${from}/${release}/dist/app.js${PATCH_EXTENSION[patchFormat]}`);
      expect(entry.fromIntegrity).toBe(sri(text(readBlob(repo.dir, from, 'dist/app.js'))));
      const body = objects.find((o) => o.key === entry.key)?.body ?? new Uint8Array();
      expect(body.length).toBe(entry.size);
      const oldText = text(readBlob(repo.dir, from, 'dist/app.js'));
      const expectation = { fromIntegrity: sri(oldText), toIntegrity: app?.integrity ?? '', toLength: newText.length };
      expect(applyEncodedPatch(patchFormat, text(body), oldText, expectation)).toBe(newText);
    }
    expect(report.totals).toMatchObject({ assets: 2, oldVersions: 5, patches: 5, failed: 0, coverage: 1 });
  });
});

describe('prewarm on awkward content', () => {
  it('treats binary and non-UTF-8 as full-only, hashes BOM files without the BOM, keeps CRLF', async () => {
    const repo = buildRepo(awkwardContent);
    const { manifest, report } = await prewarm(options(repo.dir));
    const release = repo.sha('a2');
    expect(manifest.assets['dist/logo.png']).toMatchObject({ text: false, contentType: 'image/png', integrity: sri(readBlob(repo.dir, release, 'dist/logo.png')), patches: {} });
    expect(manifest.assets['dist/latin1.js']).toMatchObject({ text: false, contentType: 'text/javascript', patches: {} });
    expect(report.assets.find((a) => a.path === 'dist/logo.png')?.patches[0]?.reason).toMatch(/binary/);
    const bom = manifest.assets['dist/bom.css'];
    expect(bom?.integrity).toBe(sri(body('bom', '\r\n') + 'body { color: blue; }\r\n'));
    expect(bom?.size).toBe(readBlob(repo.dir, release, 'dist/bom.css').length);
    for (const path of ['dist/crlf.js', 'dist/with space #1?.js', 'dist/ünï/çødé.js', 'dist/bom.css']) {
      expect(Object.keys(manifest.assets[path]?.patches ?? {}), path).toEqual([repo.sha('a1')]);
    }
    expect(report.assets.find((a) => a.path === 'dist/empty.js')?.patches[0]).toMatchObject({ status: 'skipped' });
  });

  it('skips huge files over --max-size with the reason', async () => {
    const repo = buildRepo(linearSite);
    const { report, manifest } = await prewarm(options(repo.dir, { maxSize: 10 }));
    expect(report.assets.find((a) => a.path === 'dist/app.js')?.fullOnly).toMatch(/--max-size/);
    expect(manifest.assets['dist/app.js']?.patches).toEqual({});
  });

  it('leaves out files deleted at the release and versions that were deletions', async () => {
    const repo = buildRepo(deletions);
    const { manifest } = await prewarm(options(repo.dir));
    expect(Object.keys(manifest.assets)).toEqual(['dist/a.js']);
    expect(Object.keys(manifest.assets['dist/a.js']?.patches ?? {})).toEqual([repo.sha('d4'), repo.sha('d2'), repo.sha('d1')]);
  });

  it('rejects a window size below 1', async () => {
    const repo = buildRepo(linearSite);
    await expect(prewarm(options(repo.dir, { versions: 0 }))).rejects.toThrow(/--versions/);
  });
});
