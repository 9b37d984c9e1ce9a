import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EventName,
  Events,
  JobView,
} from '../../shared/contract.js';

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** Whether events are flowing; the window says so rather than showing stale data as live. */
export type Connection = 'connecting' | 'open' | 'lost';

/**
 * How the window reaches the agent: IPC through the preload in the desktop
 * app, HTTP and server-sent events in `ferry watch --ui`. Screens only ever
 * see this interface, so both hosts run the same renderer.
 */
export interface Transport {
  run<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>>;
  /** Every contract event, and the state of the stream; returns the unsubscribe function. */
  subscribe(listener: EventListener, onConnection: (state: Connection) => void): () => void;
  /** Hands a file the user picked or dropped to the agent for delivery to `target`. */
  upload(file: File, target: string): Promise<JobView>;
}

/** A refused command, as the contract's `{kind, message}`. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}
