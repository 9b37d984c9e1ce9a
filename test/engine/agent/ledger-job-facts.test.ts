import { describe, expect, it } from 'vitest';
import { JobsByFile, ledgerWithJobFacts } from '../../../src/engine/agent/ledger-job-facts.js';
import type { LedgerEntry } from '../../../src/engine/delivery-ledger.js';
import type { JobRecord } from '../../../src/engine/job-store.js';
import { MemoryLedger } from '../../fakes/memory-ledger.js';

const PATH = '/data/out/customers-2026-12-03-v1.csv';

function job(extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job-1',
    path: PATH,
    folder: '/data/out',
    target: 'lexer',
    state: { status: 'uploading', sent: 0, total: 10 },
    attempts: 2,
    history: [],
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}

function entry(extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    sha256: 'a'.repeat(64),
    path: PATH,
    size: 10,
    mtimeMs: 1,
    remoteId: 'r1',
    target: 'lexer',
    deliveredAt: 5,
    ...extra,
  };
}

describe('ledgerWithJobFacts', () => {
  it("records a delivery with its job's folder and the attempts it took, this one included", async () => {
    const jobs = new JobsByFile();
    const ledger = new MemoryLedger();
    jobs.onAgentEvent({ type: 'job', job: job() });
    await ledgerWithJobFacts(ledger, jobs).record(entry());
    expect(ledger.entries).toEqual([{ ...entry(), folder: '/data/out', attempts: 3 }]);
  });

  it('records an entry as it is when no job of that file and target is known', async () => {
    const jobs = new JobsByFile();
    const ledger = new MemoryLedger();
    jobs.onAgentEvent({ type: 'job', job: job({ target: 'other' }) });
    jobs.onAgentEvent({ type: 'job', job: job({ id: 'job-2', path: '/data/out/x.csv' }) });
    jobs.onAgentEvent({ type: 'job-removed', id: 'job-2' });
    await ledgerWithJobFacts(ledger, jobs).record(entry());
    await ledgerWithJobFacts(ledger, jobs).record(entry({ path: '/data/out/x.csv' }));
    expect(ledger.entries).toEqual([entry(), entry({ path: '/data/out/x.csv' })]);
  });

  it('follows a job whose file moved into sent/, and answers lookups from the ledger', () => {
    const jobs = new JobsByFile();
    jobs.onAgentEvent({ type: 'job', job: job() });
    jobs.onAgentEvent({ type: 'job', job: job({ path: '/data/out/sent/customers-2026-12-03-v1.csv' }) });
    expect(jobs.job(PATH, 'lexer')).toBeUndefined();
    const ledger = new MemoryLedger([entry()]);
    const facts = ledgerWithJobFacts(ledger, jobs);
    expect(facts.find('a'.repeat(64), 'lexer')).toEqual(entry());
    expect(facts.has('a'.repeat(64), 'lexer')).toBe(true);
    expect(facts.findUnchanged(PATH, 10, 1, 'lexer')).toEqual(entry());
  });
});
