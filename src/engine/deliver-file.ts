import { assertNever } from '../shared/assert-never.js';
import { formatBytes } from '../shared/format-bytes.js';
import { redact } from '../shared/redact.js';
import { isTerminal, type JobState } from '../shared/job.js';
import { classify, DeliveryError, toDeliveryError } from './delivery-error.js';
import { exactly } from './exact-length.js';
import type { JobLifecycle } from './job-lifecycle.js';
import { JobRecorder, type HistoryEntry } from './job-recorder.js';
import type {
  Clock,
  FileInfo,
  Files,
  Http,
  HttpRequest,
  HttpResponse,
  Logger,
  MultipartCheckpoints,
  PendingGrants,
  SecretStore,
} from './ports.js';
import { formBoundary, formUpload, readTaskId, type FormSpec } from './form-profile.js';
import { memoryRecords } from './memory-records.js';
import type { MultipartSpec } from './multipart-profile.js';
import { checkpointKey, sendMultipart } from './multipart-upload.js';
import {
  authHeaders,
  grantRequest,
  readGrant,
  type PresignedPutSpec,
  type UrlGrant,
} from './presigned-put-profile.js';
import { readProcessingStatus } from './processing-status.js';
import { addSample, measure, type Progress, type ProgressSample } from './progress-meter.js';
import {
  backoffCeiling,
  countFailure,
  decideRetry,
  newStreak,
  parseRetryAfter,
  type RetryStreak,
} from './retry-policy.js';
import { isUnreachable } from './reachability.js';
import { withStallGuard } from './stall-guard.js';
import type { TargetGate } from './target-gate.js';
import type { TargetSpec } from './target-spec.js';
import { errorFromResponse } from './vendor-answer.js';

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
/** Import status polls start quick (small files finish in seconds) and settle at one every 30 s. */
const POLL_INTERVALS = { baseDelayMs: 1_000, maxDelayMs: 30_000 } as const;
const PROGRESS_EVERY_MS = 250;

type AttemptOutcome =
  | { readonly type: 'delivered'; readonly remoteId: string }
  | { readonly type: 'changed' }
  | { readonly type: 'error'; readonly error: DeliveryError; readonly sent: number }
  /** The vendor took the bytes but its answer cannot be read: sending again could duplicate them. */
  | { readonly type: 'unconfirmed'; readonly error: DeliveryError }
  /** Retried already (multipart parts retry on their own): the job fails with this. */
  | { readonly type: 'failed'; readonly error: DeliveryError };

/** What one send left behind: the answer, and how to read the remote id from it. */
interface Sent {
  readonly response: HttpResponse;
  readonly remoteId: () => string;
}

/** Filled in while bytes go out; read after the request, whichever way it ended. */
interface SendProgress {
  sent: number;
  short: boolean;
}

/** Why a file of this size cannot go to the target at all; undefined when it can. */
export function sizeRefusal(
  info: Pick<FileInfo, 'size'>,
  target: Pick<TargetSpec, 'name' | 'maxBytes'>,
): string | undefined {
  if (info.size === 0) return 'the file is empty: there is nothing to deliver';
  if (info.size > target.maxBytes) {
    const size = formatBytes(info.size);
    const max = formatBytes(target.maxBytes);
    // "5 GiB, at most 5 GiB" explains nothing: byte counts when the rounded sizes agree.
    const [shown, limit] = size === max ? [`${info.size} bytes`, `${target.maxBytes} bytes`] : [size, max];
    return `the file is ${shown}; target '${target.name}' accepts at most ${limit}`;
  }
  return undefined;
}

function sameFile(a: FileInfo, b: FileInfo): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

class Delivery {
  readonly #job: JobLifecycle;
  readonly #signal: AbortSignal;
  #token = '';
  readonly #checkpoints: MultipartCheckpoints;
  readonly #grants: PendingGrants;
  /** Only the first attempt may pick up the URL of an upload a crash interrupted. */
  #mayResumeGrant = true;
  #highWater = 0;
  #streak: RetryStreak;
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
    this.#streak = newStreak(ports.clock.now());
    this.#checkpoints = ports.checkpoints ?? memoryRecords();
    this.#grants = ports.grants ?? memoryRecords();
  }

  get #log() {
    return { target: this.target.name, file: this.file.variables.filename ?? this.file.path };
  }

  async run(): Promise<void> {
    if (!(await this.#admit())) return;
    try {
      this.#token = await this.ports.secrets.token(this.target.name);
    } catch (error) {
      this.#fail(toDeliveryError(error));
      return;
    }
    this.#job.apply({ type: 'start' });
    for (;;) {
      const outcome = await this.#attempt();
      switch (outcome.type) {
        case 'delivered':
          this.ports.logger.info({ ...this.#log, remoteId: outcome.remoteId }, 'delivered');
          await this.options.onDelivered?.(outcome.remoteId);
          await this.#forgetUpload();
          if (this.target.processing === undefined) {
            this.#job.apply({ type: 'complete', remoteId: outcome.remoteId });
          } else {
            this.#job.apply({ type: 'uploaded' });
            await this.#awaitProcessing(outcome.remoteId, this.target.processing);
          }
          return;
        case 'changed':
          if (!(await this.#redeliver())) return;
          break;
        case 'error':
          if (!(await this.#afterError(outcome.error, outcome.sent))) return;
          break;
        case 'unconfirmed':
          this.#fail(this.#scrub(outcome.error));
          return;
        case 'failed':
          this.ports.logger.warn({ ...this.#log, kind: outcome.error.kind }, outcome.error.message);
          this.#fail(this.#scrub(outcome.error));
          return;
      }
    }
  }

  /** Refuses empty and oversized files before any network call. */
  async #admit(): Promise<boolean> {
    let info: FileInfo;
    try {
      info = await this.ports.files.stat(this.file.path);
    } catch (error) {
      this.#job.apply({ type: 'fail', error: toDeliveryError(error).toJobError() });
      return false;
    }
    const reason = sizeRefusal(info, this.target);
    if (reason === undefined) return true;
    this.#job.apply({ type: 'reject', reason });
    this.ports.logger.warn({ ...this.#log, reason }, 'file refused');
    return false;
  }

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
    if (!(await this.#admit())) return false;
    this.#job.apply({ type: 'start' });
    this.#highWater = 0;
    this.#streak = newStreak(this.ports.clock.now());
    return true;
  }

  #fail(error: DeliveryError): void {
    if (classify(error) === 'stop-target') {
      if (this.target.gate.stop(error))
        this.ports.logger.error({ target: this.target.name, kind: error.kind }, error.message);
      if (this.options.onTokenRejected === 'hold') {
        this.#job.apply({ type: 'hold', error: error.toJobError() });
        return;
      }
    }
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

  /** Decides what follows a failed attempt; false when the job is over. */
  async #afterError(failure: DeliveryError, sent: number): Promise<boolean> {
    const { clock } = this.ports;
    const error = this.#scrub(failure);
    if (sent > this.#highWater) {
      this.#highWater = sent;
      this.#streak = newStreak(clock.now());
    }
    const action = classify(error);
    if (action === 'fail' || action === 'stop-target') {
      this.ports.logger.warn({ ...this.#log, kind: error.kind, status: error.status }, error.message);
      this.#fail(error);
      return false;
    }
    if (isUnreachable(error)) return this.#awaitReachable(error);
    this.#streak = countFailure(this.#streak);
    const now = clock.now();
    const decision = decideRetry(this.target.retry, {
      streak: this.#streak,
      now,
      random: this.ports.random(),
      retryAfterMs: error.retryAfter === undefined ? undefined : parseRetryAfter(error.retryAfter, now),
      immediate: action === 'refresh-url',
    });
    if (decision.action === 'give-up') {
      const final = new DeliveryError(error.kind, `${decision.reason}; last error: ${error.message}`, {
        ...(error.status === undefined ? {} : { status: error.status }),
      });
      this.ports.logger.warn({ ...this.#log, kind: error.kind }, final.message);
      this.#job.apply({ type: 'fail', error: final.toJobError() });
      return false;
    }
    const at = now + decision.delayMs;
    if (error.kind === 'rate-limited') this.target.gate.slowDown(at);
    this.ports.logger.info(
      { ...this.#log, kind: error.kind, attempt: decision.attempt, delayMs: decision.delayMs },
      `attempt failed, retrying: ${error.message}`,
    );
    this.#job.apply({ type: 'attempt-failed', at, attempt: decision.attempt, error: error.toJobError() });
    await clock.sleep(decision.delayMs, this.#signal);
    this.#job.apply({ type: 'next-attempt' });
    return true;
  }

  /** Nothing answers at all: wait for the target to come back, without spending the retry budget. */
  async #awaitReachable(error: DeliveryError): Promise<boolean> {
    const { clock, logger } = this.ports;
    logger.info({ ...this.#log, code: error.code }, `offline, waiting for the target: ${error.message}`);
    // The target is marked offline first, so whoever hears of the job's wait already knows why.
    const url = this.target.protocol.spec.endpoint;
    const back = this.target.gate.reachability.waitUntilReachable(this.ports, url, this.#signal);
    this.#job.apply({
      type: 'attempt-failed',
      at: clock.now(),
      attempt: this.#streak.failures,
      error: error.toJobError(),
    });
    if (!(await back)) {
      this.#fail(this.target.gate.reachability.gaveUp(error));
      return false;
    }
    // Time offline is not time without progress: the budget starts over with the network.
    this.#streak = newStreak(clock.now());
    this.#job.apply({ type: 'next-attempt' });
    return true;
  }

  /**
   * Polls the vendor's import status. The bytes are delivered by now, so nothing here ever
   * sends them again: a status that cannot be read is retried, then given up on.
   */
  async #awaitProcessing(remoteId: string, processing: NonNullable<TargetSpec['processing']>): Promise<void> {
    const { clock, http } = this.ports;
    const url = processing.statusUrl(remoteId);
    const started = clock.now();
    let streak = newStreak(started);
    for (let poll = 1; ; poll += 1) {
      await clock.sleep(backoffCeiling(POLL_INTERVALS, poll), this.#signal);
      if (clock.now() - started > processing.maxMs) {
        const hours = Math.round(processing.maxMs / 3_600_000);
        this.#fail(
          new DeliveryError('server', `delivered as ${remoteId}, but still not imported after ${hours} h`),
        );
        return;
      }
      let failure: DeliveryError;
      try {
        const response = await withStallGuard(clock, this.target.stallMs, this.#signal, (signal) =>
          http.request({
            method: 'GET',
            url,
            headers: {
              accept: 'application/json',
              ...authHeaders(this.target.protocol.spec.auth, this.#token),
            },
            signal,
          }),
        );
        if (response.status < 200 || response.status > 299) throw errorFromResponse(response, 'status');
        const status = readProcessingStatus(response);
        switch (status.phase) {
          case 'working':
            streak = newStreak(clock.now());
            continue;
          case 'completed':
            this.#job.apply({ type: 'complete', remoteId });
            return;
          case 'failed':
            this.#fail(
              new DeliveryError('vendor-rejected', `the vendor could not import the file: ${status.message}`),
            );
            return;
          default:
            return assertNever(status);
        }
      } catch (error) {
        if (this.#signal.aborted) throw error;
        failure = this.#scrub(toDeliveryError(error));
      }
      const action = classify(failure);
      if (action === 'fail' || action === 'stop-target') {
        this.#fail(failure);
        return;
      }
      streak = countFailure(streak);
      const now = clock.now();
      const decision = decideRetry(this.target.retry, {
        streak,
        now,
        random: this.ports.random(),
        retryAfterMs: failure.retryAfter === undefined ? undefined : parseRetryAfter(failure.retryAfter, now),
      });
      if (decision.action === 'give-up') {
        this.#fail(
          new DeliveryError(
            failure.kind,
            `delivered as ${remoteId}, but its import status could not be read: ${decision.reason}; last error: ${failure.message}`,
          ),
        );
        return;
      }
      if (failure.kind === 'rate-limited') this.target.gate.slowDown(now + decision.delayMs);
      await clock.sleep(decision.delayMs, this.#signal);
    }
  }

  async #attempt(): Promise<AttemptOutcome> {
    const progress: SendProgress = { sent: 0, short: false };
    try {
      const stopped = this.target.gate.stoppedBy;
      if (stopped !== undefined) return { type: 'error', error: stopped, sent: 0 };
      const wait = this.target.gate.waitMs(this.ports.clock.now());
      if (wait > 0) await this.ports.clock.sleep(wait, this.#signal);

      const before = await this.ports.files.stat(this.file.path);
      if (sizeRefusal(before, this.target) !== undefined) return { type: 'changed' };
      const { protocol } = this.target;
      if (protocol.kind === 's3-multipart') return await this.#sendMultipart(protocol.spec, before);
      const sent =
        protocol.kind === 'form'
          ? await this.#sendForm(protocol.spec, before.size, progress)
          : await this.#sendPresigned(protocol.spec, before.size, progress);
      if (progress.short) return { type: 'changed' };
      if (sent.response.status < 200 || sent.response.status > 299) {
        return { type: 'error', error: errorFromResponse(sent.response, 'upload'), sent: progress.sent };
      }
      let remoteId: string;
      try {
        remoteId = sent.remoteId();
      } catch (error) {
        return { type: 'unconfirmed', error: toDeliveryError(error) };
      }
      return (await this.#changedSince(before)) ? { type: 'changed' } : { type: 'delivered', remoteId };
    } catch (error) {
      if (this.#signal.aborted) throw error;
      if (progress.short) return { type: 'changed' };
      return { type: 'error', error: toDeliveryError(error), sent: progress.sent };
    }
  }

  /** Multipart checkpoints are kept per file and target; a URL also names the file to the vendor. */
  get #uploadKey(): string {
    return checkpointKey(this.target.name, this.file.path);
  }

  get #grantKey(): string {
    return `${this.#uploadKey}\n${this.file.variables.filename ?? ''}`;
  }

  /** The delivery is recorded: nothing is left to resume. */
  async #forgetUpload(): Promise<void> {
    await this.#grants.clear(this.#grantKey);
    await this.#checkpoints.clear(this.#uploadKey);
  }

  /**
   * The URL an interrupted run was sending to, on the first attempt, so the same object is
   * written again (an expired one is answered 403 and replaced); otherwise a fresh URL, kept
   * durably before any byte goes out.
   */
  async #grantFor(spec: PresignedPutSpec): Promise<UrlGrant> {
    if (this.#mayResumeGrant) {
      this.#mayResumeGrant = false;
      const saved = await this.#grants.load(this.#grantKey);
      if (saved !== undefined) {
        this.ports.logger.info(
          { ...this.#log, remoteId: saved.remoteId },
          'resuming an interrupted upload with the URL it was given',
        );
        return saved;
      }
    }
    const grant = await this.#requestUrl(spec);
    await this.#grants.save(this.#grantKey, { remoteId: grant.remoteId, url: grant.url });
    return grant;
  }

  async #sendPresigned(spec: PresignedPutSpec, size: number, progress: SendProgress): Promise<Sent> {
    const grant = await this.#grantFor(spec);
    this.#job.apply({ type: 'url-granted', total: size });
    const response = await this.#send(size, 0, progress, (stream) => ({
      method: 'PUT',
      url: grant.url,
      // A refused PUT (expired URL) is then answered before the body goes out, not after.
      headers: { 'content-length': String(size), expect: '100-continue' },
      body: { stream, length: size },
    }));
    return { response, remoteId: () => grant.remoteId };
  }

  async #sendMultipart(spec: MultipartSpec, before: FileInfo): Promise<AttemptOutcome> {
    const report = this.#progressReporter(before.size);
    const outcome = await sendMultipart(
      {
        ...this.ports,
        checkpoints: this.#checkpoints,
        spec,
        target: this.target,
        path: this.file.path,
        variables: this.file.variables,
        token: this.#token,
        signal: this.#signal,
        scrub: (error) => this.#scrub(error),
        log: this.#log,
        onStarted: (total) => {
          this.#job.apply({ type: 'url-granted', total });
        },
        onProgress: report,
      },
      before,
    );
    if (outcome.type !== 'delivered') return outcome;
    return (await this.#changedSince(before)) ? { type: 'changed' } : outcome;
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
    return !sameFile(before, after);
  }

  /** Moves the job's `sent` and emits progress events, at most every PROGRESS_EVERY_MS. */
  #progressReporter(size: number): (sent: number) => void {
    let window: readonly ProgressSample[] = [];
    let lastEmit = Number.NEGATIVE_INFINITY;
    return (sent) => {
      const at = this.ports.clock.now();
      window = addSample(window, { at, sent });
      if (this.#job.state.status === 'uploading') this.#job.apply({ type: 'progress', sent });
      if (at - lastEmit >= PROGRESS_EVERY_MS || sent === size) {
        lastEmit = at;
        this.options.onProgress?.(measure(window, size));
      }
    };
  }

  async #sendForm(spec: FormSpec, size: number, progress: SendProgress): Promise<Sent> {
    // There is no URL to ask for: the job passes through `requesting-url` at once.
    this.#job.apply({ type: 'url-granted', total: size });
    const boundary = formBoundary(this.ports.random);
    const name = this.file.variables.filename ?? this.file.path;
    let offset = 0;
    const response = await this.#send(
      size,
      () => offset,
      progress,
      (stream) => {
        const form = formUpload(spec, this.file.variables, this.#token, { name, size, stream }, boundary);
        offset = form.fileOffset;
        return { method: 'POST', url: form.url, headers: form.headers, body: form.body };
      },
    );
    return { response, remoteId: () => readTaskId(spec, response) };
  }

  async #requestUrl(spec: PresignedPutSpec): Promise<UrlGrant> {
    const { http, clock, logger } = this.ports;
    const request = grantRequest(spec, this.file.variables, this.#token);
    logger.debug({ ...this.#log, endpoint: request.url }, 'requesting an upload URL');
    const response = await withStallGuard(clock, this.target.stallMs, this.#signal, (signal) =>
      http.request({
        method: 'POST',
        url: request.url,
        headers: request.headers,
        body: request.body,
        signal,
      }),
    );
    if (response.status < 200 || response.status > 299) throw errorFromResponse(response, 'url-request');
    return readGrant(spec, response);
  }

  /**
   * Sends the file's bytes in the request `build` makes around them, under the stall guard,
   * reporting progress in file bytes (`offset` is what precedes them in the body).
   */
  async #send(
    size: number,
    offset: number | (() => number),
    progress: SendProgress,
    build: (stream: AsyncIterable<Uint8Array>) => Omit<HttpRequest, 'signal' | 'onUploadProgress'>,
  ): Promise<HttpResponse> {
    const { http, clock, files } = this.ports;
    let window: readonly ProgressSample[] = [];
    let lastEmit = Number.NEGATIVE_INFINITY;
    return withStallGuard(clock, this.target.stallMs, this.#signal, (signal, touch) => {
      const stream = exactly(files.read(this.file.path, signal), size, () => {
        progress.short = true;
      });
      return http.request({
        ...build(stream),
        signal,
        onUploadProgress: (bodySent) => {
          touch();
          const before = typeof offset === 'number' ? offset : offset();
          const sent = Math.min(size, Math.max(0, bodySent - before));
          progress.sent = sent;
          const at = clock.now();
          window = addSample(window, { at, sent });
          if (this.#job.state.status === 'uploading') this.#job.apply({ type: 'progress', sent });
          if (at - lastEmit >= PROGRESS_EVERY_MS || sent === size) {
            lastEmit = at;
            this.options.onProgress?.(measure(window, size));
          }
        },
      });
    });
  }
}

/**
 * Delivers one file to one target, exactly once as far as the vendor can tell: refuses
 * empty and oversized files before any network call, streams the bytes with Content-Length,
 * retries what can be retried, sends the file again when it changed underneath the upload,
 * and follows the vendor's import status where the profile has one. The job starts `queued`
 * and ends completed, failed, rejected, or (with `onTokenRejected: 'hold'`) queued again;
 * an abort rejects with the signal's reason and leaves the job where it was.
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
  const job = new JobRecorder(ports.clock, { status: 'queued' }, (state, at) =>
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
