import { ipcMain, type WebContents } from 'electron';
import type { AgentService } from '../engine/agent/agent-service.js';
import { CommandError } from '../engine/agent/agent-service.js';
import { checkCommand } from '../engine/contract/command-args.js';
import type { ContractError } from '../shared/contract.js';
import { COMMAND_CHANNEL, EVENT_CHANNEL } from '../shared/ipc-channels.js';
import { isTrustedSender } from '../shared/window-security.js';

/** What crosses back to the renderer on failure: a plain `{kind, message}`, never a stack. */
function toContractError(error: unknown): ContractError {
  if (error instanceof CommandError) return { kind: error.kind, message: error.message };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/**
 * The one place that touches ipcMain: every contract command arrives on one
 * channel and runs only for the app's own page in its main frame, with
 * arguments of exactly the contract's shape.
 */
export function serveContract(service: AgentService, window: () => WebContents | undefined): () => void {
  ipcMain.handle(COMMAND_CHANNEL, async (event, name: unknown, args: unknown) => {
    const frame = event.senderFrame;
    if (
      !isTrustedSender(frame === null ? undefined : { url: frame.url, isMainFrame: frame.parent === null })
    ) {
      throw new Error(JSON.stringify({ kind: 'bad-request', message: 'refused: not the Ferry window' }));
    }
    const checked = checkCommand(name, args);
    if (!checked.ok) throw new Error(JSON.stringify(checked.error));
    try {
      return await service.run(checked.name, checked.args);
    } catch (error) {
      throw new Error(JSON.stringify(toContractError(error)), { cause: error });
    }
  });
  const unsubscribe = service.subscribe((name, payload) => {
    window()?.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(COMMAND_CHANNEL);
  };
}
