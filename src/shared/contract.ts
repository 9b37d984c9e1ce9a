import type { AgentSummary } from './agent-summary.js';
import type { JobError, JobState, JobStatus } from './job.js';
import type { NameVerdict } from './naming.js';

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
  readonly sent?: number;
  readonly attempts: number;
  readonly remoteId?: string;
  readonly error?: JobError;
  readonly reason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AttemptView {
  readonly at: number;
  readonly outcome: string;
  readonly error?: JobError;
}

export interface JobDetail extends JobView {
  readonly history: readonly AttemptView[];
  readonly sha256?: string;
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
  readonly status: 'missing' | 'back' | 'error';
  readonly reason?: string;
}

/** A watched folder as the settings screen shows it. */
export interface FolderSettings {
  readonly path: string;
  readonly target: string;
  /** The folder's naming rule, as a template. */
  readonly rule: string;
  readonly paused: boolean;
}

/** A target as the settings screen shows it: whether a token is set, never the token. */
export interface TargetSettings {
  readonly name: string;
  readonly profile: string;
  readonly endpoint: string;
  readonly hasToken: boolean;
}

export interface SettingsView {
  readonly folders: readonly FolderSettings[];
  readonly targets: readonly TargetSettings[];
  readonly concurrency: number;
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
}

export type EventName = keyof Events;

/** How an error crosses a transport: plain data, never a class instance or a stack. */
export interface ContractError {
  readonly kind: 'bad-request' | 'not-found' | 'conflict' | 'internal';
  readonly message: string;
}
