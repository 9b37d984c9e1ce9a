import type { IncomingMessage, ServerResponse } from 'node:http';
import { CommandError, type AgentService } from '../engine/agent/agent-service.js';
import { checkCommand } from '../engine/contract/command-args.js';
import type { ContractError } from '../shared/contract.js';

const MAX_BODY_BYTES = 1024 * 1024;

const STATUS: Readonly<Record<ContractError['kind'], number>> = {
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  internal: 500,
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function fail(res: ServerResponse, error: ContractError): void {
  send(res, STATUS[error.kind], error);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) throw new CommandError('bad-request', 'the request body is too large');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CommandError('bad-request', 'the request body is not JSON');
  }
}

/**
 * The contract over HTTP: `POST /commands/<name>` with JSON arguments answers
 * the command's result; `GET /events` streams every event as server-sent
 * events. Shared by the control socket and the `--ui` server, which adds its
 * own access checks in front.
 */
export async function handleContract(
  service: AgentService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://agent');
  if (req.method === 'GET' && url.pathname === '/events') {
    streamEvents(service, req, res);
    return true;
  }
  const command = /^\/commands\/([\w.]+)$/.exec(url.pathname)?.[1];
  if (command === undefined) return false;
  if (req.method !== 'POST') {
    fail(res, { kind: 'bad-request', message: 'commands are sent with POST' });
    return true;
  }
  try {
    const checked = checkCommand(command, await readJson(req));
    if (!checked.ok) {
      fail(res, checked.error);
      return true;
    }
    send(res, 200, await service.run(checked.name, checked.args));
  } catch (error) {
    if (error instanceof CommandError) fail(res, { kind: error.kind, message: error.message });
    else fail(res, { kind: 'internal', message: error instanceof Error ? error.message : String(error) });
  }
  return true;
}

function streamEvents(service: AgentService, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write(`event: summary\ndata: ${JSON.stringify(service.summary())}\n\n`);
  const unsubscribe = service.subscribe((name, payload) => {
    res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  req.on('close', unsubscribe);
}
