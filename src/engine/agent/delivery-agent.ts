import { canTake, isTerminal, type JobEvent } from '../../shared/job.js';
import { checkName } from '../../shared/naming.js';
import { fileNameOf } from '../../shared/file-name.js';
import type { DeliveryTarget } from '../deliver-file.js';
import { toDeliveryError } from '../delivery-error.js';
import { FileChanged } from '../pacer.js';
import type { FolderEvent, FolderSubscription } from '../folder-watcher.js';
import type { JobIntent, JobRecord } from '../job-store.js';
import type { AgentEvent, AgentFolder, AgentOptions, AgentPorts } from './agent-ports.js';
import type { FileInfo } from '../ports.js';
import { AgentWork } from './agent-work.js';
import { JobBook } from './job-book.js';
import { checkSlotsFor, JobRunner, Stop, UNREADABLE } from './job-runner.js';
import { TargetSlots } from './target-slots.js';

const RESTART: JobEvent = { type: 'restart' };

/**
 * Runs of one target under way at once: the files being checked and sent, and the files still
 * being written (each waits for its write to settle in a run of its own). Far more than the
 * checks and deliveries need, so that files written slowly do not hold settled ones up unless
 * hundreds are written at once; the rest of a queue of thousands waits as records.
 */
export const RUNS_PER_TARGET = 256;

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
  private readonly checkSlots: TargetSlots;
  private readonly runner: JobRunner;
  private readonly work: AgentWork;
  private readonly subscriptions: FolderSubscription[] = [];
  private readonly pausedFolders = new Set<string>();
  private pausedAll = false;

  constructor(
    private readonly ports: AgentPorts,
    private readonly options: AgentOptions,
    private readonly emit: (event: AgentEvent) => void = () => undefined,
  ) {
    this.work = new AgentWork(
      (held) =>
        this.book
          .all()
          .some((job) => !isTerminal(job.state) && job.state.status !== 'paused' && !held.has(job.id)),
      (path, error) => {
        ports.logger.error({ path, error: String(error) }, 'could not handle a folder event');
      },
      RUNS_PER_TARGET,
    );
    this.book = new JobBook(ports.store, ports.clock, ports.newId, {
      onChange: (job) => {
        emit({ type: 'job', job });
        this.work.check();
      },
      onRemove: (id) => {
        emit({ type: 'job-removed', id });
      },
      onSaveError: (job, error) => {
        ports.logger.error({ job: job.id, error: String(error) }, 'could not write the journal');
      },
    });
    this.slots = new TargetSlots(options.concurrency);
    this.checkSlots = new TargetSlots(checkSlotsFor(options.concurrency));
    this.runner = new JobRunner({
      ports,
      options,
      book: this.book,
      slots: this.slots,
      checkSlots: this.checkSlots,
      emit,
      isPaused: (job) => this.isPaused(job),
      folderOf: (job) => this.folderOf(job),
      targetOf: (job) => this.targetOf(job),
      heldForToken: (id, held) => {
        this.work.heldForToken(id, held);
      },
    });
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

  /** Targets that do not answer at all: their jobs wait for them (without failing) meanwhile. */
  offlineTargets(): string[] {
    return [...this.options.targets.values()].filter((t) => t.gate.reachability.offline).map((t) => t.name);
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

  /**
   * Replays the store, carries out what people asked while no agent ran, starts over every
   * job a stop interrupted, then starts watching.
   */
  async start(): Promise<void> {
    const { records, intents } = await this.book.load();
    for (const job of records) {
      for (const { intent } of intents.filter((stored) => stored.id === job.id))
        this.carryOut(job.id, intent);
      if (!this.work.isRunning(job.id) && canTake(this.book.get(job.id)?.state ?? job.state, RESTART)) {
        this.book.apply(job.id, RESTART);
        this.run(job.id);
      }
    }
    this.watchFolders(this.options.folders);
  }

  /** Stops watching and leaves in-flight jobs where a restart picks them up. */
  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
    await this.work.stopAll(new Stop('shutdown'));
    await this.ports.store.close();
  }

  /** Resolves once every folder has been scanned and no job is left to do (paused ones aside). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  pause(folder?: string): void {
    if (folder === undefined) this.pausedAll = true;
    else this.pausedFolders.add(folder);
    for (const job of this.book.all()) if (this.isPaused(job)) this.pauseJob(job.id);
  }

  resume(folder?: string): void {
    if (folder === undefined) {
      this.pausedAll = false;
      this.pausedFolders.clear();
    } else this.pausedFolders.delete(folder);
    for (const job of this.book.all()) if (!this.isPaused(job)) this.resumeJob(job.id);
  }

  /**
   * Tries a failed or rejected job again. `force` is "send anyway": content the checks refused,
   * and bytes the ledger says were delivered already.
   */
  retry(id: string, force = false): boolean {
    const job = this.book.get(id);
    const event = { type: 'retry', force } as const;
    if (job === undefined || !canTake(job.state, event)) return false;
    this.book.apply(id, event, {
      ...(force ? { sendAnyway: true } : {}),
      // A failed job the ledger knows was delivered and then not imported: sending it again is the point.
      ...(force || job.state.status === 'failed' ? { resendAfter: this.ports.clock.now() } : {}),
    });
    this.run(id);
    return true;
  }

  retryFailed(): number {
    return this.book.all().filter((job) => job.state.status === 'failed' && this.retry(job.id)).length;
  }

  /** Sends a completed job's file again, on purpose: the ledger does not stop it. */
  reupload(id: string): boolean {
    const job = this.book.get(id);
    if (job === undefined || !canTake(job.state, { type: 'reupload' })) return false;
    this.book.apply(id, { type: 'reupload' }, { resendAfter: this.ports.clock.now() });
    this.run(id);
    return true;
  }

  /** Delivers a file picked by hand to a target, outside any watched folder. */
  upload(path: string, target: string): JobRecord {
    if (!this.options.targets.has(target)) throw new Error(`no target named '${target}'`);
    const job = this.book.create({ path, target });
    this.run(job.id);
    return job;
  }

  /**
   * Settings edited in the window, applied while running. Every folder is watched afresh: the
   * rescan makes no second job, as on start (known files are skipped). Jobs already under way
   * keep the target they started with.
   */
  async reconfigure(next: Pick<AgentOptions, 'folders' | 'targets' | 'concurrency'>): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
    this.work.forgetScans();
    // Every reader goes through `this.options`, so replacing its lists switches them all at once.
    Object.assign(this.options, next);
    this.slots.resize(next.concurrency);
    this.checkSlots.resize(checkSlotsFor(next.concurrency));
    this.watchFolders(next.folders);
  }

  /** What a person asked of a job while no agent ran, done as if asked now. */
  private carryOut(id: string, intent: JobIntent): void {
    switch (intent.type) {
      case 'retry':
        this.retry(id, intent.force === true);
        return;
      case 'pause':
        this.pauseJob(id);
        return;
      case 'resume':
        this.resumeJob(id);
        return;
    }
  }

  /** A running job stops where it is and its run records the pause; an idle one is paused now. */
  private pauseJob(id: string): void {
    if (this.work.isRunning(id)) void this.work.stop(id, new Stop('pause'));
    else {
      const job = this.book.get(id);
      if (job !== undefined && canTake(job.state, { type: 'pause' })) this.book.apply(id, { type: 'pause' });
    }
  }

  private resumeJob(id: string): void {
    const job = this.book.get(id);
    if (job === undefined || !canTake(job.state, { type: 'resume' })) return;
    this.book.apply(id, { type: 'resume' });
    this.run(id);
  }

  private watchFolders(folders: readonly AgentFolder[]): void {
    for (const folder of folders) {
      this.work.scanning(folder.path);
      this.subscriptions.push(
        this.ports.watcher.watch(folder.path, folder.watch, (event) => {
          this.onFolderEvent(folder, event);
        }),
      );
    }
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
        this.work.inOrder(event.path, () => this.considerFile(folder, event.path, event.seen));
        return;
      case 'file-removed':
        this.work.inOrder(event.path, () => this.forgetFile(event.path));
        return;
      case 'ready':
        this.work.scanned(folder.path);
        return;
      case 'folder-missing':
        this.emit({ type: 'folder', folder: folder.path, change: 'missing', reason: event.reason });
        this.work.scanned(folder.path);
        return;
      case 'folder-back':
        this.emit({ type: 'folder', folder: folder.path, change: 'back' });
        return;
      case 'watch-error':
        this.emit({ type: 'folder', folder: folder.path, change: 'error', reason: event.reason });
        return;
    }
  }

  /**
   * `seen` is the size and time the watcher read when it reported the file. Deciding on it
   * rather than a stat of our own is safe: a change after that read is a watcher event of its
   * own, considered after this one, and a job's bytes are measured again as it settles.
   */
  private async considerFile(folder: AgentFolder, path: string, seen?: FileInfo): Promise<void> {
    const verdict = checkName(fileNameOf(path), folder.rule);
    if (verdict.status === 'ignored') return;
    const existing = this.book.latestFor(path);
    if (existing !== undefined && !isTerminal(existing.state)) {
      await this.changedUnder(existing);
      return;
    }
    const info = seen ?? (await this.statOf(path));
    if (info === undefined) return;
    const found = { path, folder: folder.path, target: folder.target.name };
    if (info === 'unreadable') {
      // It still gets a job, so the user is told why it is not sent (the job's run says why).
      if (existing === undefined) this.run(this.book.create(found).id);
      return;
    }
    if (existing?.size === info.size && existing.mtimeMs === info.mtimeMs) return;
    if (this.ports.ledger.findUnchanged(path, info.size, info.mtimeMs, folder.target.name) !== undefined)
      return;
    if (existing !== undefined && canTake(existing.state, { type: 'file-changed' })) {
      // A refused or failed file that changed is the same job, tried again (its size is taken once settled).
      this.book.apply(existing.id, { type: 'file-changed' });
      this.run(existing.id);
      return;
    }
    this.run(this.book.create({ ...found, size: info.size, mtimeMs: info.mtimeMs }).id);
  }

  /** The file's size and time; 'unreadable' when it is there but cannot be read, undefined when gone. */
  private async statOf(path: string): Promise<FileInfo | 'unreadable' | undefined> {
    return this.ports.probe.stat(path).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? '';
      return UNREADABLE.has(code) ? ('unreadable' as const) : undefined;
    });
  }

  /**
   * The file of a job under way changed: a delivery sending it hears so (and cuts off the old
   * version's upload), a queued job goes back to settle. A job still settling sees it anyway;
   * one being imported is looked at again once it completes (see `run`).
   */
  private async changedUnder(job: JobRecord): Promise<void> {
    if (this.runner.fileChanged(job.id) || job.state.status !== 'queued') return;
    await this.work.stop(job.id, new FileChanged('the file changed before its upload'));
  }

  /** A file gone before it was sent was renamed or deleted: its job goes too (a new name is a new job). */
  private async forgetFile(path: string): Promise<void> {
    const job = this.book.latestFor(path);
    if (job === undefined) return;
    const status = job.state.status;
    if (
      status === 'waiting-for-write' ||
      status === 'queued' ||
      status === 'rejected' ||
      status === 'paused'
    ) {
      await this.work.stop(job.id, new Stop('gone'));
      if (this.book.get(job.id) !== undefined) await this.book.remove(job.id);
    }
  }

  /** Runs a job that waits for its write to settle, until it is delivered, refused, paused or stopped. */
  private run(id: string): void {
    this.work.run(
      id,
      new Stop('shutdown'),
      async (signal) => {
        await this.runner.run(id, signal);
        this.lookAgain(id);
      },
      (error) => this.afterStop(id, error),
      this.book.get(id)?.target,
    );
  }

  /**
   * A delivered file is looked at once more: a change that came while the vendor imported it
   * (or while the delivery was recorded) found the job busy, and is a new version to send.
   */
  private lookAgain(id: string): void {
    const job = this.book.get(id);
    const folder = job === undefined ? undefined : this.folderOf(job);
    if (job?.state.status !== 'completed' || folder === undefined || folder.after === 'move') return;
    this.work.inOrder(job.path, () => this.considerFile(folder, job.path));
  }

  /** A run that ended without an outcome of its own: a stop, or an error the job fails with. */
  private async afterStop(id: string, error: unknown): Promise<void> {
    const job = this.book.get(id);
    if (job === undefined) return;
    if (error instanceof Stop) {
      // A file gone before it was sent (renamed, deleted) leaves no job; a new name makes a new one.
      if (error.why === 'gone') await this.book.remove(id);
      if (error.why === 'pause' && canTake(job.state, { type: 'pause' }))
        this.book.apply(id, { type: 'pause' });
    } else if (error instanceof FileChanged && canTake(job.state, { type: 'file-changed' })) {
      this.book.apply(id, { type: 'file-changed' });
      this.run(id);
    } else {
      const reason = toDeliveryError(error).toJobError();
      if (canTake(job.state, { type: 'fail' })) this.book.apply(id, { type: 'fail', error: reason });
      // After its outcome (moving a delivered file into sent/, say): the outcome stands.
      else
        this.ports.logger.error(
          { job: id, state: job.state.status, error: reason.message },
          'after delivery',
        );
    }
    await this.book.saved(id).catch(() => undefined);
  }
}
