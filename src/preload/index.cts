// The preload runs sandboxed, where only CommonJS loads: hence .cts. It may
// import electron and src/shared only, and exposes exactly the contract.
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';
import type { CommandArgs, CommandName, CommandResult, EventName, Events } from '../shared/contract.js';

// A sandboxed preload can require nothing but electron: the channel names from
// src/shared/ipc-channels.ts are repeated here, and a test holds them equal.
const COMMAND_CHANNEL = 'ferry:command';
const EVENT_CHANNEL = 'ferry:event';

type Listener = <E extends EventName>(name: E, payload: Events[E]) => void;

const { contextBridge, ipcRenderer } = electron;

const bridge = {
  run<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    return ipcRenderer.invoke(COMMAND_CHANNEL, name, args) as Promise<CommandResult<N>>;
  },
  /** Subscribes to every contract event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    const forward = (_event: IpcRendererEvent, name: EventName, payload: Events[EventName]) => {
      listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('ferry', bridge);
