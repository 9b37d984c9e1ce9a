import { classify, DeliveryError, toDeliveryError } from '../delivery-error.js';
import { FileChanged, type Pacer } from '../pacer.js';
import type { HttpRequest, HttpResponse, MultipartCheckpoint, UploadedPart } from '../ports.js';
import { ensureOk } from '../vendor-answer.js';
import { partRanges, partSizeFor, type PartRange } from './multipart-plan.js';
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
} from './multipart-requests.js';
import type { Upload } from './protocol.js';
import { authHeaders, templateRequest } from './token-request.js';
import { continueFor, request, sendFile } from './vendor-requests.js';

/** Parts sent at once: enough to fill a fast link, few enough that a crash re-sends little. */
export const PART_CONCURRENCY = 4;

/**
 * One S3 multipart upload of a file: resumed from its checkpoint when the server still holds
 * the earlier run's upload, else created; then the parts the server lacks, a few at once, each
 * request paced on its own (one flaky part does not spend the budget of the others); then the
 * complete request. The job sees no retry-waits: parts carry on while one of them waits.
 */
class MultipartUpload {
  /** Stops every worker when one of them fails; follows the upload's own signal. */
  readonly #stop = new AbortController();
  readonly #pacer: Pacer;
  readonly #done = new Map<number, UploadedPart>();
  readonly #inFlight = new Map<number, number>();
  #saving: Promise<void> = Promise.resolve();
  #assembledId = '';
  /** The upload at the vendor, once created or resumed. */
  #created: CreatedUpload | undefined;

  constructor(
    private readonly spec: MultipartSpec,
    private readonly upload: Upload,
    private readonly concurrency: number,
  ) {
    this.#pacer = upload.pacer.withSignal(this.#stop.signal);
  }

  get #headers(): Record<string, string> {
    return { accept: 'application/json', ...authHeaders(this.spec.auth, this.upload.token) };
  }

  /** The requests of this upload stop with any worker's failure as well as with a pause. */
  get #requests() {
    return { ...this.upload, signal: this.#stop.signal };
  }

  async run(): Promise<string> {
    const { signal } = this.upload;
    const forward = () => {
      this.#stop.abort(signal.reason);
    };
    signal.addEventListener('abort', forward, { once: true });
    try {
      return await this.#run();
    } catch (error) {
      if (!signal.aborted) throw error;
      // A changed file is not resumed: the vendor must not keep parts of the old version.
      if (signal.reason instanceof FileChanged && this.#created !== undefined) {
        await this.#saving;
        await this.#abandon(this.#created, new AbortController().signal);
      }
      throw signal.reason as Error;
    } finally {
      signal.removeEventListener('abort', forward);
      await this.#saving;
    }
  }

  async #run(): Promise<string> {
    const { size } = this.upload;
    const partSize = partSizeFor(size);
    const upload = await this.#resumeOrCreate(partSize);
    this.upload.started(size);
    if (upload === 'assembled') return this.#assembledId;
    this.#created = upload;
    const ranges = partRanges(size, partSize);
    this.#reportProgress();
    const missing = ranges.filter((r) => !this.#done.has(r.partNumber));
    if (missing.length < ranges.length) {
      this.upload.ports.logger.info(
        { ...this.upload.log, held: ranges.length - missing.length, missing: missing.length },
        'resuming a multipart upload: sending only the parts the server lacks',
      );
    }
    let answer: HttpResponse;
    try {
      await this.#sendParts(upload, missing, partSize);
      await this.#saving;
      // From here the server may assemble the upload at any moment: a crash must not start over.
      await this.upload.checkpoint.save({ ...this.#checkpoint(upload, partSize), completing: true });
      answer = await this.#call(
        'complete',
        {
          method: 'POST',
          url: completeUrl(this.spec, upload.uploadId),
          headers: { ...this.#headers, 'content-type': 'application/json' },
          body: completeBody([...this.#done.values()]),
        },
        (response) => response,
      );
    } catch (error) {
      // A refusal is final for this upload: resuming it would only be refused again. A budget
      // that ran out (a retryable kind) keeps the upload for a later resume.
      if (error instanceof DeliveryError && classify(error) === 'fail') await this.#abandon(upload);
      throw error;
    }
    try {
      JSON.parse(answer.body);
    } catch {
      // Outside the retries: the server may have assembled the file, so it is not sent again.
      throw new DeliveryError(
        'bad-answer',
        `the complete request answered HTTP ${answer.status} with a body that is not JSON`,
      );
    }
    // The checkpoint stays until the delivery is recorded (see JobDeliveryOptions.onDelivered).
    return upload.remoteId;
  }

  /**
   * The upload of an earlier run of the same file when the server still has it, else a new one;
   * `assembled` when the earlier run sent its complete request and the server has done it.
   */
  async #resumeOrCreate(partSize: number): Promise<CreatedUpload | 'assembled'> {
    const { logger } = this.upload.ports;
    const saved = await this.upload.checkpoint.load();
    if (saved !== undefined) {
      const same =
        saved.size === this.upload.size &&
        saved.mtimeMs === this.upload.mtimeMs &&
        saved.partSize === partSize;
      const held = same ? await this.#serverParts(saved.uploadId) : undefined;
      if (same && held === undefined && saved.completing === true) {
        logger.info(
          { ...this.upload.log, remoteId: saved.remoteId },
          'the earlier run completed this multipart upload before it stopped',
        );
        this.#assembledId = saved.remoteId;
        return 'assembled';
      }
      if (held !== undefined) {
        const ranges = partRanges(this.upload.size, partSize);
        for (const part of held) {
          const range = ranges[part.partNumber - 1];
          // A part of another size is not one of ours: send it again.
          if (range !== undefined && range.end - range.start === part.size)
            this.#done.set(part.partNumber, part);
        }
        return { uploadId: saved.uploadId, remoteId: saved.remoteId };
      }
      if (!same) {
        logger.info(this.upload.log, 'the file changed since its multipart upload began: starting over');
        await this.#abandon(saved);
      }
    }
    const create = templateRequest(this.spec, this.upload.variables, this.upload.token);
    const created = await this.#call('create-upload', { method: 'POST', ...create }, readCreated);
    await this.upload.checkpoint.save(this.#checkpoint(created, partSize));
    return created;
  }

  /** What the server holds of an upload; undefined when it no longer knows the upload. */
  async #serverParts(uploadId: string): Promise<UploadedPart[] | undefined> {
    try {
      const url = listPartsUrl(this.spec, uploadId);
      return await this.#call('list-parts', { method: 'GET', url, headers: this.#headers }, readParts);
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.status !== 404) throw error;
      this.upload.ports.logger.info(
        this.upload.log,
        'the server no longer has the earlier upload: starting over',
      );
      return undefined;
    }
  }

  #checkpoint(upload: CreatedUpload, partSize: number): MultipartCheckpoint {
    return {
      uploadId: upload.uploadId,
      remoteId: upload.remoteId,
      partSize,
      size: this.upload.size,
      mtimeMs: this.upload.mtimeMs,
      parts: [...this.#done.values()].sort((a, b) => a.partNumber - b.partNumber),
    };
  }

  /** Frees the server's parts of an upload that will never complete (best effort), and forgets it. */
  async #abandon(upload: Pick<CreatedUpload, 'uploadId'>, signal = this.upload.signal): Promise<void> {
    try {
      await request(
        { ...this.upload, signal },
        { method: 'DELETE', url: uploadUrl(this.spec, upload.uploadId), headers: this.#headers },
      );
    } catch (error) {
      if (signal.aborted) throw error;
      this.upload.ports.logger.debug(
        { ...this.upload.log, error: toDeliveryError(error).message },
        'could not abort the multipart upload',
      );
    }
    await this.upload.checkpoint.clear();
  }

  async #sendParts(upload: CreatedUpload, missing: readonly PartRange[], partSize: number): Promise<void> {
    const queue = [...missing];
    const worker = async () => {
      for (let range = queue.shift(); range !== undefined; range = queue.shift()) {
        await this.#sendPart(upload, range);
        this.#saving = this.#saving
          .then(() => this.upload.checkpoint.save(this.#checkpoint(upload, partSize)))
          .catch((error: unknown) => {
            // A lost checkpoint only costs a resend after a crash; the upload itself is fine.
            this.upload.ports.logger.warn(
              { ...this.upload.log, error: toDeliveryError(error).message },
              'could not save the multipart checkpoint',
            );
          });
      }
    };
    const workers = Array.from({ length: Math.min(this.concurrency, queue.length) }, () =>
      worker().catch((error: unknown) => {
        // The first failure stops the others; theirs are only the echo of that stop.
        if (!this.#stop.signal.aborted) this.#stop.abort(error);
        throw error;
      }),
    );
    await Promise.allSettled(workers);
    if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
  }

  /** One part: a fresh presigned URL for every attempt, the byte range streamed with its length. */
  async #sendPart(upload: CreatedUpload, range: PartRange): Promise<void> {
    const length = range.end - range.start;
    const etag = await this.#pacer.run({ what: `part ${range.partNumber}` }, async (attempt) => {
      const grant = await request(this.#requests, {
        method: 'POST',
        url: partUrlRequestUrl(this.spec, upload.uploadId, range.partNumber),
        headers: this.#headers,
      });
      const url = readPartUrl(ensureOk(grant, 'url-request'));
      this.upload.ports.logger.debug(
        { ...this.upload.log, part: range.partNumber, bytes: length },
        'sending a part',
      );
      try {
        const answer = await sendFile(
          this.#requests,
          attempt,
          (stream) => ({
            method: 'PUT',
            url,
            headers: { 'content-length': String(length), ...continueFor(length) },
            body: { stream, length },
          }),
          {
            range,
            onSent: (sent) => {
              this.#inFlight.set(range.partNumber, sent);
              this.#reportProgress();
            },
          },
        );
        return readEtag(ensureOk(answer, 'upload'));
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
    this.upload.progress(sent);
  }

  /** One request of the upload with the target's token, paced on its own with the reading of its answer. */
  #call<T>(what: string, call: Omit<HttpRequest, 'signal'>, read: (answer: HttpResponse) => T): Promise<T> {
    return this.#pacer.run({ what }, async () =>
      read(ensureOk(await request(this.#requests, call), 'url-request')),
    );
  }
}

/**
 * Sends a file as an S3 multipart upload: parts of at least 5 MiB, a few at once, each
 * retried on its own with a fresh presigned URL. Every finished part is checkpointed, and
 * a run that finds a checkpoint of the same file asks the server which parts it holds and
 * sends only the others, so a crash costs at most the parts that were in flight.
 */
export function sendMultipart(
  spec: MultipartSpec,
  upload: Upload,
  concurrency = PART_CONCURRENCY,
): Promise<string> {
  return new MultipartUpload(spec, upload, concurrency).run();
}
