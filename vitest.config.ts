import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that replace globals or modules (vi.mock, vi.stubGlobal, a polluted Object.prototype):
 * each runs in a fresh module graph. Every other file only reads the library's module state (or
 * restores it in afterEach), so they share one graph per worker, which saves importing the library
 * once per file. `npx vitest run --sequence.shuffle.files` checks that no file depends on the order.
 */
const isolated = ['test/hardening.test.ts', 'test/untrusted-json.test.ts', 'test/wasm-backend.test.ts', 'test/wasm-memory-refused.test.ts'];

// Two stages of their own, run by `npm test` after the build: the package test packs, installs and
// type-checks the built package (`npm run test:package`, vitest.package.config.ts); the browser tests
// drive Chromium (`npm run test:browser`, vitest.browser.config.ts).
const exclude = [...configDefaults.exclude, 'test/package.test.ts', 'test/browser*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    pool: 'threads',
    // Vitest's default leaves one core idle; on a 2-core machine that halves the speed of `vitest run`.
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...exclude, ...isolated], isolate: false } },
      { extends: true, test: { name: 'isolated', include: isolated, exclude, isolate: true } },
    ],
  },
});
