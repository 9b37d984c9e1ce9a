import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the real binary against a real sandbox under kills and faults.
// Run after the main suite by `npm test` (their names are *.faults.ts, outside its test/**/*.test.ts),
// one file at a time: they time kills and faults and must not share the two cores with others.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
