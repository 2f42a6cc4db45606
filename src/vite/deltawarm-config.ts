import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_FILE, loadConfig } from '../cli/config-file.js';

/** What the plugin reads of deltawarm.config.json: the CDNs the worker will fetch from. */
export interface PluginSettings {
  cdns: string[];
}

/** deltawarm.config.json in Vite's root or the nearest directory above it, up to the git repository's root. */
export async function findDeltawarmConfig(root: string): Promise<PluginSettings> {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE))) {
      const config = await loadConfig(undefined, dir, dir);
      const cdns = config.cdns === undefined ? [] : Array.isArray(config.cdns) ? config.cdns : [config.cdns];
      return { cdns: cdns.map(String) };
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return { cdns: [] };
  }
}
