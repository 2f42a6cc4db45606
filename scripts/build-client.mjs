#!/usr/bin/env node
// Bundles the browser runtime (src/client) two ways and fails over the size budget:
//   dist/client/deltawarm.mjs     ES module (package export "deltawarm/client")
//   dist/client/deltawarm.min.js  minified classic script defining the global `deltawarm`
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 3.5 KB since the delta-form decoder (about 640 bytes gzipped) joined the JSON and tab ones.
const BUDGET_GZIP_BYTES = 3.5 * 1024;
const common = {
  bundle: true,
  platform: 'browser', // a Node import cannot resolve here, so the build fails on one
  target: ['es2022'], // AbortSignal.timeout already needs Chrome 103, Firefox 100, Safari 16
  legalComments: 'none',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/client/index.ts'], format: 'esm', outfile: 'dist/client/deltawarm.mjs' });
await build({ ...common, entryPoints: ['src/client/global.ts'], format: 'iife', minify: true, outfile: 'dist/client/deltawarm.min.js' });

const gzipped = gzipSync(readFileSync('dist/client/deltawarm.min.js'), { level: 9 }).length;
const line = `deltawarm.min.js: ${gzipped} bytes gzipped (budget ${BUDGET_GZIP_BYTES})`;
if (gzipped > BUDGET_GZIP_BYTES) {
  console.error(`${line}: OVER BUDGET`);
  process.exit(1);
}
console.log(line);
