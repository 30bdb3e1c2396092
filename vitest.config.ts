import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // a limit for a test that hangs, not a speed check: a test that starts the CLI a dozen times took up to
    // 58 s of 60 on a loaded 2-core machine (each start-up ~0.9 s of CPU), and one timed out at 60 s
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // two cores on CI: keep workers to what the machine has
    maxWorkers: 2,
  },
});
