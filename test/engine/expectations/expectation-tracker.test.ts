import { describe, expect, it } from 'vitest';
import type { Evidence, JobFacts } from '../../../src/engine/expectations/expectation-status.js';
import { ExpectationTracker } from '../../../src/engine/expectations/expectation-tracker.js';
import type { Expectation } from '../../../src/engine/expectations/schedule.js';
import type { Clock } from '../../../src/engine/ports.js';
import { SleepWatch } from '../../../src/engine/sleep-watch.js';
import type { ExpectationStatus } from '../../../src/shared/expectations.js';
import { DEFAULT_RULE } from '../../../src/shared/naming.js';
import { FakeClock, settle } from '../../fakes/fake-clock.js';

const FOLDER = '/data/out';
const at = (iso: string) => Date.parse(iso);
const DAILY: Expectation = {
  folder: FOLDER,
  rule: DEFAULT_RULE,
  descriptor: 'customers',
  cadence: { kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] },
  by: 9 * 3600,
  timeZone: 'Europe/London',
  dated: 'delivery-day',
};
const NAME = 'customers-2026-12-03-v1.csv';

/**
 * An agent's tracker on a machine that can sleep: timers run on the monotonic clock (the
 * FakeClock), which stops while the machine is suspended; the wall clock runs on.
 */
function agentAt(start: string, expectations: readonly Expectation[] = [DAILY]) {
  const monotonic = new FakeClock(at(start));
  let asleepMs = 0;
  const clock: Clock = {
    now: () => monotonic.now() + asleepMs,
    sleep: (ms, signal) => monotonic.sleep(ms, signal),
  };
  const jobs: JobFacts[] = [];
  const live = { offlineTargets: [] as string[], tokenRejected: [] as string[], agentSince: clock.now() };
  const told: ExpectationStatus[] = [];
  const tracker = new ExpectationTracker(
    clock,
    () => ({ ...live, jobs }) satisfies Omit<Evidence, 'delivered'>,
    (s) => told.push(s),
  );
  const stop = new AbortController();
  tracker.reset(expectations, []);
  const running = tracker.run(stop.signal);
  return {
    clock,
    tracker,
    told,
    jobs,
    live,
    /** What was told, as `state cause date`. */
    said: () => told.map((s) => [s.state, s.cause ?? '-', s.date].join(' ')),
    awake: async (ms: number) => {
      for (let left = ms; left > 0; left -= 10_000) {
        monotonic.advance(Math.min(10_000, left));
        await settle();
      }
    },
    suspend: (ms: number) => {
      asleepMs += ms;
    },
    monotonic,
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

describe('ExpectationTracker', () => {
  it('tells when a file becomes late at its deadline, and when it arrives', async () => {
    const agent = agentAt('2026-12-03T08:59:00Z');
    expect(agent.said()).toEqual([]);
    await agent.awake(59_000);
    expect(agent.said()).toEqual([]);
    await agent.awake(1_000);
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    expect(agent.told[0]?.due).toBe(at('2026-12-03T09:00:00Z'));
    agent.tracker.recordDelivery({ path: `${FOLDER}/${NAME}`, deliveredAt: agent.clock.now() });
    expect(agent.said()).toEqual(['late no-file 2026-12-03', 'delivered - 2026-12-03']);
    expect(agent.tracker.current().map((s) => s.state)).toEqual(['delivered']);
    await agent.stop();
  });

  it('is on time to the second, whatever the zone: the timer is set for the deadline', async () => {
    const agent = agentAt('2026-12-03T08:00:00Z');
    await agent.awake(3_599_000);
    expect(agent.said()).toEqual([]);
    await agent.awake(1_000);
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    await agent.stop();
  });

  it('after a restart past the deadline, tells at once; a file on its way says the agent was not running', async () => {
    const agent = agentAt('2026-12-03T09:45:00Z');
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    agent.jobs.push({
      path: `${FOLDER}/${NAME}`,
      folder: FOLDER,
      target: 'lexer',
      state: { status: 'queued' },
      updatedAt: agent.clock.now(),
    });
    agent.tracker.check();
    expect(agent.told.at(-1)).toMatchObject({
      state: 'late',
      cause: 'agent-not-running',
      reason: `the agent was not running at 09:00 Europe/London; ${NAME} is on its way now`,
    });
    await agent.stop();
  });

  it('after a sleep across the deadline, tells when the machine wakes', async () => {
    const agent = agentAt('2026-12-03T08:00:00Z');
    const wakes = new SleepWatch(agent.clock, () => {
      agent.tracker.check();
    });
    const watching = new AbortController();
    void wakes.watch(watching.signal);
    await agent.awake(10_000);
    // Suspended from 08:00:10 to 11:00:10: no timer fires meanwhile.
    agent.suspend(3 * 3_600_000);
    expect(agent.said()).toEqual([]);
    // The sleep watch's next tick fires late by the wall clock: a wake, and the tracker checks.
    await agent.awake(5_000);
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    watching.abort();
    await agent.stop();
  });

  it('its own timer catches a sleep too, within a minute of waking', async () => {
    const agent = agentAt('2026-12-03T08:00:00Z');
    agent.suspend(3 * 3_600_000);
    await agent.awake(59_000);
    expect(agent.said()).toEqual([]);
    await agent.awake(1_000);
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    await agent.stop();
  });

  it('tells a late file missing when its period ends, then the next one late at its deadline', async () => {
    const agent = agentAt('2026-12-03T23:59:00Z');
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    await agent.awake(60_000);
    expect(agent.said()).toEqual(['late no-file 2026-12-03', 'missing no-file 2026-12-03']);
    await agent.awake(9 * 3_600_000);
    expect(agent.said()).toEqual([
      'late no-file 2026-12-03',
      'missing no-file 2026-12-03',
      'late no-file 2026-12-04',
    ]);
    await agent.stop();
  });

  it('tells a late file whose reason changes: rejected, then failing', async () => {
    const agent = agentAt('2026-12-03T10:00:00Z');
    const job = (state: JobFacts['state']): JobFacts => ({
      path: `${FOLDER}/${NAME}`,
      folder: FOLDER,
      target: 'lexer',
      state,
      updatedAt: agent.clock.now(),
    });
    agent.jobs.push(job({ status: 'rejected', reason: 'bad-date: …' }));
    agent.tracker.check();
    agent.tracker.check();
    agent.jobs.splice(
      0,
      1,
      job({ status: 'retry-wait', at: 0, attempt: 2, error: { kind: 'server', message: '503' } }),
    );
    agent.tracker.check();
    expect(agent.said()).toEqual([
      'late no-file 2026-12-03',
      'late rejected 2026-12-03',
      'late failing 2026-12-03',
    ]);
    agent.live.offlineTargets.push('lexer');
    agent.tracker.check();
    expect(agent.told.at(-1)).toMatchObject({
      cause: 'offline',
      reason: `lexer is offline: ${NAME} waits for it to answer`,
    });
    await agent.stop();
  });

  it('sets its timer again for expectations changed in the settings', async () => {
    const agent = agentAt('2026-12-03T08:00:00Z', []);
    agent.tracker.reset([{ ...DAILY, by: 8 * 3600 + 5 }], []);
    await agent.awake(5_000);
    expect(agent.said()).toEqual(['late no-file 2026-12-03']);
    expect(agent.monotonic.pendingTimers).toBe(1);
    await agent.stop();
  });

  it('a file of another descriptor or folder is not its concern', () => {
    const agent = agentAt('2026-12-03T08:00:00Z');
    expect(agent.tracker.concerns({ path: `${FOLDER}/${NAME}` })).toBe(true);
    expect(agent.tracker.concerns({ path: `${FOLDER}/orders-2026-12-03-v1.csv` })).toBe(false);
    expect(agent.tracker.concerns({ path: `/other/${NAME}` })).toBe(false);
    void agent.stop();
  });
});

describe('ExpectationTracker across a change of the clocks', () => {
  it('sets its timer for 09:00 London time on both sides of the night the clocks go forward', async () => {
    const agent = agentAt('2026-03-28T08:59:00Z');
    await agent.awake(60_000);
    expect(agent.told.at(-1)).toMatchObject({
      date: '2026-03-28',
      state: 'late',
      due: at('2026-03-28T09:00:00Z'),
    });
    // The next day's 09:00 is 08:00 UTC: an hour sooner by the UTC clock.
    await agent.awake(at('2026-03-29T07:59:59Z') - agent.clock.now());
    expect(agent.said()).toEqual(['late no-file 2026-03-28', 'missing no-file 2026-03-28']);
    await agent.awake(1_000);
    expect(agent.told.at(-1)).toMatchObject({
      date: '2026-03-29',
      state: 'late',
      due: at('2026-03-29T08:00:00Z'),
    });
    await agent.stop();
  });
});
