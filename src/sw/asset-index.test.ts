import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestAsset } from '../tree/manifest.js';
import { indexManifest } from './asset-index.js';

const asset = (full: string, extra: Partial<ManifestAsset> = {}): ManifestAsset => ({
  version: 'v2',
  size: 1,
  integrity: 'sha256-x',
  contentType: 'text/javascript; charset=utf-8',
  text: true,
  full,
  patches: {},
  ...extra,
});

const manifest = (cdns: string[], assets: Record<string, ManifestAsset>): Manifest => ({
  format: 'deltawarm-manifest/1',
  release: 'v2',
  createdAt: '2026-01-01T00:00:00.000Z',
  cdns,
  patchFormat: 'json',
  assets,
});

describe('asset index', () => {
  it('maps a built url under the public base and the full-file URL on each CDN to the asset; binaries are left out', () => {
    const index = indexManifest(
      manifest(['https://a.example/tree/', 'https://b.example/'], {
        'assets/index.js': asset('full/v2/assets/index.js', { url: 'assets/index-5hF2a.js' }),
        'assets/logo.png': asset('full/v2/assets/logo.png', { url: 'assets/logo-9x.png', text: false }),
        'dist/my app.css': asset('full/v2/dist/my app.css'),
      }),
      'https://site.example/manifest/latest.json',
      'https://site.example/app/',
    );
    expect(Object.fromEntries(index.byUrl)).toEqual({
      'https://site.example/app/assets/index-5hF2a.js': 'assets/index.js',
      'https://a.example/tree/full/v2/assets/index.js': 'assets/index.js',
      'https://b.example/full/v2/assets/index.js': 'assets/index.js',
      'https://a.example/tree/full/v2/dist/my%20app.css': 'dist/my app.css',
      'https://b.example/full/v2/dist/my%20app.css': 'dist/my app.css',
    });
    expect(index.bases).toEqual(['https://a.example/tree/', 'https://b.example/']);
    expect([...index.extensions].sort()).toEqual(['.css', '.js']);
  });

  it('without CDNs, full files are in the tree the manifest was read from', () => {
    const index = indexManifest(manifest([], { 'a.js': asset('full/v2/a.js') }), 'https://site.example/static/manifest/latest.json', 'https://site.example/');
    expect(index.bases).toEqual(['https://site.example/static/']);
    expect([...index.byUrl.keys()]).toEqual(['https://site.example/static/full/v2/a.js']);
  });
});
