import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/engine/agent/agent-ports.js';
import { AgentService } from '../../../src/engine/agent/agent-service.js';
import type { AgentSettings } from '../../../src/engine/agent/agent-settings.js';
import type { DeliveryAgent } from '../../../src/engine/agent/delivery-agent.js';
import type { AgentSummary } from '../../../src/shared/agent-summary.js';
import type { EventName, SettingsView } from '../../../src/shared/contract.js';
import type { SettingsDraft } from '../../../src/shared/settings-draft.js';
import { statusLine, trayState } from '../../../src/shared/tray-model.js';

/** What the summary reads of the agent, with watched folders a test can change as a reconfigure does. */
function agentWatching(...paths: string[]) {
  const watched = { folders: paths.map((path) => ({ path })) };
  const agent = {
    jobs: () => [],
    offlineTargets: () => [],
    stoppedTargets: () => [],
    isPausedAll: () => false,
    get folders() {
      return watched.folders;
    },
  } as unknown as DeliveryAgent;
  const watch = (...next: string[]) => {
    watched.folders = next.map((path) => ({ path }));
  };
  return { agent, watch };
}

/** A host whose settings save applies the draft's folders to the agent. */
const settingsWatching = (watch: (...paths: string[]) => void): AgentSettings => ({
  view: () => Promise.resolve({} as SettingsView),
  update: (draft) => {
    watch(...draft.folders.map((f) => f.path));
    return Promise.resolve({ saved: true, configPath: '/cfg/ferry.json', applied: true });
  },
  setToken: () => Promise.resolve(),
  testTarget: () => Promise.reject(new Error('not here')),
  startTrial: undefined,
});

const folderEvent = (folder: string, change: 'missing' | 'back' | 'error'): AgentEvent => ({
  type: 'folder',
  folder,
  change,
  ...(change === 'back' ? {} : { reason: `${folder} does not exist or is not a folder` }),
});

function serviceWatching(...paths: string[]) {
  const { agent, watch } = agentWatching(...paths);
  const service = new AgentService(agent, settingsWatching(watch));
  const events: EventName[] = [];
  const summaries: AgentSummary[] = [];
  service.subscribe((name, payload) => {
    events.push(name);
    if (name === 'summary') summaries.push(payload as AgentSummary);
  });
  return { service, watch, events, summaries };
}

describe('missing folders in the summary', () => {
  it('lists a folder from "missing" until "back", and sends a summary each time', () => {
    const { service, events, summaries } = serviceWatching('/data/out');
    expect(service.summary().missingFolders).toEqual([]);

    service.onAgentEvent(folderEvent('/data/out', 'missing'));
    expect(events).toEqual(['folder', 'summary']);
    expect(summaries.at(-1)?.missingFolders).toEqual(['/data/out']);
    expect(service.summary().missingFolders).toEqual(['/data/out']);
    expect(trayState(service.summary())).toBe('attention');
    expect(statusLine(service.summary())).toBe('Folder missing: /data/out');

    service.onAgentEvent(folderEvent('/data/out', 'back'));
    expect(events).toEqual(['folder', 'summary', 'folder', 'summary']);
    expect(summaries.at(-1)?.missingFolders).toEqual([]);
    expect(statusLine(service.summary())).toBe('Watching — nothing to deliver yet');
  });

  it('sends no second summary for a folder already missing, nor for a watch error', () => {
    const { service, events } = serviceWatching('/data/out');
    service.onAgentEvent(folderEvent('/data/out', 'missing'));
    service.onAgentEvent(folderEvent('/data/out', 'missing'));
    service.onAgentEvent(folderEvent('/data/out', 'error'));
    expect(events).toEqual(['folder', 'summary', 'folder', 'folder']);
    expect(service.summary().missingFolders).toEqual(['/data/out']);
  });

  it('lists missing folders in the order they are watched', () => {
    const { service } = serviceWatching('/a', '/b', '/c');
    service.onAgentEvent(folderEvent('/c', 'missing'));
    service.onAgentEvent(folderEvent('/a', 'missing'));
    expect(service.summary().missingFolders).toEqual(['/a', '/c']);
    expect(statusLine(service.summary())).toBe('2 folders missing');
  });

  it('forgets a missing folder the settings stop watching, and tells the window at once', async () => {
    const { service, summaries } = serviceWatching('/a', '/gone');
    service.onAgentEvent(folderEvent('/gone', 'missing'));

    await service.run('settings.update', { folders: [{ path: '/a' }] } as unknown as SettingsDraft);
    expect(summaries.at(-1)?.missingFolders).toEqual([]);
    expect(service.summary()).toMatchObject({ folders: ['/a'], missingFolders: [] });

    // Watched again once it is back: its new watcher says nothing, as the folder is there.
    await service.run('settings.update', {
      folders: [{ path: '/a' }, { path: '/gone' }],
    } as unknown as SettingsDraft);
    expect(service.summary()).toMatchObject({ folders: ['/a', '/gone'], missingFolders: [] });
  });

  it('does not list a folder no longer watched, however the watched list changed', () => {
    const { service, watch } = serviceWatching('/a', '/b');
    service.onAgentEvent(folderEvent('/b', 'missing'));
    watch('/a');
    expect(service.summary().missingFolders).toEqual([]);
  });
});
