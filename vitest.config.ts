import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The locked AWS SDK supports Node 20; its warning about future releases is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'fixtures/**/*.test.ts', 'bench/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/package/**/*.test.ts', 'test/contract/**/*.test.ts'] } },
      // Real Ceph RGW + nginx: the server starts once, only when a storage test is queued; files
      // run one at a time because one of them stops and restarts the shared gateway.
      {
        extends: true,
        test: { name: 'storage', include: ['test/storage/**/*.test.ts'], globalSetup: ['test/storage/global-setup.ts'], fileParallelism: false },
      },
    ],
  },
});
