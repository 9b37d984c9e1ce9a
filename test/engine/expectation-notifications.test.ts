import { describe, expect, it } from 'vitest';
import { NotificationBatcher, type FerryNotification } from '../../src/engine/notification-batcher.js';
import type { ExpectationStatus, LateCause } from '../../src/shared/expectations.js';
import { FakeClock } from '../fakes/fake-clock.js';

const base = { folder: '/data/out', descriptor: 'customers', date: '2026-12-03', due: 0 } as const;
const late = (cause: LateCause, reason: string): ExpectationStatus => ({
  ...base,
  state: 'late',
  cause,
  reason,
});

function batcher(errorsOnly = false) {
  const shown: FerryNotification[] = [];
  const notifications = new NotificationBatcher(
    new FakeClock(),
    () => ({ enabled: true, errorsOnly }),
    (n) => shown.push(n),
  );
  return { shown, notifications };
}

describe('notifications of expected files', () => {
  it('tells a late file once, with why, and that it arrived', () => {
    const { shown, notifications } = batcher();
    const rejected = late('rejected', 'customers-2026-12-03-v1.csv was rejected: bad-date');
    notifications.record({ type: 'expectation', status: rejected });
    notifications.record({ type: 'expectation', status: late('failing', 'the upload is failing') });
    notifications.record({
      type: 'expectation',
      status: { ...base, state: 'delivered', deliveredAt: 1, file: 'customers-2026-12-03-v2.csv' },
    });
    expect(shown).toEqual([
      {
        title: 'customers for 2026-12-03 is late',
        body: 'customers-2026-12-03-v1.csv was rejected: bad-date',
        filter: 'attention',
      },
      { title: 'customers for 2026-12-03 arrived', body: 'customers-2026-12-03-v2.csv' },
    ]);
  });

  it('waits while the file is on its way, and tells no arrival of a file never told late', () => {
    const { shown, notifications } = batcher();
    notifications.record({
      type: 'expectation',
      status: late('agent-not-running', 'the agent was not running'),
    });
    notifications.record({ type: 'expectation', status: { ...base, state: 'delivered', deliveredAt: 1 } });
    expect(shown).toEqual([]);
  });

  it('with errors only, tells the late file but not its arrival', () => {
    const { shown, notifications } = batcher(true);
    notifications.record({ type: 'expectation', status: late('no-file', 'no customers file') });
    notifications.record({ type: 'expectation', status: { ...base, state: 'delivered', deliveredAt: 1 } });
    expect(shown.map((n) => n.title)).toEqual(['customers for 2026-12-03 is late']);
  });
});
