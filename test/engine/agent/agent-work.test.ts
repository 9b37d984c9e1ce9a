import { describe, expect, it } from 'vitest';
import { AgentWork } from '../../../src/engine/agent/agent-work.js';

/** A run whose work waits until the test ends it, and that records how it began and ended. */
function controlledRun() {
  const log = {
    started: false,
    settledWith: undefined as unknown,
    signal: undefined as AbortSignal | undefined,
  };
  let finish: () => void = () => undefined;
  const work = (signal: AbortSignal) => {
    log.started = true;
    log.signal = signal;
    return new Promise<void>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener('abort', () => {
        reject(signal.reason as Error);
      });
    });
  };
  const settle = (error: unknown) => {
    log.settledWith = error;
    return Promise.resolve();
  };
  return {
    log,
    work,
    settle,
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
    const runs = [0, 1, 2, 3].map(() => controlledRun());
    runs.forEach((r, i) => {
      w.run(`a${i.toString()}`, new Error('superseded'), r.work, r.settle, 'vendor-a');
    });
    const other = controlledRun();
    w.run('b0', new Error('superseded'), other.work, other.settle, 'vendor-b');

    expect(runs.map((r) => r.log.started)).toEqual([true, true, false, false]);
    expect(other.log.started).toBe(true);
    expect(w.isRunning('a3')).toBe(true);

    runs[0]?.end();
    await ticks();
    expect(runs.map((r) => r.log.started)).toEqual([true, true, true, false]);
  });

  it('ends a waiting run that is stopped without starting it, with the reason', async () => {
    const w = work(1);
    const first = controlledRun();
    const waiting = controlledRun();
    w.run('first', new Error('superseded'), first.work, first.settle, 'v');
    w.run('waiting', new Error('superseded'), waiting.work, waiting.settle, 'v');
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
    const held = controlledRun();
    const next = controlledRun();
    w.run('held', new Error('superseded'), held.work, held.settle, 'v');
    w.run('next', new Error('superseded'), next.work, next.settle, 'v');
    expect(next.log.started).toBe(false);
    w.heldForToken('held', true);
    expect(next.log.started).toBe(true);
  });

  it('starts none of the waiting runs when everything stops', async () => {
    const w = work(1);
    const running = controlledRun();
    const waiting = controlledRun();
    w.run('running', new Error('superseded'), running.work, running.settle, 'v');
    w.run('waiting', new Error('superseded'), waiting.work, waiting.settle, 'v');
    const shutdown = new Error('shutdown');
    await w.stopAll(shutdown);
    expect(running.log.settledWith).toBe(shutdown);
    expect(waiting.log.started).toBe(false);
    expect(waiting.log.settledWith).toBe(shutdown);
  });

  it('replaces a waiting run of the same job, which ends with the superseding reason', async () => {
    const w = work(1);
    const first = controlledRun();
    const old = controlledRun();
    const renewed = controlledRun();
    w.run('first', new Error('superseded'), first.work, first.settle, 'v');
    w.run('job', new Error('superseded'), old.work, old.settle, 'v');
    const supersede = new Error('superseded');
    w.run('job', supersede, renewed.work, renewed.settle, 'v');
    await ticks();
    expect(old.log.settledWith).toBe(supersede);
    first.end();
    await ticks();
    expect(old.log.started).toBe(false);
    expect(renewed.log.started).toBe(true);
  });
});
