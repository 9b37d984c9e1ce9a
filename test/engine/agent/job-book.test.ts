import { describe, expect, it } from 'vitest';
import { JobBook } from '../../../src/engine/agent/job-book.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeJobStore } from '../../fakes/fake-job-store.js';

async function book() {
  const clock = new FakeClock();
  let next = 0;
  const jobs = new JobBook(new FakeJobStore(), clock, () => `j${(next += 1)}`, {
    onChange: () => undefined,
    onRemove: () => undefined,
    onSaveError: () => undefined,
  });
  await jobs.load();
  return { clock, jobs };
}

describe('JobBook.latestFor', () => {
  it("finds a path's newest job, follows a move, and forgets a removed one", async () => {
    const { clock, jobs } = await book();
    const first = jobs.create({ path: '/out/a.csv', target: 't' });
    clock.advance(1);
    const second = jobs.create({ path: '/out/a.csv', target: 't' });
    jobs.create({ path: '/out/b.csv', target: 't' });
    expect(jobs.latestFor('/out/a.csv')?.id).toBe(second.id);

    jobs.update(second.id, { path: '/out/sent/a.csv' });
    expect(jobs.latestFor('/out/a.csv')?.id).toBe(first.id);
    expect(jobs.latestFor('/out/sent/a.csv')?.id).toBe(second.id);

    await jobs.remove(first.id);
    expect(jobs.latestFor('/out/a.csv')).toBeUndefined();
  });

  it('applies every event through the lifecycle, and refuses one the state cannot take', async () => {
    const { jobs } = await book();
    const job = jobs.create({ path: '/out/a.csv', target: 't' });
    jobs.apply(job.id, { type: 'settled' });
    expect(jobs.get(job.id)?.state).toEqual({ status: 'queued' });
    expect(() => jobs.apply(job.id, { type: 'complete', remoteId: 'r' })).toThrow(
      "cannot take the event 'complete'",
    );
    jobs.apply(job.id, { type: 'reject', reason: 'bad-date' });
    expect(jobs.get(job.id)).toMatchObject({ attempts: 1, history: [{ outcome: 'rejected' }] });
  });
});
