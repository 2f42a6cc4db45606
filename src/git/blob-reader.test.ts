import { describe, expect, it } from 'vitest';
import { buildRepo } from '../../fixtures/git-fixture.js';
import { awkwardContent } from '../../fixtures/histories.js';
import { BlobReader } from './blob-reader.js';

describe('BlobReader', () => {
  it('reads blobs by name, also after a missing name with spaces in it', async () => {
    const repo = buildRepo(awkwardContent);
    const blobs = new BlobReader(repo.dir);
    try {
      await expect(blobs.read(`${repo.sha('a1')}:dist/no such file.js`)).rejects.toThrow(/no such file\.js is missing/);
      const text = new TextDecoder().decode(await blobs.read(`${repo.sha('a2')}:dist/with space #1?.js`));
      expect(text.endsWith('var s = 2;\n')).toBe(true);
      expect((await blobs.read(`${repo.sha('a2')}:dist/logo.png`)).length).toBe(8);
    } finally {
      blobs.close();
    }
  });
});
