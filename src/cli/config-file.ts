import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export const CONFIG_FILE = 'deltawarm.config.json';

/** Every key a config file may hold, whichever command reads it. */
const KNOWN_KEYS = [
  'assets',
  'versions',
  'release',
  'concurrency',
  'patchFormat',
  'prefix',
  'cdns',
  'maxPatchRatio',
  'maxSize',
  'deepen',
  'out',
  'targets',
  'uploadConcurrency',
  'origin',
  'dir',
  'history',
  'window',
  'hashPattern',
  'firstDeploy',
  'connectTimeout',
  'requestTimeout',
  'attempts',
  'networkDeadline',
] as const;

export type ConfigKey = (typeof KNOWN_KEYS)[number];
export type Config = Partial<Record<ConfigKey, unknown>> & { source?: string };

/**
 * Reads `--config FILE`, or `deltawarm.config.json` at the repo root when it exists.
 * An unreadable file or an unknown key is a usage error naming it.
 */
export async function loadConfig(explicit: string | undefined, repoDir: string, cwd: string): Promise<Config> {
  const file = explicit ? resolve(cwd, explicit) : join(repoDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read config ${file}: ${(error as Error).message} (check --config)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`config ${file} must hold a JSON object`);
  const unknown = Object.keys(value).filter((key) => key !== '$schema' && !(KNOWN_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new UsageError(`config ${file}: unknown key "${unknown[0]}" (known keys: ${KNOWN_KEYS.join(', ')})`);
  }
  return { ...(value as Config), source: file };
}
