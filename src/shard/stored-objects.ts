import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { RunFailure } from '../errors.js';
import { prefixed } from '../tree/layout.js';
import type { Manifest } from '../tree/manifest.js';
import type { StorageKey } from '../types.js';

/** An object a manifest lists, with the size it records. */
export interface ExpectedObject {
  key: StorageKey;
  size: number;
}

/** Every full file and patch a manifest lists. */
export function listedObjects(manifest: Manifest): ExpectedObject[] {
  return Object.values(manifest.assets).flatMap((asset) => [
    { key: asset.full, size: asset.size },
    ...Object.values(asset.patches).map((patch) => ({ key: patch.key, size: patch.size })),
  ]);
}

/** The objects a tree on disk lacks, or holds with another size, each as "KEY: why". */
export async function missingFiles(dir: string, prefix: string, objects: readonly ExpectedObject[]): Promise<string[]> {
  const limit = pLimit(64);
  const found = await Promise.all(
    objects.map((object) =>
      limit(async () => {
        const info = await stat(join(dir, prefixed(prefix, object.key))).catch(() => undefined);
        if (!info?.isFile()) return `${object.key}: missing`;
        return info.size === object.size ? undefined : `${object.key}: ${info.size} bytes, the manifest says ${object.size}`;
      }),
    ),
  );
  return found.filter((problem) => problem !== undefined);
}

/** `finish` publishes no manifest whose objects are not all stored: exit 1 naming the first. */
export function assertStored(problems: string[], where: string): void {
  if (problems.length === 0) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new RunFailure(`${problems.length} object(s) of the merged manifest are not as listed in ${where}: ${problems[0]}${more}; no manifest published (re-run the shard that holds it, then finish)`);
}
