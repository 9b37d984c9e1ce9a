import type { CommandArgs, CommandName, CommandResult, JobView } from '../../shared/contract.js';
import { TransportError, type Connection, type EventListener, type Transport } from './transport.js';

/** What the preload exposes as `window.ferry` (src/preload/index.cts). */
export interface FerryBridge {
  run<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>>;
  subscribe(listener: EventListener): () => void;
}

/** The contract over Electron IPC, through the preload's bridge. */
export class IpcTransport implements Transport {
  constructor(private readonly bridge: FerryBridge) {}

  run<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    return this.bridge.run(name, args);
  }

  subscribe(listener: EventListener, onConnection: (state: Connection) => void): () => void {
    // IPC is up as long as the window exists.
    onConnection('open');
    return this.bridge.subscribe(listener);
  }

  upload(): Promise<JobView> {
    // The desktop app picks files with the OS dialog in the main process, which knows paths.
    return Promise.reject(new TransportError('bad-request', 'use the tray menu to upload a file'));
  }
}
