import { isTerminal, type JobState } from '../../shared/job.js';
import { checkName, DEFAULT_TEMPLATE } from '../../shared/naming.js';
import { fileNameOf } from '../../shared/file-name.js';
import { ConversionError } from '../content/column-types.js';
import { deliverFile, sizeRefusal, type DeliveryTarget } from '../deliver-file.js';
import { toDeliveryError } from '../delivery-error.js';
import type { FolderEvent, FolderSubscription } from '../folder-watcher.js';
import type { JobRecord } from '../job-store.js';
import { fileVariables } from '../target-spec.js';
import { waitUntilSettled } from '../write-settler.js';
import type { AgentEvent, AgentFolder, AgentOptions, AgentPorts, PreparedFile } from './agent-ports.js';
import { JobBook } from './job-book.js';
import { duplicateReason, errnoReason } from './job-reasons.js';
import { KeyedMutex } from './keyed-mutex.js';
import { TargetSlots } from './target-slots.js';

/** Why a job's work was stopped: the job itself records none of these as a failure. */
class Stop extends Error {
  constructor(readonly why: 'pause' | 'shutdown' | 'gone') {
    super(why);
    this.name = 'AbortError';
  }
}

/** How a job's run was started. */
interface RunFlags {
  /** Also send content the checks refused. */
  readonly force?: boolean;
  /** Send even though the ledger says these bytes were delivered. */
  readonly reupload?: boolean;
  /** Picked up again from the journal at start. */
  readonly resumed?: boolean;
}

const FILE_ERRORS = new Set(['EBUSY', 'EPERM', 'EACCES', 'EISDIR', 'ELOOP', 'ENOTREG']);

/**
 * The watch agent: turns folder events into jobs and jobs into deliveries,
 * exactly once. Every state change goes to the job store; a restart resumes
 * every job that had not finished, from the top (a fresh settle check, a fresh
 * URL). The delivered-files ledger stops the same bytes from going to a target
 * twice, unless a person asks for a re-upload.
 */
export class DeliveryAgent {
  private readonly book: JobBook;
  private readonly slots: TargetSlots;
  private readonly sameContent = new KeyedMutex();
  private readonly running = new Map<string, AbortController>();
  private readonly pathWork = new Map<string, Promise<void>>();
  private readonly subscriptions: FolderSubscription[] = [];
  private readonly unready = new Set<string>();
  private readonly pausedFolders = new Set<string>();
  private pausedAll = false;
  /** Jobs held until their target gets a new token: not work the agent can do on its own. */
  private readonly awaitingToken = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ports: AgentPorts,
    private readonly options: AgentOptions,
    private readonly emit: (event: AgentEvent) => void = () => undefined,
  ) {
    this.book = new JobBook(
      ports.store,
      ports.clock,
      ports.newId,
      (job) => {
        emit({ type: 'job', job });
        this.checkIdle();
      },
      (id) => {
        emit({ type: 'job-removed', id });
      },
    );
    this.slots = new TargetSlots(options.concurrency);
  }

  jobs(): JobRecord[] {
    return this.book.all();
  }

  job(id: string): JobRecord | undefined {
    return this.book.get(id);
  }

  /** The folder a job came from, for its naming rule; undefined for a picked file. */
  folderFor(job: JobRecord): AgentFolder | undefined {
    return this.folderOf(job);
  }

  get folders(): readonly AgentFolder[] {
    return this.options.folders;
  }

  isPausedAll(): boolean {
    return this.pausedAll;
  }

  isFolderPaused(folder: string): boolean {
    return this.pausedAll || this.pausedFolders.has(folder);
  }

  /** Targets a 401 stopped: nothing is sent to them until a new token is set. */
  stoppedTargets(): string[] {
    return [...this.options.targets.values()]
      .filter((t) => t.gate.stoppedBy !== undefined)
      .map((t) => t.name);
  }

  /**
   * The token of a target was replaced: lift its stop, and the jobs waiting for it go on.
   * Returns whether the target had been stopped.
   */
  tokenReplaced(target: string): boolean {
    const gate = this.options.targets.get(target)?.gate;
    if (gate?.stoppedBy === undefined) return false;
    gate.restart();
    return true;
  }

  /** Forgets completed jobs (the ledger still remembers what was delivered); returns how many. */
  async clearFinished(): Promise<number> {
    const finished = this.book.all().filter((job) => job.state.status === 'completed');
    for (const job of finished) await this.book.remove(job.id);
    return finished.length;
  }

  /** Replays the store, resumes unfinished jobs, then starts watching. */
  async start(): Promise<void> {
    for (const job of await this.book.load()) {
      if (!isTerminal(job.state) && job.state.status !== 'paused')
        this.run(job.id, { status: 'waiting-for-write' }, { resumed: true });
    }
    for (const folder of this.options.folders) {
      this.unready.add(folder.path);
      this.subscriptions.push(
        this.ports.watcher.watch(folder.path, folder.watch, (event) => {
          this.onFolderEvent(folder, event);
        }),
      );
    }
  }

  /** Stops watching and leaves in-flight jobs where a restart picks them up. */
  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
    for (const controller of this.running.values()) controller.abort(new Stop('shutdown'));
    await Promise.allSettled([...this.pathWork.values()]);
    await this.ports.store.close();
  }

  /** Resolves once every folder has been scanned and no job is left to do (paused ones aside). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  pause(folder?: string): void {
    if (folder === undefined) this.pausedAll = true;
    else this.pausedFolders.add(folder);
    for (const job of this.book.all()) {
      if (this.isPaused(job)) this.running.get(job.id)?.abort(new Stop('pause'));
    }
  }

  resume(folder?: string): void {
    if (folder === undefined) {
      this.pausedAll = false;
      this.pausedFolders.clear();
    } else this.pausedFolders.delete(folder);
    for (const job of this.book.all()) {
      if (job.state.status === 'paused' && !this.isPaused(job))
        this.run(job.id, { status: 'waiting-for-write' });
    }
  }

  /** Tries a failed or rejected job again; `force` also sends content the checks refused. */
  retry(id: string, force = false): boolean {
    const job = this.book.get(id);
    if (job === undefined || (job.state.status !== 'failed' && job.state.status !== 'rejected')) return false;
    // A failed job the ledger knows was delivered and then not imported: sending it again is the point.
    this.run(id, { status: 'waiting-for-write' }, { force, reupload: job.state.status === 'failed' });
    return true;
  }

  retryFailed(): number {
    return this.book.all().filter((job) => job.state.status === 'failed' && this.retry(job.id)).length;
  }

  /** Sends a completed job's file again, on purpose: the ledger does not stop it. */
  reupload(id: string): boolean {
    const job = this.book.get(id);
    if (job?.state.status !== 'completed') return false;
    this.run(id, { status: 'waiting-for-write' }, { reupload: true });
    return true;
  }

  /** Delivers a file picked by hand to a target, outside any watched folder. */
  async upload(path: string, target: string): Promise<JobRecord> {
    if (!this.options.targets.has(target)) throw new Error(`no target named '${target}'`);
    const job = await this.book.create({ path, target, state: { status: 'waiting-for-write' } });
    this.run(job.id, job.state);
    return job;
  }

  private isPaused(job: JobRecord): boolean {
    return this.pausedAll || (job.folder !== undefined && this.pausedFolders.has(job.folder));
  }

  private folderOf(job: JobRecord): AgentFolder | undefined {
    return this.options.folders.find((f) => f.path === job.folder);
  }

  private targetOf(job: JobRecord): DeliveryTarget | undefined {
    return this.folderOf(job)?.target ?? this.options.targets.get(job.target);
  }

  private onFolderEvent(folder: AgentFolder, event: FolderEvent): void {
    switch (event.type) {
      case 'file':
        this.serialise(event.path, () => this.considerFile(folder, event.path));
        return;
      case 'file-removed':
        this.serialise(event.path, () => this.forgetFile(event.path));
        return;
      case 'ready':
        this.unready.delete(folder.path);
        this.checkIdle();
        return;
      case 'folder-missing':
        this.unready.delete(folder.path);
        this.emit({ type: 'folder', folder: folder.path, status: 'missing', reason: event.reason });
        this.checkIdle();
        return;
      case 'folder-back':
        this.emit({ type: 'folder', folder: folder.path, status: 'back' });
        return;
      case 'watch-error':
        this.emit({ type: 'folder', folder: folder.path, status: 'error', reason: event.reason });
        return;
    }
  }

  /** Events for one path are handled in order, so an add and a change never make two jobs. */
  private serialise(path: string, work: () => Promise<void>): void {
    const previous = this.pathWork.get(path) ?? Promise.resolve();
    const next = previous.then(work, work).catch((error: unknown) => {
      this.ports.logger.error({ path, error: String(error) }, 'could not handle a folder event');
    });
    this.pathWork.set(path, next);
    void next.finally(() => {
      if (this.pathWork.get(path) === next) this.pathWork.delete(path);
      this.checkIdle();
    });
  }

  private async considerFile(folder: AgentFolder, path: string): Promise<void> {
    const verdict = checkName(fileNameOf(path), folder.rule);
    if (verdict.status === 'ignored') return;
    const existing = this.book.latestFor(path);
    if (existing !== undefined && !isTerminal(existing.state)) return;
    const info = await this.ports.probe.stat(path).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? '';
      return FILE_ERRORS.has(code) ? ('unreadable' as const) : undefined;
    });
    if (info === undefined) return;
    if (info === 'unreadable') {
      // It still gets a job, so the user is told why it is not sent (the job's run says why).
      if (existing !== undefined) return;
      const job = await this.book.create({
        path,
        folder: folder.path,
        target: folder.target.name,
        state: { status: 'waiting-for-write' },
      });
      this.run(job.id, job.state);
      return;
    }
    if (existing?.size === info.size && existing.mtimeMs === info.mtimeMs) return;
    if (this.ports.ledger.findUnchanged(path, info.size, info.mtimeMs, folder.target.name) !== undefined)
      return;
    if (existing !== undefined && existing.state.status !== 'completed') {
      // A refused or failed file that changed is the same job, tried again (its size is taken once settled).
      this.run(existing.id, { status: 'waiting-for-write' });
      return;
    }
    const job = await this.book.create({
      path,
      folder: folder.path,
      target: folder.target.name,
      state: { status: 'waiting-for-write' },
      size: info.size,
      mtimeMs: info.mtimeMs,
    });
    this.run(job.id, job.state);
  }

  /** A file gone before it was sent was renamed or deleted: its job goes too (a new name is a new job). */
  private async forgetFile(path: string): Promise<void> {
    const job = this.book.latestFor(path);
    if (job === undefined) return;
    const status = job.state.status;
    if (status === 'waiting-for-write' || status === 'queued' || status === 'rejected') {
      this.running.get(job.id)?.abort(new Stop('gone'));
      await this.pathWork.get(`job:${job.id}`);
      if (this.book.get(job.id) !== undefined) await this.book.remove(job.id);
    }
  }

  private run(id: string, from: JobState, flags: RunFlags = {}): void {
    const controller = new AbortController();
    this.running.get(id)?.abort(new Stop('shutdown'));
    this.running.set(id, controller);
    const work = this.deliver(id, from, controller.signal, flags)
      .catch(async (error: unknown) => {
        if (error instanceof Stop) {
          // A file gone before it was sent (renamed, deleted) leaves no job; a new name makes a new one.
          if (error.why === 'gone') await this.book.remove(id);
          if (error.why === 'pause') await this.book.setState(id, { status: 'paused' });
          return;
        }
        const reason = toDeliveryError(error).toJobError();
        await this.book.setState(
          id,
          { status: 'failed', error: reason },
          { outcome: 'failed', error: reason },
        );
      })
      .finally(() => {
        if (this.running.get(id) === controller) this.running.delete(id);
      });
    this.pathWork.set(`job:${id}`, work);
    void work.finally(() => {
      this.pathWork.delete(`job:${id}`);
      this.checkIdle();
    });
  }

  private async deliver(id: string, from: JobState, signal: AbortSignal, flags: RunFlags): Promise<void> {
    let job = await this.book.setState(id, from);
    const target = this.targetOf(job);
    if (target === undefined) {
      await this.reject(id, `the target '${job.target}' is no longer configured`);
      return;
    }
    if (this.isPaused(job)) throw new Stop('pause');
    const folder = this.folderOf(job);
    const name = fileNameOf(job.path);
    if (folder !== undefined) {
      const verdict = checkName(name, folder.rule);
      if (verdict.status === 'rejected') {
        await this.reject(
          id,
          `${verdict.code}: ${verdict.reason}${verdict.suggestion === undefined ? '' : ` (suggestion: ${verdict.suggestion})`}`,
        );
        return;
      }
    }

    let info;
    try {
      info = await waitUntilSettled(
        job.path,
        this.ports.probe,
        this.ports.clock,
        this.options.settle,
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw signal.reason as Error;
      const code = (error as { code?: string }).code ?? '';
      if (code === 'ENOENT') throw new Stop('gone');
      if (FILE_ERRORS.has(code)) {
        await this.reject(id, errnoReason(code, job.path));
        return;
      }
      throw error;
    }
    // Before reading a byte: hashing 5 GB only to refuse it would waste minutes.
    const refused = sizeRefusal(info, target);
    if (refused !== undefined) {
      await this.reject(id, refused);
      return;
    }
    const sha256 = await this.ports.hash(job.path, signal);
    job = await this.book.update(id, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
    // Held until the delivery is in the ledger: the same bytes under another name wait and see it.
    const releaseContent = await this.sameContent.acquire(`${target.name}\0${sha256}`, signal);
    try {
      await this.deliverContent(id, job, target, folder, signal, flags);
    } finally {
      releaseContent();
    }
  }

  private async deliverContent(
    id: string,
    checked: JobRecord,
    target: DeliveryTarget,
    folder: AgentFolder | undefined,
    signal: AbortSignal,
    flags: RunFlags,
  ): Promise<void> {
    let job = checked;
    const sha256 = job.sha256 ?? '';
    if (flags.reupload !== true) {
      const earlier = this.ports.ledger.find(sha256, target.name);
      const own =
        flags.resumed === true && earlier?.path === job.path && earlier.deliveredAt >= job.createdAt;
      if (own) {
        // This job's own delivery, recorded before a restart cut it short: done, not a duplicate
        // (a vendor's import status is not followed up after the restart).
        await this.book.setState(
          id,
          { status: 'completed', remoteId: earlier.remoteId },
          { outcome: `delivered as ${earlier.remoteId} (recorded before a restart)` },
        );
        return;
      }
      if (earlier !== undefined) {
        await this.reject(id, duplicateReason(earlier));
        return;
      }
    }
    if (flags.force === true && job.sendAnyway !== true)
      job = await this.book.update(id, { sendAnyway: true });
    if (folder?.checkContent === true && job.sendAnyway !== true && this.ports.checkContent !== undefined) {
      const report = await this.ports.checkContent(job.path, signal, folder.contentOptions);
      const error = report?.findings.find((f) => f.severity === 'error');
      if (error !== undefined) {
        await this.reject(id, `${error.code}: ${error.message}`);
        return;
      }
    }
    const prepared = await this.prepare(job, folder, signal);
    if (prepared === 'rejected') return;
    try {
      for (;;) {
        await this.book.setState(id, { status: 'queued' });
        await this.awaitToken(id, target, signal);
        const release = await this.slots.acquire(target.name, signal);
        let outcome;
        try {
          outcome = await this.send(job, target, folder, signal, prepared);
        } finally {
          release();
        }
        if (outcome !== 'token-rejected') break;
      }
    } finally {
      await prepared?.cleanup();
    }
  }

  /**
   * Holds a job while its target's token stands rejected: one message for the target, not a
   * failure per file, and no request until a person sets a new token.
   */
  private async awaitToken(id: string, target: DeliveryTarget, signal: AbortSignal): Promise<void> {
    if (target.gate.stoppedBy === undefined) return;
    this.awaitingToken.add(id);
    this.checkIdle();
    try {
      await target.gate.whenRestarted(signal);
    } finally {
      this.awaitingToken.delete(id);
    }
  }

  /** A converted or compressed copy to send instead of the file, when the folder asks for one. */
  private async prepare(
    job: JobRecord,
    folder: AgentFolder | undefined,
    signal: AbortSignal,
  ): Promise<PreparedFile | 'rejected' | undefined> {
    const plan = folder?.prepare;
    if (plan === undefined || this.ports.prepare === undefined) return undefined;
    if (plan.convert === undefined && plan.compress === undefined) return undefined;
    try {
      return await this.ports.prepare(job.path, fileNameOf(job.path), plan, signal);
    } catch (error) {
      if (!(error instanceof ConversionError)) throw error;
      await this.reject(job.id, `content-convert: ${error.message}`);
      return 'rejected';
    }
  }

  private async send(
    job: JobRecord,
    target: DeliveryTarget,
    folder: AgentFolder | undefined,
    signal: AbortSignal,
    prepared: PreparedFile | undefined,
  ): Promise<'done' | 'token-rejected'> {
    const variables = fileVariables(prepared?.name ?? fileNameOf(job.path), {
      rule: folder?.rule.template ?? DEFAULT_TEMPLATE,
      fields: folder?.fields ?? {},
    });
    const report = await deliverFile(
      this.ports,
      target,
      { path: prepared?.path ?? job.path, variables },
      {
        signal,
        onDelivered: (remoteId) => this.recordDelivery(job, target, remoteId),
        onEvent: (event) => {
          if (event.type === 'progress') {
            this.emit({ type: 'progress', jobId: job.id, progress: event });
          } else if (!isTerminal(event.state) && event.state.status !== 'paused') {
            this.book.showProgress(job.id, event.state);
          }
        },
      },
    );
    const state = report.state;
    switch (state.status) {
      case 'completed': {
        await this.book.setState(job.id, state, { outcome: `delivered as ${state.remoteId}` });
        if (folder?.after === 'move')
          await this.book.update(job.id, { path: await this.ports.moveToSent(job.path) });
        return 'done';
      }
      case 'failed': {
        const stopped = target.gate.stoppedBy;
        if (stopped?.kind === state.error.kind) {
          await this.book.setState(
            job.id,
            { status: 'queued' },
            { outcome: 'waiting for a new token', error: state.error },
          );
          return 'token-rejected';
        }
        await this.book.setState(job.id, state, { outcome: 'failed', error: state.error });
        return 'done';
      }
      case 'rejected':
        await this.book.setState(job.id, state, { outcome: 'rejected' });
        return 'done';
      case 'paused':
        throw signal.aborted ? (signal.reason as Error) : new Stop('pause');
      case 'waiting-for-write':
      case 'queued':
      case 'requesting-url':
      case 'uploading':
      case 'retry-wait':
      case 'processing':
        throw new Error(`a delivery ended in '${state.status}'`);
    }
  }

  /** The ledger is written before the job is marked completed: a crash in between must not send the bytes again. */
  private async recordDelivery(job: JobRecord, target: DeliveryTarget, remoteId: string): Promise<void> {
    const now = await this.ports.probe.stat(job.path).catch(() => undefined);
    const unchanged = now !== undefined && now.size === job.size && now.mtimeMs === job.mtimeMs;
    const sha256 =
      unchanged || now === undefined
        ? job.sha256
        : await this.ports.hash(job.path, new AbortController().signal);
    if (sha256 === undefined) return;
    await this.ports.ledger.record({
      sha256,
      path: job.path,
      size: now?.size ?? job.size ?? 0,
      mtimeMs: now?.mtimeMs ?? job.mtimeMs ?? 0,
      remoteId,
      target: target.name,
      deliveredAt: this.ports.clock.now(),
    });
  }

  private async reject(id: string, reason: string): Promise<void> {
    await this.book.setState(id, { status: 'rejected', reason }, { outcome: 'rejected' });
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.unready.size > 0) return;
    // Work held for a new token is not work the agent can finish on its own.
    if (this.pathWork.size > this.awaitingToken.size) return;
    const busy = this.book
      .all()
      .some(
        (job) => !isTerminal(job.state) && job.state.status !== 'paused' && !this.awaitingToken.has(job.id),
      );
    if (busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => {
      resolve();
    });
  }

  /**
   * Settings edited in the window, applied while running. Every folder is watched afresh: the
   * rescan makes no second job, as on start (known files are skipped). Jobs already under way
   * keep the target they started with.
   */
  async reconfigure(next: Pick<AgentOptions, 'folders' | 'targets' | 'concurrency'>): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
    this.unready.clear();
    // Every reader goes through `this.options`, so replacing its lists switches them all at once.
    Object.assign(this.options, next);
    this.slots.resize(next.concurrency);
    for (const folder of next.folders) {
      this.unready.add(folder.path);
      this.subscriptions.push(
        this.ports.watcher.watch(folder.path, folder.watch, (event) => {
          this.onFolderEvent(folder, event);
        }),
      );
    }
  }

  /** Targets that do not answer at all: their jobs wait for them (without failing) meanwhile. */
  offlineTargets(): string[] {
    return [...this.options.targets.values()].filter((t) => t.gate.reachability.offline).map((t) => t.name);
  }
}
