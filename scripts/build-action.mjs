#!/usr/bin/env node
// Bundles the GitHub Action (src/action/entry.ts and everything it imports, dependencies
// included) into the one file action.yml runs, so that using the Action installs nothing.
// The file is committed; src/action/bundle.test.ts fails when it is not current with the source.
//   node scripts/build-action.mjs [OUTFILE]   (default action/index.js)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Two modules read files beside dist/, which the Action's single file does not have: each is
 * replaced by a module holding what it would read (the package version; the browser runtime
 * bundles, which `npm run build` makes first).
 */
const SUBSTITUTES = {
  'src/cli/version.ts': () => `export const version = ${JSON.stringify(version)};`,
  'src/tree/runtime-bundle.ts': () => {
    const texts = Object.fromEntries(['deltawarm.min.js', 'deltawarm-sw.min.js'].map((name) => [name, readFileSync(join(ROOT, 'dist/client', name), 'utf8')]));
    return `const texts = ${JSON.stringify(texts)};\nexport async function readRuntimeBundle(name) { return texts[name]; }`;
  },
};

const substitute = {
  name: 'substitute',
  setup(build) {
    build.onResolve({ filter: /\/(version|runtime-bundle)\.js$/ }, (args) => {
      const path = relative(ROOT, join(dirname(args.importer), args.path.replace(/\.js$/, '.ts')));
      return path in SUBSTITUTES ? { path, namespace: 'deltawarm-substitute' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'deltawarm-substitute' }, (args) => ({ contents: SUBSTITUTES[args.path](), loader: 'js' }));
  },
};

export async function bundleAction(outfile) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/action/entry.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __deltawarmRequire } from 'node:module'; const require = __deltawarmRequire(import.meta.url);" },
    define: { DELTAWARM_SINGLE_FILE: 'true' },
    plugins: [substitute],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleAction(process.argv[2] ?? 'action/index.js');
