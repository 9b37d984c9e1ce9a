import { createServer, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentService } from '../engine/agent/agent-service.js';
import type { CommandArgs, CommandName, CommandResult, ContractError } from '../shared/contract.js';
import { replaceFile } from './durable-file.js';
import { PRIVATE_FILE } from './private-modes.js';

export const CONTROL_SOCKET = 'agent.sock';
/** On Windows, the file in the state dir that names the running agent's pipe. */
export const CONTROL_PIPE_FILE = 'agent.pipe';

const PIPE_NAME = /^\\\\\.\\pipe\\ferry-[0-9a-f]{32}$/;

/**
 * A pipe name for one run of an agent on Windows. Named pipes share one namespace for every
 * user of the machine, and Node can set no access list on one: a name derived from the state
 * dir could be taken first by another user, and the agent would not start, or `ferry jobs`
 * would talk to theirs. A random name, kept in the private state dir, cannot be guessed.
 */
export function newPipeName(): string {
  return `\\\\.\\pipe\\ferry-${randomBytes(16).toString('hex')}`;
}

/**
 * Where the running agent of a state dir listens for `ferry jobs|retry|pause|resume`: the
 * socket in it (0600, in a 0700 folder; see ensureStateDir), or on Windows the pipe the agent
 * named in it; undefined when no agent has. Only a name newPipeName could have made is taken
 * from the file: a planted `\\host\pipe\…` would send the user's login to that host.
 */
export async function controlAddress(
  stateDir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  if (platform !== 'win32') return join(stateDir, CONTROL_SOCKET);
  let named: string;
  try {
    named = (await readFile(join(stateDir, CONTROL_PIPE_FILE), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return PIPE_NAME.test(named) ? named : undefined;
}

export async function listenForControl(
  stateDir: string,
  service: AgentService,
): Promise<{ close(): Promise<void> }> {
  // The agent's side alone checks commands (with the contract's schemas): a client such as
  // `ferry jobs` loads this module without them.
  const { handleContract } = await import('./contract-http.js');
  const windows = process.platform === 'win32';
  const address = windows ? newPipeName() : join(stateDir, CONTROL_SOCKET);
  // The lock is ours, so a socket file left here belongs to an agent that died.
  if (!windows) await rm(address, { force: true });
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
  if (!windows) await chmod(address, PRIVATE_FILE);
  // Named once the pipe is there, so a client never finds a name nobody listens on.
  if (windows) await replaceFile(join(stateDir, CONTROL_PIPE_FILE), [address], { sync: false });
  return {
    close: async () => {
      if (windows) await rm(join(stateDir, CONTROL_PIPE_FILE), { force: true });
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      });
    },
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
export async function callAgent<N extends CommandName>(
  stateDir: string,
  name: N,
  args: CommandArgs<N>,
): Promise<CommandResult<N>> {
  const address = await controlAddress(stateDir);
  if (address === undefined) throw new AgentNotRunning(`no agent has named its pipe in ${stateDir}`);
  const body = JSON.stringify(args);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: address,
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
