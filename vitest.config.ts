import { defineConfig } from 'vitest/config';

/** Unit tests sit beside the code (*.test.ts); end-to-end tests live in test/. */
export default defineConfig({
  test: {
    include: ['{core,scripts,backend,simulator,reports,test}/**/*.test.ts'],
    // Builds k6 and names what the machine lacks, once, before any test file is collected.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests share one PostgreSQL server; files run one at a time to keep the 2-core box calm.
    fileParallelism: false,
    // The skip reporter lists every skipped test with its reason after the summary.
    reporters: ['default', './test/support/skip-reporter.ts'],
  },
});
