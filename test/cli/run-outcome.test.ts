import { describe, expect, it } from 'vitest';
import { formatRunOutcome, needsAttention, runOutcome, runOutcomeRecord } from '../../src/cli/run-outcome.js';
import type { JobRecord } from '../../src/engine/job-store.js';
import type { JobState } from '../../src/shared/job.js';

const SINCE = 1_000;
const FOLDER = '/out';

function job(name: string, state: JobState, updatedAt: number, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: name,
    path: `${FOLDER}/${name}`,
    folder: FOLDER,
    target: 'lexer',
    state,
    attempts: 1,
    history: [],
    createdAt: updatedAt - 10,
    updatedAt,
    ...extra,
  };
}

const delivered: JobState = { status: 'completed', remoteId: 'r' };
const refused: JobState = { status: 'rejected', reason: 'bad-character: a space' };
const failed: JobState = { status: 'failed', error: { kind: 'server', message: 'HTTP 503' } };
const everywhere = () => true;

describe('runOutcome', () => {
  it("counts the run's own outcomes", () => {
    const outcome = runOutcome(
      [
        job('a', delivered, 2_000),
        job('b', delivered, 2_000),
        job('c', refused, 2_000),
        job('d', failed, 2_000),
      ],
      SINCE,
      [FOLDER],
      everywhere,
    );
    expect(formatRunOutcome(outcome)).toBe('4 files: 2 delivered, 1 rejected, 1 failed');
    expect(outcome.still).toEqual([]);
    expect(needsAttention(outcome)).toBe(true);
    expect(runOutcomeRecord(outcome)).toEqual({
      event: 'summary',
      files: 4,
      delivered: 2,
      deliveredBefore: 0,
      rejected: 1,
      failed: 1,
      waiting: 0,
    });
  });

  it('tells again the files refused before and unchanged, and counts what was delivered before', () => {
    const before = [job('a', delivered, 500), job('b', refused, 500), job('c', failed, 500)];
    const outcome = runOutcome(before, SINCE, [FOLDER], everywhere);
    expect(formatRunOutcome(outcome)).toBe('3 files: 0 delivered, 1 delivered before, 1 rejected, 1 failed');
    expect(outcome.still.map((j) => j.id)).toEqual(['b', 'c']);
    expect(needsAttention(outcome)).toBe(true);
  });

  it('leaves out files removed since, folders not watched, and all but the latest job of a path', () => {
    const outcome = runOutcome(
      [
        job('gone', refused, 500),
        job('elsewhere', refused, 500, { folder: '/other', path: '/other/elsewhere' }),
        job('again', refused, 400, { id: 'old' }),
        job('again', delivered, 2_000, { id: 'new' }),
      ],
      SINCE,
      [FOLDER],
      (path) => path !== `${FOLDER}/gone`,
    );
    expect(formatRunOutcome(outcome)).toBe('1 file: 1 delivered, 0 rejected, 0 failed');
    expect(needsAttention(outcome)).toBe(false);
  });

  it('says how many were left waiting (held for a token), which alone is no refusal', () => {
    const outcome = runOutcome([job('a', { status: 'queued' }, 2_000)], SINCE, [FOLDER], everywhere);
    expect(formatRunOutcome(outcome)).toBe('1 file: 0 delivered, 0 rejected, 0 failed, 1 waiting');
    expect(needsAttention(outcome)).toBe(false);
  });
});
