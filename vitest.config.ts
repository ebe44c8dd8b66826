import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['edge/**/*.test.ts', 'jobs/**/*.test.ts', 'web/**/*.test.{ts,tsx}', 'firmware/**/*.test.ts', 'migrations/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['e2e/support/pglite-template.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are large (~250 MB each): two workers match the two cores and keep memory bounded.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
