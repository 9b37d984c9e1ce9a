import { fileNameOf } from '../../shared/file-name.js';
import { checkName, DEFAULT_TEMPLATE } from '../../shared/naming.js';
import { ConversionError } from '../content/column-types.js';
import { deliverJob, sizeRefusal, type DeliveryTarget } from '../deliver-file.js';
import type { JobRecord } from '../job-store.js';
import type { FileInfo } from '../ports.js';
import { fileVariables } from '../target-spec.js';
import { waitUntilSettled } from '../write-settler.js';
import type { AgentEvent, AgentFolder, AgentOptions, AgentPorts, PreparedFile } from './agent-ports.js';
import type { JobBook } from './job-book.js';
import { duplicateReason, errnoReason } from './job-reasons.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { TargetSlots } from './target-slots.js';

/** Why a job's work was stopped: the job itself records none of these as a failure. */
export class Stop extends Error {
  constructor(readonly why: 'pause' | 'shutdown' | 'gone') {
    super(why);
    this.name = 'AbortError';
  }
}

/** Errors of a file Ferry may not or cannot read: the file is refused, and says why. */
export const UNREADABLE = new Set(['EBUSY', 'EPERM', 'EACCES', 'EISDIR', 'ELOOP', 'ENOTREG']);

/**
 * Files of a target checked at a time, and checked files waiting for a delivery slot: two per
 * slot keeps every slot fed (the next file is ready when one ends) while a queue of 10,000
 * waits as records. Without a bound every queued file would be read, hashed and checked at
 * once, and the memory taken would grow with the queue instead of with the work in flight.
 */
export function checkSlotsFor(concurrency: number): number {
  return 2 * concurrency;
}

/** What the runner shares with the agent that owns it. */
export interface JobRunnerHost {
  readonly ports: AgentPorts;
  readonly options: AgentOptions;
  readonly book: JobBook;
  readonly slots: TargetSlots;
  /** Held from a job's hash until it holds a delivery slot (see checkSlotsFor); releasing twice is harmless. */
  readonly checkSlots: TargetSlots;
  readonly emit: (event: AgentEvent) => void;
  isPaused(job: JobRecord): boolean;
  folderOf(job: JobRecord): AgentFolder | undefined;
  targetOf(job: JobRecord): DeliveryTarget | undefined;
  /** A job waits for its target's new token (true), or no longer (false): not work the agent can finish. */
  heldForToken(id: string, held: boolean): void;
}

/**
 * One job's way from a file to a delivery: wait for the write to settle, check the name, the
 * size and the contents, stop a second delivery of the same bytes, then send through the
 * target's protocol. Every state change goes through the job book. A restart runs it again
 * from the top (a fresh settle check); an upload it cut short resumes as its protocol can
 * (the same presigned URL, the parts the vendor holds).
 */
export class JobRunner {
  /** Held until a delivery is in the ledger: the same bytes under another name wait and see it. */
  private readonly sameContent = new KeyedMutex();

  constructor(private readonly host: JobRunnerHost) {}

  /** The deliveries under way, by job: what the host hears of their files. */
  private readonly listening = new Map<string, Set<() => void>>();

  async run(id: string, signal: AbortSignal): Promise<void> {
    const { book } = this.host;
    // A change under the upload sends the job back to settle: the new version is checked again.
    do {
      const job = this.job(id);
      const target = this.host.targetOf(job);
      if (target === undefined) this.reject(id, `the target '${job.target}' is no longer configured`);
      else await this.checkAndSend(job, target, signal);
    } while (this.job(id).state.status === 'waiting-for-write');
    await book.saved(id);
  }

  /** The file of a job changed; true when a delivery under way heard it (it decides what follows). */
  fileChanged(id: string): boolean {
    const listeners = this.listening.get(id);
    for (const listener of listeners ?? []) listener();
    return listeners !== undefined && listeners.size > 0;
  }

  private async checkAndSend(job: JobRecord, target: DeliveryTarget, signal: AbortSignal): Promise<void> {
    const { book, ports, options } = this.host;
    if (this.host.isPaused(job)) throw new Stop('pause');
    const folder = this.host.folderOf(job);
    if (folder !== undefined) {
      const verdict = checkName(fileNameOf(job.path), folder.rule);
      if (verdict.status === 'rejected') {
        const suggestion = verdict.suggestion === undefined ? '' : ` (suggestion: ${verdict.suggestion})`;
        this.reject(job.id, `${verdict.code}: ${verdict.reason}${suggestion}`);
        return;
      }
    }
    let info;
    try {
      info = await waitUntilSettled(job.path, ports.probe, ports.clock, options.settle, signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason as Error;
      const code = (error as { code?: string }).code ?? '';
      if (code === 'ENOENT') throw new Stop('gone');
      if (!UNREADABLE.has(code)) throw error;
      this.reject(job.id, errnoReason(code, job.path));
      return;
    }
    // Before reading a byte: hashing 5 GB only to refuse it would waste minutes. A folder that
    // compresses sends a smaller copy, which the delivery measures once it is made.
    const compresses = folder?.prepare.compress !== undefined;
    const refused = info.size === 0 || !compresses ? sizeRefusal(info, target) : undefined;
    if (refused !== undefined) {
      this.reject(job.id, refused);
      return;
    }
    // Settling costs a timer, not memory: only the reading and checking takes a slot.
    const checkSlot = await this.host.checkSlots.acquire(target.name, signal);
    try {
      const sha256 = await ports.hash(job.path, signal);
      const hashed = book.update(job.id, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
      const release = await this.sameContent.acquire(`${target.name}\0${sha256}`, signal);
      try {
        await this.deliverContent(hashed, target, folder, signal, checkSlot);
      } finally {
        release();
      }
    } finally {
      checkSlot();
    }
  }

  private async deliverContent(
    checked: JobRecord,
    target: DeliveryTarget,
    folder: AgentFolder | undefined,
    signal: AbortSignal,
    endChecking: () => void,
  ): Promise<void> {
    const { book, ports } = this.host;
    const job = checked;
    const earlier = ports.ledger.find(job.sha256 ?? '', target.name);
    // Strictly after: a delivery in the same millisecond as the request is the one it asks to repeat.
    if (earlier !== undefined && earlier.deliveredAt > (job.resendAfter ?? Number.NEGATIVE_INFINITY)) {
      if (earlier.path === job.path && earlier.deliveredAt >= job.createdAt) {
        // This job's own delivery, recorded before a stop cut the job short: done, not a duplicate
        // (a vendor's import status is not followed up afterwards).
        book.apply(job.id, { type: 'found-delivered', remoteId: earlier.remoteId });
      } else this.reject(job.id, duplicateReason(earlier));
      return;
    }
    if (folder?.checkContent === true && job.sendAnyway !== true && ports.checkContent !== undefined) {
      const report = await ports.checkContent(job.path, signal, folder.contentOptions);
      const error = report?.findings.find((f) => f.severity === 'error');
      if (error !== undefined) {
        this.reject(job.id, `${error.code}: ${error.message}`);
        return;
      }
    }
    const prepared = await this.prepare(job, folder, signal);
    if (prepared === 'rejected') return;
    try {
      book.apply(job.id, { type: 'settled' });
      // A job held for a new token is queued again, and goes on when the token comes.
      while (this.job(job.id).state.status === 'queued') {
        await this.awaitToken(job.id, target, signal);
        const releaseSlot = await this.host.slots.acquire(target.name, signal);
        // The next file's checks may start: this one is no longer waiting, it is sending.
        endChecking();
        try {
          await this.send(job, target, folder, signal, prepared);
        } finally {
          releaseSlot();
        }
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
    this.host.heldForToken(id, true);
    try {
      await target.gate.whenRestarted(signal);
    } finally {
      this.host.heldForToken(id, false);
    }
  }

  /** A converted or compressed copy to send instead of the file, when the folder asks for one. */
  private async prepare(
    job: JobRecord,
    folder: AgentFolder | undefined,
    signal: AbortSignal,
  ): Promise<PreparedFile | 'rejected' | undefined> {
    const plan = folder?.prepare;
    const { prepare } = this.host.ports;
    if (plan === undefined || prepare === undefined) return undefined;
    if (plan.convert === undefined && plan.compress === undefined) return undefined;
    try {
      return await prepare(job.path, fileNameOf(job.path), plan, signal);
    } catch (error) {
      if (!(error instanceof ConversionError)) throw error;
      this.reject(job.id, `content-convert: ${error.message}`);
      return 'rejected';
    }
  }

  private async send(
    job: JobRecord,
    target: DeliveryTarget,
    folder: AgentFolder | undefined,
    signal: AbortSignal,
    prepared: PreparedFile | undefined,
  ): Promise<void> {
    const { book, ports, emit } = this.host;
    const variables = fileVariables(prepared?.name ?? fileNameOf(job.path), {
      rule: folder?.rule.template ?? DEFAULT_TEMPLATE,
      fields: folder?.fields ?? {},
    });
    // A converted copy is sent as it was made; the version checked is the file's own.
    const file =
      prepared === undefined
        ? {
            path: job.path,
            variables,
            ...(job.size === undefined || job.mtimeMs === undefined
              ? {}
              : { checked: { size: job.size, mtimeMs: job.mtimeMs } }),
          }
        : { path: prepared.path, variables };
    await deliverJob(ports, target, file, book.lifecycle(job.id), {
      signal,
      onTokenRejected: 'hold',
      onFileChanged: 'settle',
      onDelivered: (remoteId) => this.recordDelivery(job, target, remoteId),
      onSuperseded: (remoteId, sent) =>
        this.recordSuperseded(job, target, remoteId, sent, prepared === undefined),
      fileEvents: (listener) => {
        const listeners = this.listening.get(job.id) ?? new Set();
        listeners.add(listener);
        this.listening.set(job.id, listeners);
        return () => {
          listeners.delete(listener);
          if (listeners.size === 0) this.listening.delete(job.id);
        };
      },
      onProgress: (progress) => {
        emit({ type: 'progress', jobId: job.id, progress });
      },
    });
    const done = this.job(job.id).state;
    if (done.status === 'completed' && done.statistics !== undefined) {
      // The vendor reports an import after the bytes went on record: the figures join them there.
      await ports.ledger.recordImport({
        target: target.name,
        remoteId: done.remoteId,
        statistics: done.statistics,
      });
    }
    if (done.status === 'completed' && folder?.after === 'move') {
      // The completed record is stored first: a crash while moving must not send the file again.
      await book.saved(job.id);
      book.update(job.id, { path: await ports.moveToSent(job.path) });
    }
  }

  /**
   * The ledger is written before the job is marked completed: a crash in between must not send
   * the bytes again. What was sent is the version the job checked (the delivery sends no other),
   * so the job's own facts describe it.
   */
  private async recordDelivery(job: JobRecord, target: DeliveryTarget, remoteId: string): Promise<void> {
    const { ports } = this.host;
    if (job.sha256 === undefined) return;
    await ports.ledger.record({
      sha256: job.sha256,
      path: job.path,
      size: job.size ?? 0,
      mtimeMs: job.mtimeMs ?? 0,
      remoteId,
      target: target.name,
      deliveredAt: ports.clock.now(),
      ...this.receiptFacts(job.id),
    });
  }

  /**
   * What `ferry history` prints of a delivery beside its bytes: the watched folder it came from
   * and the attempts it took. The delivery is recorded before its job completes, so the attempt
   * under way is counted in.
   */
  private receiptFacts(id: string): { folder?: string; attempts: number } {
    const { folder, attempts } = this.job(id);
    return { ...(folder === undefined ? {} : { folder }), attempts: attempts + 1 };
  }

  /**
   * The vendor took a version that changed before its answer came: it is on record, in the
   * ledger (those bytes are at the vendor) and on the job, before the new version goes.
   */
  private async recordSuperseded(
    job: JobRecord,
    target: DeliveryTarget,
    remoteId: string,
    sent: FileInfo,
    sentAsChecked: boolean,
  ): Promise<void> {
    const { book, ports } = this.host;
    const deliveredAt = ports.clock.now();
    const sha256 = sentAsChecked ? job.sha256 : undefined;
    if (sha256 !== undefined) {
      const { size, mtimeMs } = sent;
      await ports.ledger.record({
        sha256,
        path: job.path,
        size,
        mtimeMs,
        remoteId,
        target: target.name,
        deliveredAt,
        superseded: true,
        ...this.receiptFacts(job.id),
      });
    }
    const superseded = {
      remoteId,
      size: sent.size,
      ...(sha256 === undefined ? {} : { sha256 }),
      deliveredAt,
    };
    book.update(job.id, { superseded: [...(this.job(job.id).superseded ?? []), superseded] });
  }

  private reject(id: string, reason: string): void {
    this.host.book.apply(id, { type: 'reject', reason });
  }

  private job(id: string): JobRecord {
    const job = this.host.book.get(id);
    if (job === undefined) throw new Stop('gone');
    return job;
  }
}
