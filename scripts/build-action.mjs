#!/usr/bin/env node
// Bundles the GitHub Action (src/action/entry.ts and everything it imports, dependencies
// included) into the one file action.yml runs, so that using the Action installs nothing.
// The file is committed; src/action/bundle.test.ts fails when it is not current with the source.
//   node scripts/build-action.mjs [OUTFILE]   (default action/index.js)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** src/cli/version.ts reads package.json beside dist/; the bundle has no such neighbour, so it gets the literal. */
const inlineVersion = {
  name: 'inline-version',
  setup(build) {
    build.onResolve({ filter: /\/version\.js$/ }, (args) => (args.importer.endsWith('/src/cli/main.ts') ? { path: 'version', namespace: 'deltawarm-version' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'deltawarm-version' }, () => ({ contents: `export const version = ${JSON.stringify(version)};`, loader: 'js' }));
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
    plugins: [inlineVersion],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleAction(process.argv[2] ?? 'action/index.js');
