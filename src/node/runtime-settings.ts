import { join, resolve } from 'node:path';
import type { AgentSettings } from '../engine/agent/agent-settings.js';
import type { DeliveryAgent } from '../engine/agent/delivery-agent.js';
import { autoLoadGap, autoLoadNotice } from '../engine/auto-load.js';
import { testConnection } from '../engine/connection-test.js';
import type { Http, SecretStore } from '../engine/ports.js';
import { targetSpec } from '../engine/target-spec.js';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { validateConfig } from '../engine/config/validate-config.js';
import type { ConnectionTest, SettingsSaved, SettingsView, TrialView } from '../shared/contract.js';
import { DEFAULT_TEMPLATE } from '../shared/naming.js';
import type { SettingsDraft } from '../shared/settings-draft.js';
import { writeSampleFiles } from './sample-files.js';
import { saveSettings } from './settings-file.js';
import type { SettingsStore } from './settings-store.js';

/** Where a token set from the window is kept: the OS keyring (TokenStore.save), nothing else. */
export interface TokenWriter {
  save(target: string, token: string): Promise<void>;
}

/** A sandbox running in this process: the vendor side of the first-run trial. */
export interface SandboxHandle {
  readonly endpoint: string;
  readonly token: string;
  close(): Promise<void>;
}

/** The target name of the trial; the sandbox speaks the lexer profile. */
export const TRIAL_TARGET = 'sandbox-trial';

/** How long "test connection" waits for the vendor's answer. */
const TEST_TIMEOUT_MS = 15_000;

export interface RuntimeSettingsDeps {
  readonly agent: () => DeliveryAgent;
  /** The host's tokens: FERRY_TOKEN, then FERRY_TOKEN_FILE, then the keyring. */
  readonly secrets: SecretStore;
  readonly http: Http;
  readonly writer?: TokenWriter | undefined;
  /** The config file settings saved from the window go to; none when they cannot be saved. */
  readonly settingsStore?: SettingsStore | undefined;
  readonly readOnly?: string | undefined;
  readonly desktop: boolean;
  readonly stateDir: string;
  readonly openSandbox?: (() => Promise<SandboxHandle>) | undefined;
  /** Makes the running agent deliver by this config. */
  readonly apply: (config: FerryConfig, concurrency: number) => Promise<void>;
  readonly onConfigChanged?: ((config: FerryConfig) => void) | undefined;
}

interface Trial extends TrialView {
  readonly token: string;
  close(): Promise<void>;
}

/**
 * The settings of a running agent: its config file as loaded or last saved
 * from the window, and for each target only whether a token can be found (the
 * token itself is read to learn that and dropped at once). A sandbox trial is
 * kept apart from the file: it lives as long as the process, so writing it
 * down would leave a target pointing at a port nobody listens on.
 */
export class RuntimeSettings implements AgentSettings {
  private trial: Trial | undefined;
  /** Saves run one at a time: each reads the file the previous one wrote. */
  private saving: Promise<unknown> = Promise.resolve();
  readonly startTrial: (() => Promise<TrialView>) | undefined;

  constructor(
    private readonly deps: RuntimeSettingsDeps,
    private config: FerryConfig,
    private concurrency: number,
  ) {
    this.startTrial = deps.openSandbox === undefined ? undefined : () => this.beginTrial();
  }

  /** The token store the agent uses: the trial sandbox's token for its target, the host's for the rest. */
  readonly secrets: SecretStore = {
    token: (target) =>
      this.trial?.target === target ? Promise.resolve(this.trial.token) : this.deps.secrets.token(target),
  };

  /** What the agent runs: the file's config, plus the trial's target and folder while one runs. */
  live(): FerryConfig {
    const trial = this.trial;
    if (trial === undefined) return this.config;
    const extra = validateConfig({
      targets: { [trial.target]: { profile: 'lexer', endpoint: trial.endpoint } },
      folders: [{ path: trial.folder, target: trial.target }],
    });
    return {
      ...this.config,
      targets: { ...this.config.targets, ...extra.targets },
      folders: [...this.config.folders, ...extra.folders],
    };
  }

  async view(): Promise<SettingsView> {
    const agent = this.deps.agent();
    const hasToken = (target: string) =>
      this.deps.secrets.token(target).then(
        () => true,
        () => false,
      );
    const { settingsStore, readOnly, desktop } = this.deps;
    return {
      folders: this.config.folders.map((folder) => {
        const profile = this.config.targets[folder.target]?.profile;
        const gap = profile === undefined ? undefined : autoLoadGap(folder, profile);
        return {
          path: resolve(folder.path),
          target: folder.target,
          rule: folder.rule,
          paused: agent.isFolderPaused(resolve(folder.path)),
          fields: folder.fields,
          after: folder.after,
          ignore: folder.ignore,
          expect: folder.expect ?? [],
          ...(gap === undefined ? {} : { notice: autoLoadNotice(gap) }),
        };
      }),
      targets: await Promise.all(
        Object.entries(this.config.targets).map(async ([name, target]) => ({
          name,
          profile: target.profile,
          endpoint: target.endpoint,
          hasToken: await hasToken(name),
        })),
      ),
      concurrency: this.concurrency,
      notifications: this.config.notifications ?? 'all',
      startAtLogin: this.config.startAtLogin ?? false,
      ...(settingsStore === undefined ? {} : { configPath: settingsStore.path }),
      ...(readOnly === undefined ? {} : { readOnly }),
      desktop,
      canTrial: this.startTrial !== undefined,
      ...(this.trial === undefined ? {} : { trial: this.trialView(this.trial) }),
    };
  }

  setToken(target: string, token: string): Promise<void> {
    if (this.deps.writer === undefined) return Promise.reject(new Error('this agent cannot store tokens'));
    return this.deps.writer.save(target, token);
  }

  update(draft: SettingsDraft): Promise<SettingsSaved> {
    const next = this.saving.then(
      () => this.save(draft),
      () => this.save(draft),
    );
    this.saving = next;
    return next;
  }

  private async save(draft: SettingsDraft): Promise<SettingsSaved> {
    const store = this.deps.settingsStore;
    if (store === undefined)
      throw new Error(this.deps.readOnly ?? 'this agent has no config file to save to');
    const saved = await saveSettings(store, draft);
    if (!saved.ok) return { saved: false, issues: saved.issues };
    this.config = saved.config;
    this.concurrency = saved.config.concurrency ?? this.concurrency;
    try {
      await this.deps.apply(this.live(), this.concurrency);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return {
        saved: true,
        configPath: store.path,
        applied: false,
        note: `Saved, but the running agent could not take the change (${why}). Restart Ferry to apply it.`,
      };
    }
    this.deps.onConfigChanged?.(this.config);
    return { saved: true, configPath: store.path, applied: true };
  }

  testTarget(name: string): Promise<ConnectionTest> {
    const live = this.live();
    const target = live.targets[name];
    if (target === undefined) return Promise.reject(new Error(`no target named '${name}'`));
    // The fields a folder of this target sends (a dataset id, say) belong in its real first request.
    const folder = live.folders.find((f) => f.target === name) ?? { rule: DEFAULT_TEMPLATE, fields: {} };
    return testConnection(
      { http: this.deps.http, secrets: this.secrets },
      targetSpec(name, target, folder),
      folder,
      Date.now(),
      AbortSignal.timeout(TEST_TIMEOUT_MS),
    );
  }

  async close(): Promise<void> {
    const trial = this.trial;
    this.trial = undefined;
    await trial?.close();
  }

  private async beginTrial(): Promise<TrialView> {
    if (this.trial !== undefined) return this.trialView(this.trial);
    const open = this.deps.openSandbox;
    if (open === undefined) throw new Error('this host cannot start a sandbox');
    const sandbox = await open();
    try {
      const folder = await writeSampleFiles(join(this.deps.stateDir, 'sandbox-samples'), new Date());
      this.trial = {
        target: TRIAL_TARGET,
        endpoint: `${sandbox.endpoint}/v1/uploads`,
        folder,
        token: sandbox.token,
        close: () => sandbox.close(),
      };
      await this.deps.apply(this.live(), this.concurrency);
      return this.trialView(this.trial);
    } catch (error) {
      this.trial = undefined;
      await sandbox.close();
      throw error;
    }
  }

  private trialView(trial: Trial): TrialView {
    return { target: trial.target, endpoint: trial.endpoint, folder: trial.folder };
  }
}
