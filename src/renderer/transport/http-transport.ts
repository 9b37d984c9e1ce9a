import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EventName,
  Events,
  JobView,
} from '../../shared/contract.js';
import { SseParser } from './sse-parser.js';
import { TransportError, type Connection, type EventListener, type Transport } from './transport.js';

const RECONNECT_MS = 1000;

async function parseAnswer<T>(response: Response): Promise<T> {
  const body = (await response.json()) as unknown;
  if (response.ok) return body as T;
  const error = body as { kind?: string; message?: string };
  throw new TransportError(error.kind ?? 'internal', error.message ?? `HTTP ${response.status}`);
}

/**
 * The contract over `ferry watch --ui`: commands are POSTs, events one
 * server-sent stream read with fetch, every request carrying the per-run
 * token in the Authorization header.
 */
export class HttpTransport implements Transport {
  constructor(private readonly token: string) {}

  private get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async run<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    const response = await fetch(`/commands/${name}`, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    return parseAnswer<CommandResult<N>>(response);
  }

  async upload(file: File, target: string): Promise<JobView> {
    const query = new URLSearchParams({ name: file.name, target });
    const response = await fetch(`/upload?${query.toString()}`, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/octet-stream' },
      body: file,
    });
    return parseAnswer<JobView>(response);
  }

  subscribe(listener: EventListener, onConnection: (state: Connection) => void): () => void {
    const controller = new AbortController();
    const stopped = () => controller.signal.aborted;
    const loop = async () => {
      while (!stopped()) {
        onConnection('connecting');
        try {
          const response = await fetch('/events', { headers: this.headers, signal: controller.signal });
          if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
          onConnection('open');
          const parser = new SseParser();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const message of parser.push(value)) {
              listener(message.event as EventName, JSON.parse(message.data) as Events[EventName]);
            }
          }
        } catch {
          if (stopped()) return;
        }
        onConnection('lost');
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      }
    };
    void loop();
    return () => {
      controller.abort();
    };
  }
}
