import type { AgentSummary } from './agent-summary.js';
import type { ConfigIssue, NotificationMode } from './config.js';
import type { ExpectationSetting, ExpectationStatus, ExpectationsView } from './expectations.js';
import type { ImportStatistics } from './import-statistics.js';
import type { JobError, JobState, JobStatus } from './job.js';
import type { NameVerdict } from './naming.js';
import type { Receipt, ReceiptFilter } from './receipts.js';
import type { SettingsDraft } from './settings-draft.js';

/**
 * The one contract between the agent and whoever drives it: the app window
 * (IPC through the preload), `ferry watch --ui` (HTTP and server-sent events
 * on 127.0.0.1) and the CLI's control of a running agent (HTTP on a socket in
 * the state dir). Commands go to the agent and answer once; events come from
 * it. Transports are derived from these maps; no string channel exists
 * outside them.
 */

/** A job as the window and `ferry jobs` show it. Never holds a token or a presigned URL. */
export interface JobView {
  readonly id: string;
  /** The file name. */
  readonly file: string;
  readonly path: string;
  readonly folder?: string;
  readonly target: string;
  readonly status: JobStatus;
  readonly state: JobState;
  readonly size?: number;
  /** Of the version checked and sent. */
  readonly sha256?: string;
  readonly sent?: number;
  readonly attempts: number;
  readonly remoteId?: string;
  /** Earlier versions the vendor took before a change was seen: it holds them too. */
  readonly superseded?: readonly SupersededView[];
  /** What the vendor reported of its import of the file, as it named the figures. */
  readonly statistics?: ImportStatistics;
  /** The vendor's background task that took the file in, where the file has an id of its own. */
  readonly taskId?: string;
  readonly error?: JobError;
  readonly reason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SupersededView {
  readonly remoteId: string;
  readonly size: number;
  readonly sha256?: string;
  readonly deliveredAt: number;
}

export interface AttemptView {
  readonly at: number;
  readonly outcome: string;
  readonly error?: JobError;
}

export interface JobDetail extends JobView {
  readonly history: readonly AttemptView[];
  /** The naming verdict under the job's folder rule, with reason and suggestion. */
  readonly naming: NameVerdict;
}

export interface ProgressView {
  readonly jobId: string;
  readonly sent: number;
  readonly total: number;
  readonly bytesPerSecond?: number;
  readonly etaMs?: number;
}

export interface FolderNotice {
  readonly folder: string;
  readonly change: 'missing' | 'back' | 'error';
  readonly reason?: string;
}

/** A watched folder as the settings screen shows it. */
export interface FolderSettings {
  readonly path: string;
  readonly target: string;
  /** The folder's naming rule, as a template. */
  readonly rule: string;
  readonly paused: boolean;
  readonly fields: Readonly<Record<string, string>>;
  readonly after: 'leave' | 'move';
  readonly ignore: readonly string[];
  /** The files the folder must deliver on a schedule; empty when it expects none. */
  readonly expect: readonly ExpectationSetting[];
  /** What is wrong with the folder as saved, though it delivers (fields its vendor needs, say). */
  readonly notice?: string;
}

/** A target as the settings screen shows it: whether a token is set, never the token. */
export interface TargetSettings {
  readonly name: string;
  readonly profile: string;
  readonly endpoint: string;
  readonly hasToken: boolean;
}

/** The sandbox the first-run setup started in the agent's process, to try Ferry with sample files. */
export interface TrialView {
  readonly target: string;
  readonly endpoint: string;
  /** The folder holding the sample files; files saved there go to the sandbox too. */
  readonly folder: string;
}

export interface SettingsView {
  readonly folders: readonly FolderSettings[];
  readonly targets: readonly TargetSettings[];
  readonly concurrency: number;
  readonly notifications: NotificationMode;
  readonly startAtLogin: boolean;
  /** The config file saved settings go to; absent when they cannot be saved (see `readOnly`). */
  readonly configPath?: string;
  /** Why settings cannot be saved by this agent, e.g. it was started from command-line flags. */
  readonly readOnly?: string;
  /** Whether this host shows notifications and has a login item: the desktop app, not `ferry watch`. */
  readonly desktop: boolean;
  /** Whether this host can start the sandbox trial (`ferry watch` can; the desktop app cannot). */
  readonly canTrial: boolean;
  /** The sandbox trial, while one runs: kept apart from the config file, it ends with the agent. */
  readonly trial?: TrialView;
}

/**
 * The answer to saving settings. A draft the config validator refuses is not
 * an error of the transport but an answer: every problem, named by its key
 * path in the config file (`folders[1].rule`, `targets.vendor.endpoint`).
 */
export type SettingsSaved =
  | {
      readonly saved: true;
      readonly configPath: string;
      /** Applied to the running agent; when false, `note` says what waits for a restart. */
      readonly applied: boolean;
      readonly note?: string;
    }
  | { readonly saved: false; readonly issues: readonly ConfigIssue[] };

/** What "test connection" found. `not-tested` where the first request is not harmless. */
export interface ConnectionTest {
  readonly outcome: 'ok' | 'failed' | 'not-tested';
  readonly message: string;
}

type NoArgs = Readonly<Record<string, never>>;

/** Commands: name → arguments and answer. */
export interface Commands {
  'jobs.list': { args: NoArgs; result: readonly JobView[] };
  'jobs.detail': { args: { readonly id: string }; result: JobDetail };
  'jobs.retry': {
    args: { readonly id: string; readonly force?: boolean };
    result: { readonly retried: boolean };
  };
  'jobs.retryFailed': { args: NoArgs; result: { readonly retried: number } };
  'jobs.reupload': { args: { readonly id: string }; result: { readonly started: boolean } };
  'jobs.clearFinished': { args: NoArgs; result: { readonly cleared: number } };
  /** Opens the job's folder with its file selected: the desktop app only. */
  'jobs.showInFolder': { args: { readonly id: string }; result: { readonly shown: true } };
  'agent.pause': { args: { readonly folder?: string }; result: { readonly paused: true } };
  'agent.resume': { args: { readonly folder?: string }; result: { readonly paused: false } };
  'agent.summary': { args: NoArgs; result: AgentSummary };
  'files.upload': { args: { readonly path: string; readonly target: string }; result: JobView };
  'settings.get': { args: NoArgs; result: SettingsView };
  /** Write-only: the token goes to the OS keyring and the answer says only that one is set. */
  'settings.setToken': {
    args: { readonly target: string; readonly token: string };
    result: { readonly hasToken: true };
  };
  /** Validates the draft like the config file, writes it atomically, applies it to the running agent. */
  'settings.update': { args: SettingsDraft; result: SettingsSaved };
  /** A real first request to a saved target, without sending a file (where the profile allows one). */
  'target.test': { args: { readonly target: string }; result: ConnectionTest };
  /** First run: start the local sandbox with sample files and deliver them there. */
  'setup.sandbox': { args: NoArgs; result: TrialView };
  /** Each expected file's delivery days over the last `days` days (default 7), today's included. */
  'expectations.list': { args: { readonly days?: number }; result: ExpectationsView };
  /** Every delivery in the ledger that passes the filter, oldest first: the receipts. */
  'history.list': { args: ReceiptFilter; result: readonly Receipt[] };
  'naming.preview': {
    args: { readonly rule: string; readonly names: readonly string[] };
    result: readonly { readonly name: string; readonly verdict: NameVerdict }[];
  };
}

export type CommandName = keyof Commands;
export type CommandArgs<N extends CommandName> = Commands[N]['args'];
export type CommandResult<N extends CommandName> = Commands[N]['result'];

/** Events: name → payload. */
export interface Events {
  job: JobView;
  'job-removed': { readonly id: string };
  progress: ProgressView;
  summary: AgentSummary;
  folder: FolderNotice;
  /** An expected file became late, arrived, or went missing; or the reason it is late changed. */
  expectation: ExpectationStatus;
}

export type EventName = keyof Events;

/** How an error crosses a transport: plain data, never a class instance or a stack. */
export interface ContractError {
  readonly kind: 'bad-request' | 'not-found' | 'conflict' | 'internal';
  readonly message: string;
}
