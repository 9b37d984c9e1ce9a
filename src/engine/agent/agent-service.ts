import type { AgentSummary } from '../../shared/agent-summary.js';
import type { ExpectationStatus, ExpectationsView } from '../../shared/expectations.js';
import type { Receipt, ReceiptFilter } from '../../shared/receipts.js';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  Events,
  EventName,
  JobDetail,
  ProgressView,
} from '../../shared/contract.js';
import { fileNameOf } from '../../shared/file-name.js';
import { isTerminal, type JobStatus } from '../../shared/job.js';
import { checkName, DEFAULT_RULE, parseRule, RuleError } from '../../shared/naming.js';
import type { AgentEvent } from './agent-ports.js';
import type { AgentSettings } from './agent-settings.js';
import type { DeliveryAgent } from './delivery-agent.js';
import { jobView } from '../job-view.js';
import { recentDeliveries } from './recent-deliveries.js';

export type ContractListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** A command that cannot be carried out as asked; transports answer it as `{kind, message}`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly kind: 'bad-request' | 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** What the host keeps of deliveries over time: expected files, and the receipts in the ledger. */
export interface DeliveryRecords {
  /** Expected files due and not delivered, in their open period. */
  late(): readonly ExpectationStatus[];
  expectations(days: number): Promise<ExpectationsView>;
  receipts(filter: ReceiptFilter): Promise<readonly Receipt[]>;
}

/** The days `ferry status` and the window look back when not told. */
export const DEFAULT_STATUS_DAYS = 7;

type Handlers = { readonly [N in CommandName]: (args: CommandArgs<N>) => Promise<CommandResult<N>> };

const RECENT = 5;

/**
 * The agent behind the contract: runs commands, and turns the agent's events
 * into contract events for every transport listening (window, CLI control,
 * tray). It keeps only what the journal does not: the latest progress.
 */
export class AgentService {
  private readonly listeners = new Set<ContractListener>();
  private readonly progress = new Map<string, ProgressView>();
  /** The offline targets the last summary event named: another goes out when they change. */
  private offlineTold = '';
  /** Watched folders the watcher said are gone, until it says they are back. */
  private readonly missing = new Set<string>();
  /** The missing folders the last summary event named: another goes out when they change. */
  private missingTold = '';

  constructor(
    private readonly agent: DeliveryAgent,
    private readonly settings?: AgentSettings,
    /** What only a desktop host can do: show a file in the system's file manager. */
    private readonly showInFolder?: (path: string) => void,
    private readonly records?: DeliveryRecords,
  ) {}

  subscribe(listener: ContractListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feed every agent event here. */
  onAgentEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'job':
        if (event.job.state.status !== 'uploading') this.progress.delete(event.job.id);
        this.publish('job', jobView(event.job));
        this.tellOfflineChange();
        return;
      case 'job-removed':
        this.progress.delete(event.id);
        this.publish('job-removed', { id: event.id });
        this.tellOfflineChange();
        return;
      case 'progress': {
        const { sent, total, bytesPerSecond, etaMs } = event.progress;
        const view: ProgressView = {
          jobId: event.jobId,
          sent,
          total,
          ...(bytesPerSecond === undefined ? {} : { bytesPerSecond }),
          ...(etaMs === undefined ? {} : { etaMs }),
        };
        this.progress.set(event.jobId, view);
        this.publish('progress', view);
        return;
      }
      case 'folder':
        if (event.change === 'missing') this.missing.add(event.folder);
        if (event.change === 'back') this.missing.delete(event.folder);
        this.publish('folder', {
          folder: event.folder,
          change: event.change,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        });
        this.tellMissingChange();
        return;
      case 'reachability':
        this.tellOfflineChange();
        return;
      case 'token':
        // The tray and window show "token rejected" from the summary.
        this.publish('summary', this.summary());
        return;
      case 'expectation':
        this.publish('expectation', event.status);
        // The tray and the window's status line say what is late.
        this.publish('summary', this.summary());
        return;
    }
  }

  /** Always a promise: a handler's refusal arrives as a rejection, however it was thrown. */
  async run<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    const handler = this.handlers[name] as (args: CommandArgs<N>) => Promise<CommandResult<N>>;
    return await handler(args);
  }

  summary(): AgentSummary {
    const counts: Partial<Record<JobStatus, number>> = {};
    const jobs = this.agent.jobs();
    const folders = this.agent.folders.map((f) => f.path);
    for (const job of jobs) counts[job.state.status] = (counts[job.state.status] ?? 0) + 1;
    // Offline only while jobs wait: a vendor nobody is sending to is nobody's concern.
    const offlineTargets = this.agent
      .offlineTargets()
      .filter((target) => jobs.some((job) => job.target === target && !isTerminal(job.state)));
    return {
      counts,
      paused: this.agent.isPausedAll(),
      tokenRejected: this.agent.stoppedTargets(),
      offline: offlineTargets.length > 0,
      offlineTargets,
      bytesPerSecond: [...this.progress.values()].reduce((sum, p) => sum + (p.bytesPerSecond ?? 0), 0),
      recent: recentDeliveries(jobs, RECENT),
      folders,
      missingFolders: this.missingFolders(folders),
      lateExpectations: this.records?.late() ?? [],
    };
  }

  private publish<E extends EventName>(name: E, payload: Events[E]): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  /** Sends a summary when "offline — waiting" starts or ends, so no window or tray waits for a poll. */
  private tellOfflineChange(): void {
    // The cheap check first: job events come by the thousand, offline targets rarely.
    if (this.offlineTold === '' && this.agent.offlineTargets().length === 0) return;
    const summary = this.summary();
    const told = summary.offlineTargets.join('\n');
    if (told === this.offlineTold) return;
    this.offlineTold = told;
    this.publish('summary', summary);
  }

  /**
   * The watched folders said to be missing. A folder the settings no longer watch is forgotten
   * (its watcher is closed and says nothing more), so it is not shown, nor back as missing if
   * it is watched again later: a new watcher says anew whether it is there.
   */
  private missingFolders(folders: readonly string[]): string[] {
    for (const folder of this.missing) if (!folders.includes(folder)) this.missing.delete(folder);
    return folders.filter((folder) => this.missing.has(folder));
  }

  /** Sends a summary when a folder goes missing or comes back, for the window's status line. */
  private tellMissingChange(): void {
    const summary = this.summary();
    const told = summary.missingFolders.join('\n');
    if (told === this.missingTold) return;
    this.missingTold = told;
    this.publish('summary', summary);
  }

  private detail(id: string): JobDetail {
    const job = this.agent.job(id);
    if (job === undefined) throw new CommandError('not-found', `no job ${id}`);
    const rule = this.agent.folderFor(job)?.rule ?? DEFAULT_RULE;
    return {
      ...jobView(job),
      history: job.history,
      naming: checkName(fileNameOf(job.path), rule),
    };
  }

  private recordsPort(): DeliveryRecords {
    if (this.records === undefined) throw new CommandError('conflict', 'this host keeps no delivery records');
    return this.records;
  }

  private settingsPort(): AgentSettings {
    if (this.settings === undefined) throw new CommandError('conflict', 'this host has no settings to show');
    return this.settings;
  }

  private readonly handlers: Handlers = {
    'jobs.list': () => Promise.resolve(this.agent.jobs().map(jobView)),
    'jobs.detail': ({ id }) => Promise.resolve(this.detail(id)),
    'jobs.retry': ({ id, force }) => {
      if (this.agent.job(id) === undefined) throw new CommandError('not-found', `no job ${id}`);
      return Promise.resolve({ retried: this.agent.retry(id, force === true) });
    },
    'jobs.retryFailed': () => Promise.resolve({ retried: this.agent.retryFailed() }),
    'jobs.reupload': ({ id }) => {
      if (this.agent.job(id) === undefined) throw new CommandError('not-found', `no job ${id}`);
      return Promise.resolve({ started: this.agent.reupload(id) });
    },
    'jobs.clearFinished': async () => ({ cleared: await this.agent.clearFinished() }),
    'jobs.showInFolder': ({ id }) => {
      const job = this.agent.job(id);
      if (job === undefined) throw new CommandError('not-found', `no job ${id}`);
      if (this.showInFolder === undefined)
        throw new CommandError('conflict', 'only the desktop app can open a folder');
      this.showInFolder(job.path);
      return Promise.resolve({ shown: true as const });
    },
    'agent.pause': ({ folder }) => {
      this.agent.pause(folder);
      return Promise.resolve({ paused: true });
    },
    'agent.resume': ({ folder }) => {
      this.agent.resume(folder);
      return Promise.resolve({ paused: false });
    },
    'agent.summary': () => Promise.resolve(this.summary()),
    'files.upload': ({ path, target }) => Promise.resolve(jobView(this.agent.upload(path, target))),
    'settings.get': () => this.settingsPort().view(),
    'settings.setToken': async ({ target, token }) => {
      const settings = this.settingsPort();
      if (!(await settings.view()).targets.some((t) => t.name === target))
        throw new CommandError('not-found', `no target named '${target}'`);
      await settings.setToken(target, token);
      this.agent.tokenReplaced(target);
      return { hasToken: true };
    },
    'settings.update': async (draft) => {
      const settings = this.settingsPort();
      const { readOnly } = await settings.view();
      if (readOnly !== undefined) throw new CommandError('conflict', readOnly);
      const saved = await settings.update(draft);
      // A missing folder taken out of the settings is missing no more.
      this.tellMissingChange();
      return saved;
    },
    'target.test': async ({ target }) => {
      const settings = this.settingsPort();
      if (!(await settings.view()).targets.some((t) => t.name === target))
        throw new CommandError('not-found', `no target named '${target}'`);
      return settings.testTarget(target);
    },
    'setup.sandbox': () => {
      const start = this.settingsPort().startTrial;
      if (start === undefined) throw new CommandError('conflict', 'this host cannot start a sandbox');
      return start();
    },
    'expectations.list': ({ days }) => this.recordsPort().expectations(days ?? DEFAULT_STATUS_DAYS),
    'history.list': (filter) => this.recordsPort().receipts(filter),
    'naming.preview': ({ rule, names }) => {
      let parsed;
      try {
        parsed = parseRule(rule);
      } catch (error) {
        if (error instanceof RuleError) throw new CommandError('bad-request', error.message);
        throw error;
      }
      return Promise.resolve(names.map((name) => ({ name, verdict: checkName(name, parsed) })));
    },
  };
}
