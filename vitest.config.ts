import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    // On CI (a shared 2-core machine) a test that times out under load gets one more try; the log
    // still shows the retry. Locally every failure counts at once.
    retry: process.env.CI ? 1 : 0,
  },
});
