import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import { integrationTests } from './test/support/unit-set.js';
import main from './vitest.config.js';

// `npm run test:unit`: the main suite without the tests that start a process or a browser (the
// rule is in test/support/unit-set.ts), so it needs no build, Chromium, keyring or proxy.
export default mergeConfig(
  main,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, ...integrationTests()],
      // Two workers at least, even on 2 cores: these tests wait on in-process servers and
      // timers about as much as they compute, and Vitest's default there is one.
      maxWorkers: Math.max(2, availableParallelism() - 1),
    },
  }),
);
