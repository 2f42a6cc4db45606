import type { AssetIndex } from './asset-index.js';
import type { AssetStore } from './asset-store.js';
import type { ManifestSource } from './manifest-source.js';
import type { SwReport } from './options.js';

/** How long after a navigation the beacon waits, counting the page's patch failures (its assets are requested by then). */
const AFTER_NAVIGATION_MS = 3000;

export interface HeldBeacon {
  /** Re-reads the manifest for a navigation, then sends that visit's beacon; for `waitUntil`. */
  navigated(): Promise<unknown>;
  /**
   * Runs the install's precache; a worker that held no manifest when it started then sends the
   * beacon of that first visit (`held=new`), whose navigation it did not see. Not awaited by the install.
   */
  installed(precache: () => Promise<AssetIndex | undefined>): Promise<void>;
  /** Counts a report: a patch URL among its failures is a patch that failed. */
  saw(report: SwReport): void;
}

/**
 * The visit beacon (SPEC §14) of the service worker: per navigation, once the manifest is read
 * and the page has had time to request its assets, a HEAD of the release's immutable manifest
 * whose query names the release the worker held before the navigation (`new`: none) and the
 * patches that failed since. Sent from the worker, so it never competes with the page's own
 * requests for the main thread, never awaited by a response; `enabled` false sends nothing.
 */
export function heldBeacon(manifests: ManifestSource, store: AssetStore, enabled: boolean): HeldBeacon {
  let failed = 0;
  // Read when the worker starts, before any manifest of this worker is stored.
  const storedAtStart = store.getManifest().catch(() => undefined);
  const send = (index: AssetIndex, held: string | undefined) => {
    const url = `${index.bases[0]}manifest/${index.manifest.release}.json?held=${held && /^[0-9a-f]{40}$/.test(held) ? held : 'new'}&failed=${failed}`;
    failed = 0;
    return fetch(url, { method: 'HEAD', keepalive: true }).catch(() => undefined);
  };
  const heldBefore = async (): Promise<string | undefined> => {
    const inMemory = manifests.state().index?.manifest.release;
    if (inMemory) return inMemory;
    try {
      const text = await store.getManifest();
      return text === undefined ? undefined : (JSON.parse(text) as { release?: string }).release;
    } catch {
      return undefined;
    }
  };
  return {
    async navigated() {
      if (!enabled) return manifests.refresh();
      const held = heldBefore(); // read before the refresh stores the new manifest
      const index = await manifests.refresh();
      const before = await held;
      if (!index) return;
      await new Promise((resolve) => setTimeout(resolve, AFTER_NAVIGATION_MS));
      await send(index, before);
    },
    async installed(precache) {
      const index = await precache();
      if (enabled && index && (await storedAtStart) === undefined) void send(index, undefined);
    },
    saw(report) {
      if (/\/patch\//.test(report.error ?? '')) failed++;
    },
  };
}
