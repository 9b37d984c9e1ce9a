import type { ContentOptions } from '../content/check-content.js';
import type { ContentReport } from '../content/content-report.js';
import type { ColumnType } from '../content/column-types.js';
import type { DeliveryPorts, DeliveryTarget } from '../deliver-file.js';
import type { DeliveryLedger } from '../delivery-ledger.js';
import type { FolderWatcher, WatchOptions } from '../folder-watcher.js';
import type { JobRecord, JobStore } from '../job-store.js';
import type { Progress } from '../progress-meter.js';
import type { WriteProbe, SettleOptions } from '../write-settler.js';
import type { ExpectationStatus } from '../../shared/expectations.js';
import type { NamingRule } from '../../shared/naming.js';

/** Everything the agent does to the world, on top of what one delivery does. */
export interface AgentPorts extends DeliveryPorts {
  readonly probe: WriteProbe;
  /** Hex sha256 of a file's bytes, streamed. */
  readonly hash: (path: string, signal: AbortSignal) => Promise<string>;
  readonly watcher: FolderWatcher;
  readonly ledger: DeliveryLedger;
  readonly store: JobStore;
  /** Moves a delivered file into its folder's `sent/`; resolves with the new path. */
  readonly moveToSent: (path: string) => Promise<string>;
  /** The pre-flight content check; absent where a host does not check contents. */
  readonly checkContent?: (
    path: string,
    signal: AbortSignal,
    options: ContentOptions,
  ) => Promise<ContentReport | undefined>;
  /** Converts and/or compresses a file into a temporary one to send instead. */
  readonly prepare?: (
    path: string,
    name: string,
    plan: PreparePlan,
    signal: AbortSignal,
  ) => Promise<PreparedFile>;
  readonly newId: () => string;
}

/** A watched folder with everything resolved: its target, rule and after-delivery action. */
export interface AgentFolder {
  readonly path: string;
  readonly target: DeliveryTarget;
  readonly rule: NamingRule;
  readonly fields: Readonly<Record<string, string>>;
  readonly after: 'leave' | 'move';
  readonly watch: WatchOptions;
  readonly checkContent: boolean;
  readonly contentOptions: ContentOptions;
  /** Empty when files are sent as they are. */
  readonly prepare: PreparePlan;
}

export interface PreparePlan {
  readonly convert?: 'csv-to-ndjson';
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Keys every converted record must have: the folder's NDJSON requirement applies to what is sent. */
  readonly requiredKeys?: readonly string[];
  readonly compress?: 'gzip';
}

/** The file actually sent, and how to remove it afterwards. */
export interface PreparedFile {
  readonly path: string;
  readonly name: string;
  cleanup(): Promise<void>;
}

export interface AgentOptions {
  readonly folders: readonly AgentFolder[];
  /** Deliveries at a time, per target. */
  readonly concurrency: number;
  readonly settle: SettleOptions;
  /** Targets by name, for uploads of a picked file and jobs found in the journal. */
  readonly targets: ReadonlyMap<string, DeliveryTarget>;
}

export type AgentEvent =
  | { readonly type: 'job'; readonly job: JobRecord }
  | { readonly type: 'job-removed'; readonly id: string }
  | { readonly type: 'progress'; readonly jobId: string; readonly progress: Progress }
  | {
      readonly type: 'folder';
      readonly folder: string;
      readonly change: 'missing' | 'back' | 'error';
      readonly reason?: string;
    }
  /** A target stopped or started answering at all: its jobs wait meanwhile, they do not fail. */
  | { readonly type: 'reachability'; readonly target: string; readonly offline: boolean }
  /** A target refused the token (its jobs wait for a new one), or took a new token. */
  | { readonly type: 'token'; readonly target: string; readonly rejected: boolean; readonly reason?: string }
  /**
   * An expected file became late, arrived or went missing, or why it is late changed: told by the
   * expectation tracker the host runs beside the agent, to the same listeners.
   */
  | { readonly type: 'expectation'; readonly status: ExpectationStatus };
