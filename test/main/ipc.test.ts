import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentService } from '../../src/engine/agent/agent-service.js';
import { CommandError } from '../../src/engine/agent/agent-service.js';
import { COMMAND_CHANNEL, EVENT_CHANNEL } from '../../src/shared/ipc-channels.js';

type Handler = (event: unknown, name: unknown, args: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();

// Tests never load the real electron: ipcMain is a recorder.
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { serveContract } = await import('../../src/main/ipc.js');

const appFrame = { senderFrame: { url: 'app://ferry/index.html', parent: null } };
const run = vi.fn<(name: string, args: unknown) => Promise<unknown>>();
let published: ((name: string, payload: unknown) => void) | undefined;
const service = {
  run,
  subscribe: (listener: (name: string, payload: unknown) => void) => {
    published = listener;
    return () => undefined;
  },
} as unknown as AgentService;
const send = vi.fn();

function invoke(event: unknown, name: unknown, args: unknown) {
  const handler = handlers.get(COMMAND_CHANNEL);
  if (handler === undefined) throw new Error('no handler');
  return handler(event, name, args);
}

beforeEach(() => {
  handlers.clear();
  run.mockReset();
  send.mockReset();
  serveContract(service, () => ({ send }) as never);
});

describe('serveContract', () => {
  it('runs a well-formed command from the app window', async () => {
    run.mockResolvedValue({ retried: true });
    await expect(invoke(appFrame, 'jobs.retry', { id: 'j1' })).resolves.toEqual({ retried: true });
    expect(run).toHaveBeenCalledWith('jobs.retry', { id: 'j1' });
  });

  it.each([
    ['another origin', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a subframe of the app', { senderFrame: { url: 'app://ferry/index.html', parent: {} } }],
    ['a file:// page', { senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
    ['no frame', { senderFrame: null }],
  ])('refuses a command from %s', async (_what, event) => {
    await expect(invoke(event, 'jobs.list', {})).rejects.toThrow(/not the Ferry window/);
    expect(run).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown command', 'shell.exec', {}, /unknown command/],
    ['a missing argument', 'jobs.retry', {}, /'id' must be a non-empty string/],
    ['an extra argument', 'jobs.list', { path: '/etc' }, /unknown argument 'path'/],
    ['a wrong type', 'jobs.retry', { id: 'j', force: 'yes' }, /'force' must be a boolean/],
  ])('refuses %s', async (_what, name, args, message) => {
    await expect(invoke(appFrame, name, args)).rejects.toThrow(message);
    expect(run).not.toHaveBeenCalled();
  });

  it('passes a command error back as {kind, message}, never a stack', async () => {
    run.mockRejectedValue(new CommandError('not-found', 'no job j9'));
    const error = await invoke(appFrame, 'jobs.detail', { id: 'j9' }).catch((e: unknown) => e as Error);
    expect(JSON.parse((error as Error).message)).toEqual({ kind: 'not-found', message: 'no job j9' });
  });

  it('forwards contract events to the window on the event channel', () => {
    published?.('summary', { paused: false });
    expect(send).toHaveBeenCalledWith(EVENT_CHANNEL, 'summary', { paused: false });
  });
});
