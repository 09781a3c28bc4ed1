import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites share one Redis; each uses its own key prefix, so files may run in parallel.
    pool: 'forks',
  },
});
