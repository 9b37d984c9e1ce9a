import { describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryTarget } from '../../src/engine/deliver-file.js';
import { memoryRecords } from '../../src/engine/memory-records.js';
import { checkpointKey } from '../../src/engine/deliver-file.js';
import type { HttpResponse, MultipartCheckpoint, MultipartCheckpoints } from '../../src/engine/ports.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { FakeClock, runOn } from '../fakes/fake-clock.js';
import { FakeFiles } from '../fakes/fake-files.js';
import { FakeHttp, json, networkError, text, type Exchange } from '../fakes/fake-http.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const MIB = 1024 * 1024;
const TOKEN = 'tok-SECRET-multipart';
const ENDPOINT = 'https://api.vendor.example/v1/multipart';
const NAME = 'events-2024-01-31-v1.csv';
const PATH = `/data/out/${NAME}`;
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };

function content(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + (i >> 12)) & 0xff;
  return bytes;
}

/** Byte equality without a deep diff: vitest's toEqual on megabytes of array takes minutes. */
function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/** An answer to give instead of taking the part, or an error to throw as the network would. */
type PutFault = (part: number, attempt: number) => HttpResponse | Error | undefined;

/** The vendor's multipart API in memory: it keeps the parts and assembles them on complete. */
class FakeVendor {
  readonly parts = new Map<number, { etag: string; bytes: Uint8Array }>();
  readonly putAttempts = new Map<number, number>();
  readonly partUrlRequests: number[] = [];
  assembled: Uint8Array | undefined;
  completedWith: unknown;
  deleted = false;
  creates = 0;
  mostOpen = 0;
  refuseComplete = false;
  /** The server no longer knows the upload, as after it assembled the object. */
  forgotten = false;
  #open = 0;

  constructor(private readonly fault: PutFault = () => undefined) {}

  readonly handle = async (x: Exchange): Promise<HttpResponse> => {
    const path = new URL(x.url).pathname;
    if (x.method === 'POST' && path === '/v1/multipart') {
      this.creates += 1;
      return json(200, { uploadId: `up-${this.creates}`, key: `k/${NAME}`, id: 77 });
    }
    const partUrl = /^\/v1\/multipart\/[^/]+\/parts\/(\d+)$/.exec(path);
    if (x.method === 'POST' && partUrl !== null) {
      const n = Number(partUrl[1]);
      this.partUrlRequests.push(n);
      return json(200, {
        url: `https://s3.example/b/k?partNumber=${n}&X-Amz-Signature=s${this.partUrlRequests.length}`,
      });
    }
    if (x.method === 'PUT') {
      const n = Number(new URL(x.url).searchParams.get('partNumber'));
      const attempt = (this.putAttempts.get(n) ?? 0) + 1;
      this.putAttempts.set(n, attempt);
      this.#open += 1;
      this.mostOpen = Math.max(this.mostOpen, this.#open);
      const bytes = await x.receive().finally(() => {
        this.#open -= 1;
      });
      const failure = this.fault(n, attempt);
      if (failure instanceof Error) throw failure;
      if (failure !== undefined) return failure;
      expect(x.headers['content-length']).toBe(String(bytes.byteLength));
      const etag = `etag-${n}-${attempt}`;
      this.parts.set(n, { etag, bytes });
      return text(200, '', { etag: `"${etag}"` });
    }
    if (x.method === 'GET' && path.endsWith('/parts')) {
      if (this.forgotten) return json(404, { message: 'NoSuchUpload', code: 'NoSuchUpload' });
      return json(200, {
        parts: [...this.parts].map(([partNumber, p]) => ({
          partNumber,
          etag: p.etag,
          size: p.bytes.byteLength,
        })),
      });
    }
    if (x.method === 'POST' && path.endsWith('/complete')) {
      if (this.refuseComplete) return json(400, { message: 'part 1 was not uploaded', code: 'InvalidPart' });
      this.completedWith = JSON.parse(x.text ?? '');
      const listed = (this.completedWith as { parts: { partNumber: number; etag: string }[] }).parts;
      const chunks = listed.map((p) => {
        const part = this.parts.get(p.partNumber);
        expect(part?.etag).toBe(p.etag);
        return part?.bytes ?? new Uint8Array();
      });
      this.assembled = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let offset = 0;
      for (const c of chunks) {
        this.assembled.set(c, offset);
        offset += c.byteLength;
      }
      return json(200, { id: 77, size: offset });
    }
    if (x.method === 'DELETE') {
      this.deleted = true;
      return text(204, '');
    }
    return json(404, { message: `no route ${x.method} ${path}` });
  };
}

function setup(size: number, vendor: FakeVendor, checkpoints: MultipartCheckpoints = memoryRecords()) {
  const clock = new FakeClock();
  const files = new FakeFiles(256 * 1024);
  const bytes = content(size);
  files.write(PATH, bytes, 5_000);
  const http = new FakeHttp(vendor.handle);
  const logger = new RecordingLogger();
  const spec = targetSpec(
    'mp',
    { profile: 's3-multipart', endpoint: ENDPOINT, auth: { style: 'auth-api-token' } },
    FOLDER,
  );
  const target: DeliveryTarget = {
    ...spec,
    retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 4, maxElapsedMs: 600_000 },
    stallMs: 10_000,
    gate: new TargetGate(),
  };
  const ports = {
    clock,
    files,
    http,
    logger,
    checkpoints,
    secrets: new FakeSecrets({ mp: TOKEN }),
    random: () => 0.5,
  };
  const deliver = () =>
    runOn(clock, deliverFile(ports, target, { path: PATH, variables: fileVariables(NAME, FOLDER) }));
  return { bytes, http, logger, checkpoints, deliver };
}

describe('deliverFile with the s3-multipart profile', () => {
  it('sends 5 MiB parts with their lengths, completes with the ETags, and the object is byte-exact', async () => {
    const vendor = new FakeVendor();
    const { bytes, http, deliver, checkpoints } = setup(12 * MIB + 7, vendor);
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: '77' });
    expect([...vendor.putAttempts.keys()].sort()).toEqual([1, 2, 3]);
    expect(http.ofMethod('PUT').map((x) => x.length)).toEqual(
      expect.arrayContaining([5 * MIB, 5 * MIB, 2 * MIB + 7]),
    );
    expect(vendor.completedWith).toEqual({
      parts: [1, 2, 3].map((n) => ({ partNumber: n, etag: `etag-${n}-1` })),
    });
    expect(same(vendor.assembled, bytes)).toBe(true);
    expect(http.ofMethod('POST')[0]?.headers['auth-api-token']).toBe(TOKEN);
    expect(http.ofMethod('PUT').every((x) => x.headers['auth-api-token'] === undefined)).toBe(true);
    expect(await checkpoints.load(checkpointKey('mp', PATH))).toBeUndefined();
  });

  it('sends up to four parts at once', async () => {
    const vendor = new FakeVendor();
    const { deliver } = setup(30 * MIB, vendor);
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(vendor.putAttempts.size).toBe(6);
    expect(vendor.mostOpen).toBe(4);
  });

  it('retries only the part that failed, with a fresh URL, and the others are sent once', async () => {
    const vendor = new FakeVendor((part, attempt) =>
      part === 2 && attempt === 1 ? text(503, 'Service Unavailable') : undefined,
    );
    const { bytes, deliver, logger } = setup(16 * MIB, vendor);
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(Object.fromEntries(vendor.putAttempts)).toEqual({ 1: 1, 2: 2, 3: 1, 4: 1 });
    expect(vendor.partUrlRequests.filter((n) => n === 2)).toHaveLength(2);
    expect(same(vendor.assembled, bytes)).toBe(true);
    expect(logger.entries.some((e) => e.message.startsWith('part 2 failed, retrying'))).toBe(true);
  });

  it('waits out a vendor that does not answer without spending the retry budget of the part', async () => {
    // More refusals in a row than the policy's 4 attempts: only waiting, not retrying, gets through.
    const vendor = new FakeVendor((part, attempt) =>
      part === 2 && attempt <= 6 ? networkError('ECONNREFUSED') : undefined,
    );
    const { bytes, deliver } = setup(12 * MIB, vendor);
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(vendor.putAttempts.get(2)).toBe(7);
    expect(same(vendor.assembled, bytes)).toBe(true);
  });

  it('resumes from a checkpoint: asks the server which parts it has and sends only the others', async () => {
    const checkpoints = memoryRecords<MultipartCheckpoint>();
    const vendor = new FakeVendor();
    const s = setup(20 * MIB, vendor, checkpoints);
    vendor.creates = 1;
    vendor.parts.set(1, { etag: 'etag-1-1', bytes: s.bytes.slice(0, 5 * MIB) });
    vendor.parts.set(2, { etag: 'etag-2-1', bytes: s.bytes.slice(5 * MIB, 10 * MIB) });
    await checkpoints.save(checkpointKey('mp', PATH), {
      uploadId: 'up-1',
      remoteId: '77',
      partSize: 5 * MIB,
      size: 20 * MIB,
      mtimeMs: 5_000,
      parts: [{ partNumber: 1, etag: 'etag-1-1', size: 5 * MIB }],
    });
    const report = await s.deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: '77' });
    expect(vendor.creates).toBe(1);
    expect(s.http.ofMethod('GET')).toHaveLength(1);
    expect([...vendor.putAttempts.keys()].sort()).toEqual([3, 4]);
    expect(same(vendor.assembled, s.bytes)).toBe(true);
  });

  it('counts an upload whose complete request went out before a crash as delivered, not sent again', async () => {
    const checkpoints = memoryRecords<MultipartCheckpoint>();
    const vendor = new FakeVendor();
    vendor.forgotten = true;
    const s = setup(12 * MIB, vendor, checkpoints);
    const saved = {
      uploadId: 'up-1',
      remoteId: '77',
      partSize: 5 * MIB,
      size: 12 * MIB,
      mtimeMs: 5_000,
      parts: [1, 2, 3].map((n) => ({ partNumber: n, etag: `etag-${n}-1`, size: 5 * MIB })),
    };
    await checkpoints.save(checkpointKey('mp', PATH), { ...saved, completing: true });
    const report = await s.deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: '77' });
    expect(vendor.creates).toBe(0);
    expect(vendor.putAttempts.size).toBe(0);
    expect(await checkpoints.load(checkpointKey('mp', PATH))).toBeUndefined();
  });

  it('starts over when the server forgot an upload that was never completed', async () => {
    const checkpoints = memoryRecords<MultipartCheckpoint>();
    const vendor = new FakeVendor();
    vendor.forgotten = true;
    const s = setup(12 * MIB, vendor, checkpoints);
    await checkpoints.save(checkpointKey('mp', PATH), {
      uploadId: 'up-1',
      remoteId: '5',
      partSize: 5 * MIB,
      size: 12 * MIB,
      mtimeMs: 5_000,
      parts: [],
    });
    const report = await s.deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: '77' });
    expect(vendor.creates).toBe(1);
    expect(same(vendor.assembled, s.bytes)).toBe(true);
  });

  it('starts over when the checkpoint is of an older version of the file', async () => {
    const checkpoints = memoryRecords<MultipartCheckpoint>();
    await checkpoints.save(checkpointKey('mp', PATH), {
      uploadId: 'old',
      remoteId: '1',
      partSize: 5 * MIB,
      size: 20 * MIB,
      mtimeMs: 4_000,
      parts: [],
    });
    const vendor = new FakeVendor();
    const s = setup(20 * MIB, vendor, checkpoints);
    const report = await s.deliver();
    expect(report.state.status).toBe('completed');
    expect(vendor.deleted).toBe(true);
    expect(vendor.creates).toBe(1);
    expect(vendor.putAttempts.size).toBe(4);
  });

  it('fails with the vendor message and aborts the upload when a part is refused', async () => {
    const vendor = new FakeVendor((part) =>
      part === 2 ? json(400, { message: 'part too odd' }) : undefined,
    );
    const { deliver, checkpoints } = setup(12 * MIB, vendor);
    const report = await deliver();
    expect(report.state.status).toBe('failed');
    expect(report.state.status === 'failed' && report.state.error.message).toContain('part too odd');
    expect(vendor.deleted).toBe(true);
    expect(vendor.putAttempts.get(2)).toBe(1);
    expect(await checkpoints.load(checkpointKey('mp', PATH))).toBeUndefined();
  });

  it('gives up on a part that keeps failing, keeping the checkpoint for a later resume', async () => {
    const vendor = new FakeVendor((part) => (part === 1 ? text(500, 'boom') : undefined));
    const { deliver, checkpoints } = setup(6 * MIB, vendor);
    const report = await deliver();
    expect(report.state.status).toBe('failed');
    expect(report.state.status === 'failed' && report.state.error.message).toMatch(
      /^part 1: gave up after 4 attempts/,
    );
    expect(vendor.putAttempts.get(1)).toBe(4);
    expect(vendor.deleted).toBe(false);
    expect((await checkpoints.load(checkpointKey('mp', PATH)))?.parts).toEqual([
      { partNumber: 2, etag: 'etag-2-1', size: 1 * MIB },
    ]);
  });

  it('aborts the upload and forgets it when the vendor refuses to complete it', async () => {
    const vendor = new FakeVendor();
    vendor.refuseComplete = true;
    const { deliver, checkpoints } = setup(6 * MIB, vendor);
    const report = await deliver();
    expect(report.state.status === 'failed' && report.state.error.message).toContain(
      'part 1 was not uploaded',
    );
    expect(vendor.deleted).toBe(true);
    expect(await checkpoints.load(checkpointKey('mp', PATH))).toBeUndefined();
  });
});
