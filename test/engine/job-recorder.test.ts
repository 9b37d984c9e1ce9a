import { describe, expect, it } from 'vitest';
import { JobRecorder } from '../../src/engine/job-recorder.js';
import { FakeClock } from '../fakes/fake-clock.js';

describe('JobRecorder', () => {
  it('records every state change with its time, but not progress within an upload', () => {
    const clock = new FakeClock(1_000);
    const changes: string[] = [];
    const job = new JobRecorder(clock, { status: 'queued' }, (state, at) => {
      changes.push(`${state.status}@${at}`);
    });
    job.apply({ type: 'start' });
    clock.advance(10);
    job.apply({ type: 'url-granted', total: 100 });
    job.apply({ type: 'progress', sent: 40 });
    job.apply({ type: 'progress', sent: 90 });
    expect(job.state).toEqual({ status: 'uploading', sent: 90, total: 100 });
    job.apply({ type: 'complete', remoteId: 'r' });
    expect(job.history.map((h) => `${h.state.status}@${h.at}`)).toEqual([
      'queued@1000',
      'requesting-url@1000',
      'uploading@1010',
      'completed@1010',
    ]);
    expect(changes).toEqual(['requesting-url@1000', 'uploading@1010', 'completed@1010']);
  });

  it('refuses an impossible event and keeps its state', () => {
    const job = new JobRecorder(new FakeClock(), { status: 'queued' });
    expect(() => {
      job.apply({ type: 'complete', remoteId: 'r' });
    }).toThrow("cannot take the event 'complete'");
    expect(job.state).toEqual({ status: 'queued' });
    expect(job.history).toHaveLength(1);
  });
});
