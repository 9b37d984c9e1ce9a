import { rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3Credentials } from './presigner.js';

/** s3rver's built-in account: any SigV4 client (rclone, aws-cli) can use the raw store with it. */
export const STORE_CREDENTIALS: S3Credentials = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  region: 'us-east-1',
};

export interface StoredPart {
  readonly partNumber: number;
  readonly etag: string;
}

function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/"/g, '');
}

/**
 * The S3-protocol store behind the sandbox: s3rver on its own loopback port. The sandbox
 * talks to it over real HTTP, streaming bodies, and never through s3rver's internals,
 * except to drop an aborted multipart upload (s3rver has no AbortMultipartUpload).
 */
export class ObjectStore {
  private readonly client: S3Client;

  private constructor(
    private readonly server: S3rver,
    private readonly directory: string,
    readonly bucket: string,
    readonly port: number,
  ) {
    this.client = new S3Client({
      endpoint: this.endpoint,
      forcePathStyle: true,
      region: STORE_CREDENTIALS.region,
      credentials: {
        accessKeyId: STORE_CREDENTIALS.accessKeyId,
        secretAccessKey: STORE_CREDENTIALS.secretAccessKey,
      },
      // s3rver understands neither aws-chunked bodies nor checksum trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  static async start(directory: string, bucket: string): Promise<ObjectStore> {
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    });
    const { port } = await server.run();
    return new ObjectStore(server, directory, bucket, port);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private objectPath(key: string): string {
    return `/${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * Streams `body` through `meter` into the object (or into one part of a multipart
   * upload) and resolves with s3rver's answer. Rejects if either side breaks off.
   */
  async put(
    key: string,
    body: Readable,
    meter: Transform,
    length: number | undefined,
    part?: { readonly uploadId: string; readonly partNumber: number },
  ): Promise<{ readonly status: number; readonly etag: string | undefined }> {
    const query =
      part === undefined
        ? ''
        : `?partNumber=${part.partNumber}&uploadId=${encodeURIComponent(part.uploadId)}`;
    const upstream = httpRequest({
      host: '127.0.0.1',
      port: this.port,
      method: 'PUT',
      path: `${this.objectPath(key)}${query}`,
      headers:
        length === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(length) },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
    });
    // Keep a failure here from surfacing as unhandled while the pipeline reports it.
    answered.catch(() => undefined);
    await pipeline(body, meter, upstream);
    const response = await answered;
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    return { status: response.statusCode ?? 0, etag: unquote(response.headers.etag) };
  }

  /** The object's bytes as a stream, or undefined when there is no such object. */
  async get(key: string): Promise<IncomingMessage | undefined> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: this.port, method: 'GET', path: this.objectPath(key) }, resolve)
        .once('error', reject)
        .end();
    });
    if (response.statusCode === 200) return response;
    response.resume();
    if (response.statusCode === 404) return undefined;
    throw new Error(`the object store answered ${response.statusCode} to GET ${key}`);
  }

  async exists(key: string): Promise<boolean> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: this.port, method: 'HEAD', path: this.objectPath(key) }, resolve)
        .once('error', reject)
        .end();
    });
    response.resume();
    return response.statusCode === 200;
  }

  /** Server-side copy; `from` must be a plain key (letters, digits, `/`, `.`, `-`, `_`). */
  async copy(from: string, to: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: `${this.bucket}/${from}` }),
    );
  }

  async delete(key: string): Promise<void> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(
        { host: '127.0.0.1', port: this.port, method: 'DELETE', path: this.objectPath(key) },
        resolve,
      )
        .once('error', reject)
        .end();
    });
    response.resume();
  }

  async createMultipart(key: string): Promise<string> {
    const answer = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }),
    );
    if (answer.UploadId === undefined) throw new Error('the object store returned no UploadId');
    return answer.UploadId;
  }

  async completeMultipart(key: string, uploadId: string, parts: readonly StoredPart[]): Promise<void> {
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag}"` })) },
      }),
    );
  }

  /** Drops the parts s3rver keeps for an upload (its layout: `<bucket>/._S3rver_uploads/<id>`). */
  async abortMultipart(uploadId: string): Promise<void> {
    if (!/^[0-9a-f]+$/.test(uploadId)) return;
    await rm(join(this.directory, this.bucket, '._S3rver_uploads', uploadId), {
      recursive: true,
      force: true,
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
    await this.server.close();
  }
}
