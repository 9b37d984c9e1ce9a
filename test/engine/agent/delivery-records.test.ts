import { describe, expect, it } from 'vitest';
import { AgentService, type DeliveryRecords } from '../../../src/engine/agent/agent-service.js';
import type { DeliveryAgent } from '../../../src/engine/agent/delivery-agent.js';
import { checkCommand } from '../../../src/engine/contract/command-args.js';
import type { EventName } from '../../../src/shared/contract.js';
import type { ExpectationStatus } from '../../../src/shared/expectations.js';
import { trayState } from '../../../src/shared/tray-model.js';

const agent = {
  jobs: () => [],
  offlineTargets: () => [],
  stoppedTargets: () => [],
  isPausedAll: () => false,
  folders: [{ path: '/data/out' }],
} as unknown as DeliveryAgent;

const LATE: ExpectationStatus = {
  folder: '/data/out',
  descriptor: 'customers',
  date: '2026-12-03',
  due: 1,
  state: 'late',
  cause: 'no-file',
  reason: 'no customers file dated 2026-12-03 in /data/out',
};

function records(late: ExpectationStatus[]) {
  const asked: unknown[] = [];
  const port: DeliveryRecords = {
    late: () => late,
    expectations: (days) => {
      asked.push(days);
      return Promise.resolve({ at: 5, statuses: late });
    },
    receipts: (filter) => {
      asked.push(filter);
      return Promise.resolve([]);
    },
  };
  return { port, asked };
}

describe('AgentService: expected files and receipts', () => {
  it('tells an expectation event and a summary naming the late file', () => {
    const late: ExpectationStatus[] = [];
    const service = new AgentService(agent, undefined, undefined, records(late).port);
    const told: [EventName, unknown][] = [];
    service.subscribe((name, payload) => told.push([name, payload]));
    late.push(LATE);
    service.onAgentEvent({ type: 'expectation', status: LATE });
    expect(told.map(([name]) => name)).toEqual(['expectation', 'summary']);
    expect(told[0]?.[1]).toEqual(LATE);
    expect(service.summary().lateExpectations).toEqual([LATE]);
    expect(trayState(service.summary())).toBe('attention');
  });

  it('answers expectations.list (7 days unless asked) and history.list from the records', async () => {
    const { port, asked } = records([LATE]);
    const service = new AgentService(agent, undefined, undefined, port);
    expect(await service.run('expectations.list', {})).toEqual({ at: 5, statuses: [LATE] });
    await service.run('expectations.list', { days: 30 });
    await service.run('history.list', { folder: '/data/out' });
    expect(asked).toEqual([7, 30, { folder: '/data/out' }]);
  });

  it('says so when its host keeps no records', async () => {
    const service = new AgentService(agent);
    await expect(service.run('history.list', {})).rejects.toThrow('this host keeps no delivery records');
    expect(service.summary().lateExpectations).toEqual([]);
  });

  it('checks the arguments: days from 1 to 366, times as numbers', () => {
    expect(checkCommand('expectations.list', { days: 7 }).ok).toBe(true);
    expect(checkCommand('expectations.list', { days: 0 })).toMatchObject({
      ok: false,
      error: { message: "expectations.list: 'days' must be a whole number from 1 to 366" },
    });
    expect(checkCommand('expectations.list', { days: 367 }).ok).toBe(false);
    expect(checkCommand('history.list', { since: 0, until: 10, folder: '/x', target: 'lexer' }).ok).toBe(
      true,
    );
    expect(checkCommand('history.list', { since: '2026-12-01' }).ok).toBe(false);
  });
});
