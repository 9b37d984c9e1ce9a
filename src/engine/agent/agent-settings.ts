import type { ConnectionTest, SettingsSaved, SettingsView, TrialView } from '../../shared/contract.js';
import type { SettingsDraft } from '../../shared/settings-draft.js';

/**
 * What the settings screen reads and writes through the agent. A port, because
 * the answers come from the host: its config file and its keyring. Tokens only
 * go in: nothing here returns one.
 */
export interface AgentSettings {
  view(): Promise<SettingsView>;
  setToken(target: string, token: string): Promise<void>;
  /** Validates, saves and applies a draft; called only when `view().readOnly` is unset. */
  update(draft: SettingsDraft): Promise<SettingsSaved>;
  /** Tests a configured target's connection. */
  testTarget(target: string): Promise<ConnectionTest>;
  /** Starts the sandbox trial; absent where the host cannot run a sandbox. */
  readonly startTrial: (() => Promise<TrialView>) | undefined;
}
