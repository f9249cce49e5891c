import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Property suites print their seed on failure (fast-check does); keep output readable.
    reporters: ['default'],
  },
});
