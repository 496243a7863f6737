import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The package test packs, installs and type-checks the built package: a stage of its own
    // (`npm run test:package`, vitest.package.config.ts), run by `npm test` after the build.
    exclude: [...configDefaults.exclude, 'test/package.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
