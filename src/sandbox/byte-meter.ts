import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Counts and hashes the bytes flowing through it, so the sandbox knows exactly what it
 * passed to the store without reading the object back (files can be gigabytes).
 */
export class ByteMeter extends Transform {
  private readonly sha256Hash: Hash = createHash('sha256');
  private readonly md5Hash: Hash = createHash('md5');
  private count = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sha256Hash.update(chunk);
    this.md5Hash.update(chunk);
    this.count += chunk.length;
    callback(null, chunk);
  }

  get bytes(): number {
    return this.count;
  }

  /** Only valid once the stream has finished. */
  digests(): { readonly sha256: string; readonly md5: string } {
    return { sha256: this.sha256Hash.copy().digest('hex'), md5: this.md5Hash.copy().digest('hex') };
  }
}
