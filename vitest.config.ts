import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests that run the `aiwatch` command run the build, as users do: compiled once here if src/ changed.
    globalSetup: ['tests/global-setup.ts'],
    // A bound on a hung test, not a margin to meet: crash-recovery tests that take 10 s alone
    // took over 30 s with three suites and a busy loop on two cores.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Integration suites share one Redis; each uses its own key prefix, so files may run in parallel.
    pool: 'forks',
    // Most integration tests wait on child processes and servers, not on the CPU: three files at
    // a time even on two cores (the default, cores - 1, ran them one by one: 170 s instead of 115 s).
    maxWorkers: 3,
  },
});
