import { readFileSync } from 'node:fs';

/** The package version. The Action bundle replaces this module with the literal (scripts/build-action.mjs). */
export const version: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
