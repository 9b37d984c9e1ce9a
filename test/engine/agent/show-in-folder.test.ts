import { describe, expect, it } from 'vitest';
import { AgentService, CommandError } from '../../../src/engine/agent/agent-service.js';
import type { DeliveryAgent } from '../../../src/engine/agent/delivery-agent.js';
import type { JobRecord } from '../../../src/engine/job-store.js';

const JOB: JobRecord = {
  id: 'j1',
  path: '/data/out/orders-2024-06-12-v1.csv',
  target: 'default',
  state: { status: 'completed', remoteId: '7' },
  attempts: 1,
  history: [],
  createdAt: 1,
  updatedAt: 2,
};

/** Only the lookup the command makes: the service's routing is what is tested. */
const agentWith = (jobs: readonly JobRecord[]) =>
  ({ job: (id: string) => jobs.find((job) => job.id === id) }) as unknown as DeliveryAgent;

describe('jobs.showInFolder', () => {
  it("hands the job's file to the desktop host", async () => {
    const shown: string[] = [];
    const service = new AgentService(agentWith([JOB]), undefined, (path) => shown.push(path));
    await expect(service.run('jobs.showInFolder', { id: 'j1' })).resolves.toEqual({ shown: true });
    expect(shown).toEqual([JOB.path]);
  });

  it('refuses where there is no file manager, and names an unknown job', async () => {
    const service = new AgentService(agentWith([JOB]));
    await expect(service.run('jobs.showInFolder', { id: 'j1' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(service.run('jobs.showInFolder', { id: 'nope' })).rejects.toBeInstanceOf(CommandError);
  });
});
