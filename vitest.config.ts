import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/support/fast-check-seed.ts'],
    // Integration tests start real servers and child processes.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
