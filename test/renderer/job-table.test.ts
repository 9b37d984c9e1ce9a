import { describe, expect, it } from 'vitest';
import { JobTable } from '../../src/renderer/job-table.js';
import type { JobView } from '../../src/shared/contract.js';
import type { JobStatus } from '../../src/shared/job.js';

function job(id: string, status: JobStatus = 'queued'): JobView {
  return {
    id,
    file: `${id}.csv`,
    path: `/data/out/${id}.csv`,
    target: 'lexer',
    status,
    state: { status } as JobView['state'],
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('JobTable', () => {
  it('keeps a job an event created while the list was on its way', () => {
    const table = new JobTable();
    const request = table.load();
    table.set(job('new', 'rejected'));
    request.arrived([job('old', 'completed')]);
    expect(table.all().map((j) => [j.id, j.status])).toEqual([
      ['old', 'completed'],
      ['new', 'rejected'],
    ]);
  });

  it('keeps the newer state of a job the list already had, and a removal made meanwhile', () => {
    const table = new JobTable();
    const request = table.load();
    table.set(job('a', 'completed'));
    table.remove('b');
    request.arrived([job('a', 'uploading'), job('b')]);
    expect(table.all()).toEqual([job('a', 'completed')]);
  });

  it('takes the list whole once it has come: later lists replace what the events said before', () => {
    const table = new JobTable();
    table.set(job('gone'));
    table.load().arrived([job('a')]);
    expect(table.all()).toEqual([job('a')]);
  });

  it('stops holding events for a list that will not come', () => {
    const table = new JobTable();
    const failed = table.load();
    table.set(job('x'));
    failed.failed();
    const next = table.load();
    next.arrived([]);
    expect(table.all()).toEqual([]);
  });
});
