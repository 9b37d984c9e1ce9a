import { classify, DeliveryError, toDeliveryError } from './delivery-error.js';
import { exactly } from './exact-length.js';
import {
  completeBody,
  completeUrl,
  listPartsUrl,
  partUrlRequestUrl,
  readCreated,
  readEtag,
  readPartUrl,
  readParts,
  uploadUrl,
  type CreatedUpload,
  type MultipartSpec,
} from './multipart-profile.js';
import { partRanges, partSizeFor, type PartRange } from './multipart-plan.js';
import type {
  Clock,
  FileInfo,
  Files,
  Http,
  HttpRequest,
  HttpResponse,
  LogFields,
  Logger,
  MultipartCheckpoint,
  MultipartCheckpoints,
  UploadedPart,
} from './ports.js';
import { authHeaders, grantRequest } from './presigned-put-profile.js';
import { isUnreachable } from './reachability.js';
import { countFailure, decideRetry, newStreak, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import { withStallGuard } from './stall-guard.js';
import type { TargetGate } from './target-gate.js';
import { errorFromResponse } from './vendor-answer.js';

/** Parts sent at once: enough to fill a fast link, few enough that a crash re-sends little. */
export const PART_CONCURRENCY = 4;

export interface MultipartContext {
  readonly clock: Clock;
  readonly files: Files;
  readonly http: Http;
  readonly logger: Logger;
  readonly random: () => number;
  readonly checkpoints: MultipartCheckpoints;
  readonly spec: MultipartSpec;
  readonly target: {
    readonly name: string;
    readonly retry: RetryPolicy;
    readonly stallMs: number;
    readonly gate: TargetGate;
  };
  readonly path: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly token: string;
  /** Aborting pauses: the checkpoint stays, so the next run resumes. */
  readonly signal: AbortSignal;
  /** Cuts the token out of a vendor's message. */
  readonly scrub: (error: DeliveryError) => DeliveryError;
  readonly log: LogFields;
  /** The upload exists on the server; bytes are about to move. */
  readonly onStarted: (total: number) => void;
  /** File bytes the server holds or is receiving. */
  readonly onProgress: (sent: number) => void;
  readonly concurrency?: number;
}

export type MultipartOutcome =
  | { readonly type: 'delivered'; readonly remoteId: string }
  /** The file changed (or shrank) under the upload: the caller sends it again. */
  | { readonly type: 'changed' }
  /** Retried as far as the policy allows, or not retryable: the job fails with this. */
  | { readonly type: 'failed'; readonly error: DeliveryError }
  /** The server may have assembled the object but its answer cannot be read. */
  | { readonly type: 'unconfirmed'; readonly error: DeliveryError };

/** Thrown inside the upload to end it; carries the error the job fails with. */
class Fatal extends Error {
  constructor(
    readonly error: DeliveryError,
    /** A retryable error whose budget ran out: the upload is kept for a later resume. */
    readonly exhausted: boolean,
  ) {
    super(error.message);
  }
}

class FileChanged extends Error {}

/** The checkpoint of one file for one target. */
export function checkpointKey(target: string, path: string): string {
  return `${target}\n${path}`;
}

function ok(response: HttpResponse): boolean {
  return response.status >= 200 && response.status <= 299;
}

class MultipartUpload {
  readonly #key: string;
  /** Stops every worker when one of them hits a fatal error; follows the caller's signal. */
  readonly #stop = new AbortController();
  readonly #done = new Map<number, UploadedPart>();
  readonly #inFlight = new Map<number, number>();
  #saving: Promise<void> = Promise.resolve();
  #changed = false;
  #assembledId = '';

  constructor(private readonly ctx: MultipartContext) {
    this.#key = checkpointKey(ctx.target.name, ctx.path);
  }

  get #headers(): Record<string, string> {
    return { accept: 'application/json', ...authHeaders(this.ctx.spec.auth, this.ctx.token) };
  }

  async run(before: FileInfo): Promise<MultipartOutcome> {
    const { signal } = this.ctx;
    const forward = () => {
      this.#stop.abort(signal.reason);
    };
    signal.addEventListener('abort', forward, { once: true });
    try {
      return await this.#run(before);
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof FileChanged || this.#changed) return { type: 'changed' };
      if (error instanceof Fatal) return { type: 'failed', error: error.error };
      throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      await this.#saving;
    }
  }

  async #run(before: FileInfo): Promise<MultipartOutcome> {
    const partSize = partSizeFor(before.size);
    const upload = await this.#resumeOrCreate(before, partSize);
    if (upload === 'assembled') {
      this.ctx.onStarted(before.size);
      return { type: 'delivered', remoteId: this.#assembledId };
    }
    const ranges = partRanges(before.size, partSize);
    this.ctx.onStarted(before.size);
    this.#reportProgress();
    const missing = ranges.filter((r) => !this.#done.has(r.partNumber));
    if (missing.length < ranges.length) {
      this.ctx.logger.info(
        { ...this.ctx.log, held: ranges.length - missing.length, missing: missing.length },
        'resuming a multipart upload: sending only the parts the server lacks',
      );
    }
    let response: HttpResponse;
    try {
      await this.#sendParts(upload, missing, partSize, before);
      await this.#saving;
      // From here the server may assemble the upload at any moment: a crash must not start over.
      await this.ctx.checkpoints.save(this.#key, {
        ...this.#checkpoint(upload, before, partSize),
        completing: true,
      });
      response = await this.#retrying('complete', () =>
        this.#call({
          method: 'POST',
          url: completeUrl(this.ctx.spec, upload.uploadId),
          headers: { ...this.#headers, 'content-type': 'application/json' },
          body: completeBody([...this.#done.values()]),
        }),
      );
    } catch (error) {
      // A refusal is final for this upload: resuming it would only be refused again.
      if (error instanceof Fatal && !error.exhausted && classify(error.error) === 'fail') {
        await this.#abandon(upload);
      }
      throw error;
    }
    try {
      JSON.parse(response.body);
    } catch {
      return {
        type: 'unconfirmed',
        error: new DeliveryError(
          'bad-answer',
          `the complete request answered HTTP ${response.status} with a body that is not JSON`,
        ),
      };
    }
    // The checkpoint stays until the delivery is recorded (see DeliveryOptions.onDelivered).
    return { type: 'delivered', remoteId: upload.remoteId };
  }

  /**
   * The upload of an earlier run of the same file when the server still has it, else a new one;
   * `assembled` when the earlier run sent its complete request and the server has done it.
   */
  async #resumeOrCreate(before: FileInfo, partSize: number): Promise<CreatedUpload | 'assembled'> {
    const saved = await this.ctx.checkpoints.load(this.#key);
    if (saved !== undefined) {
      const same =
        saved.size === before.size && saved.mtimeMs === before.mtimeMs && saved.partSize === partSize;
      if (same) {
        const held = await this.#serverParts(saved.uploadId);
        if (held === undefined && saved.completing === true) {
          this.ctx.logger.info(
            { ...this.ctx.log, remoteId: saved.remoteId },
            'the earlier run completed this multipart upload before it stopped',
          );
          this.#assembledId = saved.remoteId;
          return 'assembled';
        }
        if (held !== undefined) {
          const ranges = partRanges(before.size, partSize);
          for (const part of held) {
            const range = ranges[part.partNumber - 1];
            // A part of another size is not one of ours: send it again.
            if (range !== undefined && range.end - range.start === part.size)
              this.#done.set(part.partNumber, part);
          }
          return { uploadId: saved.uploadId, remoteId: saved.remoteId };
        }
      } else {
        this.ctx.logger.info(
          this.ctx.log,
          'the file changed since its multipart upload began: starting over',
        );
        await this.#abandon(saved);
      }
      await this.ctx.checkpoints.clear(this.#key);
    }
    const request = grantRequest(this.ctx.spec, this.ctx.variables, this.ctx.token);
    const created = await this.#retrying('create-upload', async () =>
      readCreated(
        await this.#call({ method: 'POST', url: request.url, headers: request.headers, body: request.body }),
      ),
    );
    await this.ctx.checkpoints.save(this.#key, this.#checkpoint(created, before, partSize));
    return created;
  }

  /** What the server holds of an upload; undefined when it no longer knows the upload. */
  async #serverParts(uploadId: string): Promise<UploadedPart[] | undefined> {
    try {
      return await this.#retrying('list-parts', async () =>
        readParts(
          await this.#call({
            method: 'GET',
            url: listPartsUrl(this.ctx.spec, uploadId),
            headers: this.#headers,
          }),
        ),
      );
    } catch (error) {
      if (error instanceof Fatal && error.error.status === 404) {
        this.ctx.logger.info(this.ctx.log, 'the server no longer has the earlier upload: starting over');
        return undefined;
      }
      throw error;
    }
  }

  #checkpoint(upload: CreatedUpload, file: FileInfo, partSize: number): MultipartCheckpoint {
    return {
      uploadId: upload.uploadId,
      remoteId: upload.remoteId,
      partSize,
      size: file.size,
      mtimeMs: file.mtimeMs,
      parts: [...this.#done.values()].sort((a, b) => a.partNumber - b.partNumber),
    };
  }

  /** Frees the server's parts of an upload that will never complete. Best effort. */
  async #abandon(upload: Pick<CreatedUpload, 'uploadId'>): Promise<void> {
    try {
      await this.ctx.http.request({
        method: 'DELETE',
        url: uploadUrl(this.ctx.spec, upload.uploadId),
        headers: this.#headers,
        signal: this.ctx.signal,
      });
    } catch (error) {
      if (this.ctx.signal.aborted) throw error;
      this.ctx.logger.debug(
        { ...this.ctx.log, error: toDeliveryError(error).message },
        'could not abort the multipart upload',
      );
    }
    await this.ctx.checkpoints.clear(this.#key);
  }

  async #sendParts(
    upload: CreatedUpload,
    missing: readonly PartRange[],
    partSize: number,
    file: FileInfo,
  ): Promise<void> {
    const queue = [...missing];
    const worker = async () => {
      for (let range = queue.shift(); range !== undefined; range = queue.shift()) {
        await this.#sendPart(upload, range);
        this.#saving = this.#saving
          .then(() => this.ctx.checkpoints.save(this.#key, this.#checkpoint(upload, file, partSize)))
          .catch((error: unknown) => {
            // A lost checkpoint only costs a resend after a crash; the upload itself is fine.
            this.ctx.logger.warn(
              { ...this.ctx.log, error: toDeliveryError(error).message },
              'could not save the multipart checkpoint',
            );
          });
      }
    };
    const workers = Array.from(
      { length: Math.min(this.ctx.concurrency ?? PART_CONCURRENCY, queue.length) },
      () =>
        worker().catch((error: unknown) => {
          // The first failure stops the others; theirs are only the echo of that stop.
          this.#stop.abort(error);
          throw error;
        }),
    );
    const results = await Promise.allSettled(workers);
    if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected !== undefined) throw rejected.reason;
  }

  /** One part: a fresh presigned URL for every attempt, the byte range streamed with its length. */
  async #sendPart(upload: CreatedUpload, range: PartRange): Promise<void> {
    const length = range.end - range.start;
    const what = `part ${range.partNumber}`;
    const etag = await this.#retrying(what, async () => {
      const grant = await this.#call({
        method: 'POST',
        url: partUrlRequestUrl(this.ctx.spec, upload.uploadId, range.partNumber),
        headers: this.#headers,
      });
      const url = readPartUrl(grant);
      this.ctx.logger.debug({ ...this.ctx.log, part: range.partNumber, bytes: length }, 'sending a part');
      const { clock, files, http } = this.ctx;
      try {
        const response = await withStallGuard(
          clock,
          this.ctx.target.stallMs,
          this.#stop.signal,
          (signal, touch) =>
            http.request({
              method: 'PUT',
              url,
              headers: { 'content-length': String(length), expect: '100-continue' },
              body: {
                stream: exactly(files.read(this.ctx.path, signal, range), length, () => {
                  this.#changed = true;
                }),
                length,
              },
              signal,
              onUploadProgress: (sent) => {
                touch();
                this.#inFlight.set(range.partNumber, Math.min(length, sent));
                this.#reportProgress();
              },
            }),
        );
        if (!ok(response)) throw errorFromResponse(response, 'upload');
        return readEtag(response);
      } finally {
        this.#inFlight.delete(range.partNumber);
      }
    });
    this.#done.set(range.partNumber, { partNumber: range.partNumber, etag, size: length });
    this.#reportProgress();
  }

  #reportProgress(): void {
    let sent = 0;
    for (const part of this.#done.values()) sent += part.size;
    for (const bytes of this.#inFlight.values()) sent += bytes;
    this.ctx.onProgress(sent);
  }

  /** One request with the target's token, under the stall guard; non-2xx answers throw. */
  async #call(request: Omit<HttpRequest, 'signal'>): Promise<HttpResponse> {
    const response = await withStallGuard(
      this.ctx.clock,
      this.ctx.target.stallMs,
      this.#stop.signal,
      (signal) => this.ctx.http.request({ ...request, signal }),
    );
    if (!ok(response)) throw errorFromResponse(response, 'url-request');
    return response;
  }

  /**
   * Runs `op` until it succeeds, under the target's retry policy: each request has its own
   * streak, so one flaky part does not spend the budget of the others.
   */
  async #retrying<T>(what: string, op: () => Promise<T>): Promise<T> {
    const { clock, target } = this.ctx;
    let streak = newStreak(clock.now());
    for (;;) {
      const stopped = target.gate.stoppedBy;
      if (stopped !== undefined) throw new Fatal(stopped, false);
      const wait = target.gate.waitMs(clock.now());
      if (wait > 0) await clock.sleep(wait, this.#stop.signal);
      let error: DeliveryError;
      try {
        return await op();
      } catch (thrown) {
        if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
        if (this.#changed) throw new FileChanged();
        error = this.ctx.scrub(toDeliveryError(thrown));
      }
      const action = classify(error);
      if (action === 'fail' || action === 'stop-target') throw new Fatal(error, false);
      if (isUnreachable(error)) {
        // Nothing answers (offline, or the machine slept): wait for the vendor without
        // spending the part's retry budget, as single-request deliveries do.
        this.ctx.logger.info(
          { ...this.ctx.log, code: error.code },
          `${what}: offline, waiting: ${error.message}`,
        );
        const { reachability } = target.gate;
        if (!(await reachability.waitUntilReachable(this.ctx, this.ctx.spec.endpoint, this.#stop.signal)))
          throw new Fatal(reachability.gaveUp(error), false);
        streak = newStreak(clock.now());
        continue;
      }
      streak = countFailure(streak);
      const now = clock.now();
      const decision = decideRetry(target.retry, {
        streak,
        now,
        random: this.ctx.random(),
        retryAfterMs: error.retryAfter === undefined ? undefined : parseRetryAfter(error.retryAfter, now),
        immediate: action === 'refresh-url',
      });
      if (decision.action === 'give-up') {
        const final = new DeliveryError(
          error.kind,
          `${what}: ${decision.reason}; last error: ${error.message}`,
          {
            ...(error.status === undefined ? {} : { status: error.status }),
          },
        );
        throw new Fatal(final, true);
      }
      if (error.kind === 'rate-limited') target.gate.slowDown(now + decision.delayMs);
      this.ctx.logger.info(
        { ...this.ctx.log, kind: error.kind, attempt: decision.attempt, delayMs: decision.delayMs },
        `${what} failed, retrying: ${error.message}`,
      );
      await clock.sleep(decision.delayMs, this.#stop.signal);
    }
  }
}

/**
 * Sends a file as an S3 multipart upload: parts of at least 5 MiB, a few at once, each
 * retried on its own with a fresh presigned URL. Every finished part is checkpointed, and
 * a run that finds a checkpoint of the same file asks the server which parts it holds and
 * sends only the others, so a crash costs at most the parts that were in flight.
 */
export function sendMultipart(ctx: MultipartContext, before: FileInfo): Promise<MultipartOutcome> {
  return new MultipartUpload(ctx).run(before);
}
