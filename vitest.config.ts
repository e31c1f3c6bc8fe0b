import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'] },
  },
});
