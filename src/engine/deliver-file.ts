import { isTerminal, NEW_JOB, transition, type JobState } from '../shared/job.js';
import { redact } from '../shared/redact.js';
import { classify, DeliveryError, toDeliveryError } from './delivery-error.js';
import type { JobLifecycle } from './job-lifecycle.js';
import { JobRecorder, type HistoryEntry } from './job-recorder.js';
import { memoryRecords } from './memory-records.js';
import { ChangeGuard, sameVersion } from './change-guard.js';
import { FileChanged, Pacer } from './pacer.js';
import type {
  Clock,
  DurableRecords,
  FileInfo,
  Files,
  Http,
  Logger,
  MultipartCheckpoint,
  MultipartCheckpoints,
  PendingGrant,
  PendingGrants,
  SecretStore,
} from './ports.js';
import { ProgressSampler, type Progress } from './progress-meter.js';
import type { KeptRecord, Upload } from './protocols/protocol.js';
import { readProcessingStatus } from './processing-status.js';
import { sizeRefusal } from './size-limit.js';
import { completion, followStatus } from './status-follower.js';
import type { TargetGate } from './target-gate.js';
import { DEFAULT_MAX_PROCESSING_MS, type TargetSpec } from './target-spec.js';

export interface DeliveryPorts {
  readonly clock: Clock;
  readonly files: Files;
  readonly http: Http;
  readonly secrets: SecretStore;
  readonly logger: Logger;
  /** Uniform in [0, 1): the jitter source, injected so retries are reproducible in tests. */
  readonly random: () => number;
  /** Where multipart uploads record their parts; without it a crash restarts them from zero. */
  readonly checkpoints?: MultipartCheckpoints;
  /** Where presigned URLs wait for their delivery to be recorded; without it a crash may send twice. */
  readonly grants?: PendingGrants;
}

export interface DeliveryTarget extends TargetSpec {
  /** Shared by every job of the target: 429 slows them all, 401 stops them all. */
  readonly gate: TargetGate;
}

export interface DeliveryFile {
  readonly path: string;
  /** The template variables (see `fileVariables`); `filename` is the name the vendor sees. */
  readonly variables: Readonly<Record<string, string>>;
  /**
   * The version the host checked (hashed, content-checked): another version on disk is not
   * sent, it is a change. Without it, whatever the file holds when sending starts is sent.
   */
  readonly checked?: FileInfo;
}

export type DeliveryEvent =
  | { readonly type: 'state'; readonly state: JobState; readonly at: number }
  | ({ readonly type: 'progress' } & Progress);

export interface JobDeliveryOptions {
  /** Aborting stops the delivery where it is: the job is left as it was, for its host to decide. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  /** How many times a file that changed during its upload is sent again before giving up. */
  readonly maxRedeliveries?: number;
  /**
   * Called once the vendor holds the bytes, before the records that would resume the upload are
   * dropped: record the delivery here. A crash before it ends resends to the same object; a
   * crash after it finds the delivery recorded. Either way the vendor gets the file once.
   */
  readonly onDelivered?: (remoteId: string) => Promise<void>;
  /**
   * What a job does when its target refuses the token: `fail` (a one-off upload), or `hold`,
   * queued until a person sets a new token (the agent).
   */
  readonly onTokenRejected?: 'fail' | 'hold';
  /**
   * What a change of the file under its upload leads to: the file sent again as it now is
   * (`send-again`, a one-off upload), or the job back to waiting for the write to settle
   * (`settle`, the agent, which checks the new version before it sends it).
   */
  readonly onFileChanged?: 'send-again' | 'settle';
  /**
   * The vendor took a version of the file that changed before its answer came: called with
   * its remote id and the version sent, before the new version goes. The vendor holds both.
   */
  readonly onSuperseded?: (remoteId: string, sent: FileInfo) => Promise<void>;
  /** The host's news that the file changed (a watcher event), subscribed while bytes may go out. */
  readonly fileEvents?: (listener: () => void) => () => void;
}

export interface DeliveryOptions extends Omit<JobDeliveryOptions, 'onProgress'> {
  /** Aborting pauses the job: the report ends in `paused`, never `failed`. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DeliveryEvent) => void;
}

export interface DeliveryReport {
  /** `completed`, `failed`, `rejected`, or `paused` when the signal aborted. */
  readonly state: JobState;
  readonly history: readonly HistoryEntry[];
}

export const DEFAULT_MAX_REDELIVERIES = 3;

/** Where the job runner has long found it: it refuses a file before reading a byte of it. */
export { sizeRefusal };

/** A durable record of the file at the target, under its key. */
function kept<T>(records: DurableRecords<T>, key: string): KeptRecord<T> {
  return {
    load: () => records.load(key),
    save: (record) => records.save(key, record),
    clear: () => records.clear(key),
  };
}

/** The checkpoint of one file for one target. */
export function checkpointKey(target: string, path: string): string {
  return `${target}\n${path}`;
}

class Delivery {
  readonly #job: JobLifecycle;
  readonly #signal: AbortSignal;
  readonly #pacer: Pacer;
  readonly #grant: KeptRecord<PendingGrant>;
  readonly #checkpoint: KeptRecord<MultipartCheckpoint>;
  #token = '';
  /** Only the first attempt may pick up the URL of an upload a crash interrupted. */
  #mayResumeGrant = true;
  #redeliveries = 0;

  constructor(
    private readonly ports: DeliveryPorts,
    private readonly target: DeliveryTarget,
    private readonly file: DeliveryFile,
    job: JobLifecycle,
    private readonly options: JobDeliveryOptions,
  ) {
    this.#job = job;
    this.#signal = options.signal ?? new AbortController().signal;
    const key = checkpointKey(target.name, file.path);
    // A URL also names the file to the vendor: a converted copy gets a grant of its own.
    this.#grant = kept(ports.grants ?? memoryRecords(), `${key}\n${file.variables.filename ?? ''}`);
    this.#checkpoint = kept(ports.checkpoints ?? memoryRecords(), key);
    this.#pacer = new Pacer(
      ports,
      { retry: target.retry, gate: target.gate, endpoint: target.protocol.endpoint },
      this.#signal,
      (error) => this.#scrub(error),
      this.#log,
    );
  }

  get #log() {
    return { target: this.target.name, file: this.file.variables.filename ?? this.file.path };
  }

  async run(): Promise<void> {
    if ((await this.#admit()) === undefined) return;
    try {
      this.#token = await this.ports.secrets.token(this.target.name);
    } catch (error) {
      await this.#fail(toDeliveryError(error));
      return;
    }
    this.#job.apply({ type: 'start' });
    for (;;) {
      const before = await this.#statOrFail();
      if (before === undefined) return;
      const outcome = await this.#round(before);
      if (outcome === 'changed') {
        if (await this.#afterChange()) continue;
        return;
      }
      if (outcome !== 'failed') await this.#delivered(outcome.remoteId);
      return;
    }
  }

  /**
   * Sends the file as it is (`before`) once through the protocol: the vendor's id for it,
   * `changed` when the file changed under the upload, or `failed` (the job says why).
   */
  async #round(before: FileInfo): Promise<{ readonly remoteId: string } | 'changed' | 'failed'> {
    const round = new AbortController();
    const stop = () => {
      round.abort(this.#signal.reason);
    };
    this.#signal.addEventListener('abort', stop, { once: true });
    const guard = new ChangeGuard(this.ports.files, this.ports.clock, this.file.path, before, round);
    const unsubscribe = this.options.fileEvents?.(() => void guard.look());
    try {
      const { checked } = this.file;
      if (sizeRefusal(before, this.target) !== undefined) throw new FileChanged();
      if (checked !== undefined && !sameVersion(before, checked)) throw new FileChanged();
      const remoteId = await this.target.protocol.send(this.#upload(before, round.signal, guard));
      if (!(await this.#changedSince(before))) return { remoteId };
      this.ports.logger.info({ ...this.#log, remoteId }, 'the file changed after the vendor took it');
      await this.options.onSuperseded?.(remoteId, before);
      return 'changed';
    } catch (error) {
      if (this.#signal.aborted) throw error;
      if (error instanceof FileChanged) return 'changed';
      await this.#fail(this.#scrub(toDeliveryError(error)));
      return 'failed';
    } finally {
      unsubscribe?.();
      this.#signal.removeEventListener('abort', stop);
    }
  }

  /** What follows a change: the new version sent now, or settled first by the host. */
  async #afterChange(): Promise<boolean> {
    // The URL named the version that changed: the new one gets its own.
    await this.#grant.clear();
    if (this.options.onFileChanged !== 'settle') return this.#redeliver();
    this.ports.logger.info(this.#log, 'the file changed during its upload: waiting for it to settle');
    this.#job.apply({ type: 'file-changed' });
    return false;
  }

  async #delivered(remoteId: string): Promise<void> {
    this.ports.logger.info({ ...this.#log, remoteId }, 'delivered');
    await this.options.onDelivered?.(remoteId);
    // The delivery is recorded: nothing is left to resume.
    await this.#grant.clear();
    await this.#checkpoint.clear();
    const { statusRequest } = this.target.protocol;
    if (statusRequest === undefined) {
      this.#job.apply({ type: 'complete', remoteId });
      return;
    }
    this.#job.apply({ type: 'uploaded' });
    try {
      const status = {
        request: statusRequest(remoteId, this.#token),
        read: this.target.protocol.readStatus ?? readProcessingStatus,
        maxMs: this.target.processingMs ?? DEFAULT_MAX_PROCESSING_MS,
      };
      const context = {
        ports: this.ports,
        stallMs: this.target.stallMs,
        signal: this.#signal,
        pacer: this.#pacer,
      };
      const outcome = await followStatus(context, status, remoteId);
      this.#job.apply(completion(remoteId, outcome));
    } catch (error) {
      if (this.#signal.aborted) throw error;
      // A failed import's reason is the vendor's own text: it may echo the token like any answer.
      await this.#fail(this.#scrub(toDeliveryError(error)));
    }
  }

  /** What a protocol gets for one round of sending the file as it now is. */
  #upload(file: FileInfo, signal: AbortSignal, guard: ChangeGuard): Upload {
    let total = file.size;
    return {
      ports: this.ports,
      path: this.file.path,
      variables: this.file.variables,
      size: file.size,
      mtimeMs: file.mtimeMs,
      token: this.#token,
      signal,
      stallMs: this.target.stallMs,
      pacer: this.#pacer.withSignal(signal),
      jobPace: {
        onWait: ({ at, attempt, error }) => {
          this.#job.apply({ type: 'attempt-failed', at, attempt, error: error.toJobError() });
        },
        onNext: () => {
          this.#job.apply({ type: 'next-attempt' });
          guard.nextAttempt();
        },
      },
      log: this.#log,
      started: (bytes) => {
        total = bytes;
        this.#job.apply({ type: 'url-granted', total });
        this.#sampler = new ProgressSampler(this.ports.clock, total, (progress) => {
          this.options.onProgress?.(progress);
        });
      },
      progress: (sent) => {
        if (this.#job.state.status === 'uploading') this.#job.apply({ type: 'progress', sent });
        this.#sampler?.sample(sent);
        guard.sent(sent, total);
      },
      interruptedGrant: async () => {
        if (!this.#mayResumeGrant) return undefined;
        this.#mayResumeGrant = false;
        return this.#grant.load();
      },
      grant: this.#grant,
      checkpoint: this.#checkpoint,
    };
  }

  #sampler: ProgressSampler | undefined;

  /** Refuses empty and oversized files before any network call; the file's size and time otherwise. */
  async #admit(): Promise<FileInfo | undefined> {
    const info = await this.#statOrFail();
    if (info === undefined) return undefined;
    const reason = sizeRefusal(info, this.target);
    if (reason === undefined) return info;
    this.#job.apply({ type: 'reject', reason });
    this.ports.logger.warn({ ...this.#log, reason }, 'file refused');
    return undefined;
  }

  async #statOrFail(): Promise<FileInfo | undefined> {
    try {
      return await this.ports.files.stat(this.file.path);
    } catch (error) {
      this.#job.apply({ type: 'fail', error: toDeliveryError(error).toJobError() });
      return undefined;
    }
  }

  /** The file changed under the upload: it is sent again, as it now is, a few times at most. */
  async #redeliver(): Promise<boolean> {
    this.#redeliveries += 1;
    this.#job.apply({ type: 'file-changed' });
    this.#job.apply({ type: 'settled' });
    const limit = this.options.maxRedeliveries ?? DEFAULT_MAX_REDELIVERIES;
    if (this.#redeliveries > limit) {
      const error = new DeliveryError(
        'file',
        `the file kept changing while it was sent (${limit + 1} times)`,
      );
      this.#job.apply({ type: 'fail', error: error.toJobError() });
      return false;
    }
    this.ports.logger.info(this.#log, 'the file changed during its upload: sending it again');
    if ((await this.#admit()) === undefined) return false;
    this.#job.apply({ type: 'start' });
    return true;
  }

  /** The job ends with the error, or, for a refused token where the host waits for a new one, holds. */
  async #fail(error: DeliveryError): Promise<void> {
    if (classify(error) === 'stop-target') {
      // The pacer told of the stop already; a token missing before any request is told here.
      if (this.target.gate.stop(error))
        this.ports.logger.error({ target: this.target.name, kind: error.kind }, error.message);
      if (this.options.onTokenRejected === 'hold') {
        this.#job.apply({ type: 'hold', error: error.toJobError() });
        return;
      }
    }
    // A signed URL is a credential: it does not outlive a job that failed for good, unless no
    // answer came (the PUT may have arrived, and a retry must write the same object again).
    if (error.kind !== 'network' && error.kind !== 'stalled') await this.#grant.clear();
    this.#job.apply({ type: 'fail', error: error.toJobError() });
  }

  /**
   * The error with the token cut out of its message: a vendor that echoes the token back
   * must not get it into the history or the log.
   */
  #scrub(error: DeliveryError): DeliveryError {
    const message = redact(error.message, [this.#token]);
    if (message === error.message) return error;
    return new DeliveryError(error.kind, message, {
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.code === undefined ? {} : { code: error.code }),
      ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    });
  }

  /**
   * Whether the file changed while it was sent, so what arrived is stale. A file
   * that is gone was renamed or removed after its bytes were read: those bytes,
   * all of them and accepted, are the delivery, and sending them again under a
   * new name would deliver them twice.
   */
  async #changedSince(before: FileInfo): Promise<boolean> {
    const after = await this.ports.files.stat(this.file.path).catch(() => undefined);
    if (after === undefined) {
      this.ports.logger.info(
        this.#log,
        'the file was moved or removed after it was sent; the delivery stands',
      );
      return false;
    }
    return !sameVersion(before, after);
  }
}

/**
 * Delivers one file to one target, exactly once as far as the vendor can tell: refuses
 * empty and oversized files before any network call, sends the bytes through the target's
 * protocol (which paces every request), sends the file again when it changed underneath the
 * upload, and follows the vendor's import status where the protocol has one. The job starts
 * `queued` and ends completed, failed, rejected, or (with `onTokenRejected: 'hold'`) queued
 * again; an abort rejects with the signal's reason and leaves the job where it was.
 */
export function deliverJob(
  ports: DeliveryPorts,
  target: DeliveryTarget,
  file: DeliveryFile,
  job: JobLifecycle,
  options: JobDeliveryOptions = {},
): Promise<void> {
  return new Delivery(ports, target, file, job, options).run();
}

/** `deliverJob` for a job of its own: the report ends in its state, `paused` when the signal aborted. */
export async function deliverFile(
  ports: DeliveryPorts,
  target: DeliveryTarget,
  file: DeliveryFile,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const { onEvent } = options;
  // A file handed over by a person has settled already.
  const job = new JobRecorder(ports.clock, transition(NEW_JOB, { type: 'settled' }), (state, at) =>
    onEvent?.({ type: 'state', state, at }),
  );
  try {
    await deliverJob(ports, target, file, job, {
      ...options,
      onProgress: (progress) => onEvent?.({ type: 'progress', ...progress }),
    });
  } catch (error) {
    if (options.signal?.aborted !== true) throw error;
    if (!isTerminal(job.state)) job.apply({ type: 'pause' });
    ports.logger.info({ target: target.name, file: file.variables.filename ?? file.path }, 'delivery paused');
  }
  return { state: job.state, history: job.history };
}
