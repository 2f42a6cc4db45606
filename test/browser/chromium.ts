import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); Playwright's browser download does not work here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a loud warning,
 * except in CI (`CI` set), where a missing browser is a failure.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `${CHROMIUM_PATH} is missing: install it with \`apt-get install -y chromium\``;
  if (process.env.CI) throw new Error(`browser tests cannot run in CI: ${message}`);
  console.warn(`\n${'!'.repeat(80)}\n!! SKIPPING BROWSER TESTS: ${message}\n${'!'.repeat(80)}\n`);
  return false;
}

/** Hosts that resolve to 127.0.0.1 without being potentially trustworthy, so pages there get no SubtleCrypto. */
export const INSECURE_HOST = 'insecure.deltawarm.test';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

/**
 * Chromium with a profile kept in `userDataDir`, as a user's browser keeps it: closing the
 * context ends the browser (and its service workers); launching again on the same directory
 * finds the registered worker and its Cache Storage.
 */
export function launchPersistentChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: ARGS });
}
