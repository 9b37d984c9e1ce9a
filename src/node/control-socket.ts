import { createServer, request } from 'node:http';
import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentService } from '../engine/agent/agent-service.js';
import type { CommandArgs, CommandName, CommandResult, ContractError } from '../shared/contract.js';
import { handleContract } from './contract-http.js';
import { PRIVATE_FILE } from './private-modes.js';

export const CONTROL_SOCKET = 'agent.sock';

/**
 * Where a running agent listens for `ferry jobs|retry|pause|resume`: a socket
 * in its state dir (a named pipe on Windows). Only the state dir's owner can
 * reach it: the folder is 0700 (see ensureStateDir), and the socket 0600.
 */
export function controlAddress(stateDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return join(stateDir, CONTROL_SOCKET);
  const name = stateDir.replace(/[^A-Za-z0-9]/g, '-').slice(-200);
  return `\\\\.\\pipe\\ferry-${name}`;
}

export async function listenForControl(
  stateDir: string,
  service: AgentService,
): Promise<{ close(): Promise<void> }> {
  const address = controlAddress(stateDir);
  // The lock is ours, so a socket file left here belongs to an agent that died.
  if (process.platform !== 'win32') await rm(address, { force: true });
  const server = createServer((req, res) => {
    void handleContract(service, req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A socket is made with the umask's mode (srwxrwxrwx under umask 000), and whoever may write
  // to it may run every command. The folder already keeps others out; this keeps them out of
  // a folder someone loosened later.
  if (process.platform !== 'win32') await chmod(address, PRIVATE_FILE);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** No agent is listening on the state dir: the caller works on the stored queue instead. */
export class AgentNotRunning extends Error {
  override readonly name = 'AgentNotRunning';
}

export class AgentCommandError extends Error {
  override readonly name = 'AgentCommandError';
  constructor(readonly detail: ContractError) {
    super(detail.message);
  }
}

/** Sends a command to the agent running on `stateDir`. */
export function callAgent<N extends CommandName>(
  stateDir: string,
  name: N,
  args: CommandArgs<N>,
): Promise<CommandResult<N>> {
  const body = JSON.stringify(args);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: controlAddress(stateDir),
        method: 'POST',
        path: `/commands/${name}`,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(text) as unknown;
            if (res.statusCode === 200) resolve(parsed as CommandResult<N>);
            else reject(new AgentCommandError(parsed as ContractError));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')
        reject(new AgentNotRunning(error.message));
      else reject(error);
    });
    req.end(body);
  });
}
