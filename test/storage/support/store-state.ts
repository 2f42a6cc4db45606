import type { S3Client } from '@aws-sdk/client-s3';
import { exists, getObject } from './s3.js';

/** What a store holds of a deploy history: the index's releases (newest first), latest.json, the head's manifest. */
export interface StoreState {
  releases: string[];
  latest?: string;
  headManifest?: string;
}

export async function storeState(admin: S3Client, bucket: string, prefix: string): Promise<StoreState> {
  const text = async (key: string) => ((await exists(admin, bucket, `${prefix}/${key}`)) ? Buffer.from((await getObject(admin, bucket, `${prefix}/${key}`)).body).toString() : undefined);
  const index = await text('manifest/deploys.json');
  const releases = index ? (JSON.parse(index) as { deploys: { release: string }[] }).deploys.map((deploy) => deploy.release) : [];
  const latest = await text('manifest/latest.json');
  const headManifest = releases[0] ? await text(`manifest/${releases[0]}.json`) : undefined;
  return { releases, ...(latest ? { latest } : {}), ...(headManifest ? { headManifest } : {}) };
}
