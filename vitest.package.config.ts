import { defineConfig } from 'vitest/config';

/** `npm run test:package`: the packed tarball, installed and used as a user would (test/package.test.ts). */
export default defineConfig({
  test: {
    include: ['test/package.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
