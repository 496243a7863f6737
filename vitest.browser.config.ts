import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the library, its bundle and a standalone module in Debian's Chromium (test/browser*.test.ts). */
export default defineConfig({
  test: {
    include: ['test/browser*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
