import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // A fresh TMPDIR per run that must end empty: a test that leaves a temp folder behind fails the run.
    globalSetup: ['test/setup/temp-dir-guard.ts'],
    // In CI also write a JSON report, from which .ci/run prints the plain 'N passed, N failed' line.
    reporters: process.env['CI'] ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results.json' },
    testTimeout: 60_000,
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'] },
  },
});
