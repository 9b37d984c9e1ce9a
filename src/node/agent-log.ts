import type { Logger, SecretStore } from '../engine/ports.js';
import { openLogFile } from './log-file.js';
import { createLogger } from './logger.js';
import { rememberingTokens } from './remembered-tokens.js';

/**
 * The log of an agent (`ferry watch`, the desktop app): ferry.log in its state dir, from which
 * every token the agent reads through the returned store is removed, as `ferry upload` does.
 */
export async function openAgentLog(
  stateDir: string,
  tokens: SecretStore,
): Promise<{ readonly logger: Logger; readonly secrets: SecretStore }> {
  const seen = new Set<string>();
  const logger = createLogger({
    destination: await openLogFile(stateDir),
    level: 'info',
    secrets: () => [...seen],
  });
  return { logger, secrets: rememberingTokens(tokens, seen) };
}
