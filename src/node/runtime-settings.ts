import type { AgentSettings } from '../engine/agent/agent-settings.js';
import type { DeliveryAgent } from '../engine/agent/delivery-agent.js';
import type { SecretStore } from '../engine/ports.js';
import type { FerryConfig } from '../shared/config.js';

/** Where a token set from the window is kept: the OS keyring (TokenStore.save), nothing else. */
export interface TokenWriter {
  save(target: string, token: string): Promise<void>;
}

/**
 * The settings of a running agent: its config as loaded, and for each target
 * only whether a token can be found. The token itself is read to learn that and
 * dropped at once; it never reaches an answer.
 */
export function runtimeSettings(
  config: FerryConfig,
  agent: DeliveryAgent,
  concurrency: number,
  secrets: SecretStore,
  writer: TokenWriter | undefined,
): AgentSettings {
  const hasToken = (target: string) =>
    secrets.token(target).then(
      () => true,
      () => false,
    );
  return {
    view: async () => ({
      folders: agent.folders.map((folder) => ({
        path: folder.path,
        target: folder.target.name,
        rule: folder.rule.template,
        paused: agent.isFolderPaused(folder.path),
      })),
      targets: await Promise.all(
        Object.entries(config.targets).map(async ([name, target]) => ({
          name,
          profile: target.profile,
          endpoint: target.endpoint,
          hasToken: await hasToken(name),
        })),
      ),
      concurrency,
    }),
    setToken: (target, token) => {
      if (writer === undefined) return Promise.reject(new Error('this agent cannot store tokens'));
      return writer.save(target, token);
    },
  };
}
