import type { SettingsView } from '../../shared/contract.js';

/**
 * What the settings screen reads and writes through the agent. A port, because
 * the answers come from the host: its config and its keyring. Tokens only go
 * in: nothing here returns one.
 */
export interface AgentSettings {
  view(): Promise<SettingsView>;
  setToken(target: string, token: string): Promise<void>;
}
