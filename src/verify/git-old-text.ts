import { BlobReader } from '../git/blob-reader.js';
import { openRepository } from '../git/repository.js';
import { decodeText } from '../text/decode.js';
import type { AssetPath, Version } from '../types.js';
import type { OldText } from './verify.js';

export interface GitOldText {
  oldText: OldText;
  close(): void;
}

/**
 * Old texts from a git repository (`VERSION:PATH` through one `git cat-file --batch`),
 * each read once. A version the clone does not have (shallow) gives undefined: the patch
 * is then validated without being applied.
 */
export async function gitOldText(dir: string): Promise<GitOldText> {
  const repo = await openRepository(dir);
  const blobs = new BlobReader(repo.dir);
  const cache = new Map<string, Promise<string | undefined>>();
  const oldText = (asset: AssetPath, version: Version) => {
    const name = `${version}:${asset}`;
    let text = cache.get(name);
    if (!text) {
      text = blobs.read(name).then(decodeText, () => undefined);
      cache.set(name, text);
    }
    return text;
  };
  return { oldText, close: () => blobs.close() };
}
