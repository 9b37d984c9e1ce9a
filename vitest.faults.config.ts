import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the real binary against a real sandbox under kills and faults.
// Kept out of `npm test` (its include is test/**/*.test.ts; these are *.faults.ts).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
