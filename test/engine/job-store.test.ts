import { describe } from 'vitest';
import { FakeJobStore } from '../fakes/fake-job-store.js';
import { describeJobStoreContract } from '../support/job-store-contract.js';

describe('FakeJobStore', () => {
  describeJobStoreContract(() => {
    let current = new FakeJobStore();
    let first = true;
    return Promise.resolve(() => {
      if (!first) current = current.restart();
      first = false;
      return current;
    });
  });
});
