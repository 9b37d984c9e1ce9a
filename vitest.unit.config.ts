import { availableParallelism } from 'node:os';
import { defineConfig, mergeConfig } from 'vitest/config';
import { testSets } from './test/support/unit-set.js';
import main from './vitest.config.js';

// `npm run test:unit`: the main suite without the tests that start a process or a browser, so it
// needs no build, Chromium, keyring or proxy. The rules are in test/support/unit-set.ts.
const { integration, unitSharingWorkers, unitInFreshWorkers } = testSets();

export default mergeConfig(
  main,
  defineConfig({
    test: {
      // Two workers at least, even on 2 cores: these tests wait on in-process servers and
      // timers about as much as they compute, and Vitest's default there is one.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      // Each project takes the main suite's files but the other's and the integration tests.
      projects: [
        {
          extends: true,
          test: { name: 'unit', isolate: false, exclude: [...integration, ...unitInFreshWorkers] },
        },
        {
          extends: true,
          test: { name: 'unit, fresh workers', exclude: [...integration, ...unitSharingWorkers] },
        },
      ],
    },
  }),
);
