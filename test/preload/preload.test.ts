import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEY, COMMAND_CHANNEL, EVENT_CHANNEL } from '../../src/shared/ipc-channels.js';
import { requireBuilt } from '../support/child-process.js';

/** The compiled preload, run as Electron runs a sandboxed preload: its only require is electron. */
function loadPreload() {
  requireBuilt('dist/preload/index.cjs');
  const exposed = new Map<string, unknown>();
  const ipcRenderer = { invoke: vi.fn(() => Promise.resolve('answer')), on: vi.fn(), off: vi.fn() };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer,
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(readFileSync('dist/preload/index.cjs', 'utf8'), {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  });
  return { exposed, ipcRenderer, required };
}

describe('the preload', () => {
  it('requires electron only and exposes exactly run and subscribe', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual([BRIDGE_KEY]);
    expect(Object.keys(exposed.get(BRIDGE_KEY) as object).sort()).toEqual(['run', 'subscribe']);
  });

  it('sends commands on the contract channel and listens on the event channel', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    const bridge = exposed.get(BRIDGE_KEY) as {
      run: (name: string, args: unknown) => Promise<unknown>;
      subscribe: (listener: (name: string, payload: unknown) => void) => () => void;
    };
    await expect(bridge.run('jobs.list', {})).resolves.toBe('answer');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(COMMAND_CHANNEL, 'jobs.list', {});
    const listener = vi.fn();
    const unsubscribe = bridge.subscribe(listener);
    const [channel, forward] = ipcRenderer.on.mock.calls[0] as unknown as [
      string,
      (event: unknown, name: string, payload: unknown) => void,
    ];
    expect(channel).toBe(EVENT_CHANNEL);
    forward({ sender: 'hidden' }, 'job', { id: 'j1' });
    expect(listener).toHaveBeenCalledWith('job', { id: 'j1' });
    unsubscribe();
    expect(ipcRenderer.off).toHaveBeenCalledWith(EVENT_CHANNEL, forward);
  });
});
