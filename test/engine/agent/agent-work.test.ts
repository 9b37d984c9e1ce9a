import { describe, expect, it } from 'vitest';
import { AgentWork } from '../../../src/engine/agent/agent-work.js';

/**
 * Runs job `id` in `lane` with work that waits until the test ends it; the handle records
 * whether the work started and what the run was settled with.
 */
function start(w: AgentWork, id: string, lane = 'v', supersede = new Error('superseded')) {
  const log = { started: false, settledWith: undefined as unknown };
  let finish: () => void = () => undefined;
  w.run(
    id,
    supersede,
    (signal) => {
      log.started = true;
      return new Promise<void>((resolve, reject) => {
        finish = resolve;
        signal.addEventListener('abort', () => {
          reject(signal.reason as Error);
        });
      });
    },
    (error) => {
      log.settledWith = error;
      return Promise.resolve();
    },
    lane,
  );
  return {
    log,
    end: () => {
      finish();
    },
  };
}

const ticks = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

function work(runsPerLane: number) {
  return new AgentWork(
    () => false,
    () => undefined,
    runsPerLane,
  );
}

describe('AgentWork lanes', () => {
  it('starts at most runsPerLane runs of a lane, the next as one ends, and other lanes meanwhile', async () => {
    const w = work(2);
    const runs = [0, 1, 2, 3].map((i) => start(w, `a${i.toString()}`, 'vendor-a'));
    const other = start(w, 'b0', 'vendor-b');

    expect(runs.map((r) => r.log.started)).toEqual([true, true, false, false]);
    expect(other.log.started).toBe(true);
    expect(w.isRunning('a3')).toBe(true);

    runs[0]?.end();
    await ticks();
    expect(runs.map((r) => r.log.started)).toEqual([true, true, true, false]);
  });

  it('ends a waiting run that is stopped without starting it, with the reason', async () => {
    const w = work(1);
    const first = start(w, 'first');
    const waiting = start(w, 'waiting');
    const pause = new Error('pause');
    await w.stop('waiting', pause);
    expect(waiting.log.started).toBe(false);
    expect(waiting.log.settledWith).toBe(pause);
    expect(w.isRunning('waiting')).toBe(false);

    first.end();
    await ticks();
    expect(waiting.log.started).toBe(false);
  });

  it('lets the next run in while one waits for a token', () => {
    const w = work(1);
    start(w, 'held');
    const next = start(w, 'next');
    expect(next.log.started).toBe(false);
    w.heldForToken('held', true);
    expect(next.log.started).toBe(true);
  });

  it('starts none of the waiting runs when everything stops', async () => {
    const w = work(1);
    const running = start(w, 'running');
    const waiting = start(w, 'waiting');
    const shutdown = new Error('shutdown');
    await w.stopAll(shutdown);
    expect(running.log.settledWith).toBe(shutdown);
    expect(waiting.log.started).toBe(false);
    expect(waiting.log.settledWith).toBe(shutdown);
  });

  it('replaces a waiting run of the same job, which ends with the superseding reason', async () => {
    const w = work(1);
    const first = start(w, 'first');
    const old = start(w, 'job');
    const supersede = new Error('superseded');
    const renewed = start(w, 'job', 'v', supersede);
    await ticks();
    expect(old.log.settledWith).toBe(supersede);
    first.end();
    await ticks();
    expect(old.log.started).toBe(false);
    expect(renewed.log.started).toBe(true);
  });
});
