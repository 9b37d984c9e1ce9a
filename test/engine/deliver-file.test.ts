import { describe, expect, it } from 'vitest';
import type { HttpResponse, PendingGrant, PendingGrants } from '../../src/engine/ports.js';
import { memoryRecords } from '../../src/engine/memory-records.js';
import {
  deliverFile,
  type DeliveryEvent,
  type DeliveryOptions,
  type DeliveryTarget,
} from '../../src/engine/deliver-file.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import type { TargetConfig } from '../../src/engine/config/target-schema.js';
import { FakeClock, runOn } from '../fakes/fake-clock.js';
import { FakeFiles } from '../fakes/fake-files.js';
import { FakeHttp, json, networkError, text, type Exchange, type Handler } from '../fakes/fake-http.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const TOKEN = 'tok-SECRET-0123456789';
const ENDPOINT = 'https://api.lexer.io/v1/uploads';
const NAME = 'customers-2024-01-31-v1.csv';
const PATH = `/data/out/${NAME}`;
const CONTENT = 'id,email\n1,a@example.com\n2,b@example.com\n';
const LEXER: TargetConfig = { profile: 'lexer', endpoint: ENDPOINT, auth: { style: 'auth-api-token' } };
const FOLDER = {
  rule: '{descriptor}-{date}-{version}.{ext}',
  fields: { dataset_id: 'ds-7', record_type: 'customer_record' },
};

function presignedUrl(n: number): string {
  return `https://upload.s3.example/in/${n}?X-Amz-Credential=AKIA${n}&X-Amz-Signature=sig${n}`;
}

/** Grants URL n for the n-th POST; PUTs go to `put` (default: take the bytes, answer 200). */
function vendor(put: (x: Exchange, n: number) => Promise<HttpResponse> | HttpResponse = ok): Handler {
  let grants = 0;
  let puts = 0;
  return async (x) => {
    if (x.method === 'POST') {
      grants += 1;
      return json(200, { id: 100 + grants, url: presignedUrl(grants) });
    }
    puts += 1;
    return put(x, puts);
  };
}

async function ok(x: Exchange): Promise<HttpResponse> {
  await x.receive();
  return text(200, '');
}

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

interface SetupOptions {
  readonly target?: TargetConfig;
  readonly gate?: TargetGate;
  readonly clock?: FakeClock;
  readonly tokens?: Record<string, string>;
  readonly random?: number;
  readonly grants?: PendingGrants;
}

function setup(handler: Handler, options: SetupOptions = {}) {
  const clock = options.clock ?? new FakeClock();
  const files = new FakeFiles(8);
  files.write(PATH, CONTENT);
  const http = new FakeHttp(handler);
  const logger = new RecordingLogger();
  const secrets = new FakeSecrets(options.tokens ?? { lexer: TOKEN });
  const spec = targetSpec('lexer', options.target ?? LEXER, FOLDER);
  const target: DeliveryTarget = {
    ...spec,
    retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 4, maxElapsedMs: 600_000 },
    stallMs: 10_000,
    gate: options.gate ?? new TargetGate(),
  };
  const events: DeliveryEvent[] = [];
  const ports = {
    clock,
    files,
    http,
    secrets,
    logger,
    random: () => options.random ?? 0.5,
    ...(options.grants === undefined ? {} : { grants: options.grants }),
  };
  const deliver = (extra: DeliveryOptions = {}) =>
    runOn(
      clock,
      deliverFile(
        ports,
        target,
        { path: PATH, variables: fileVariables(NAME, FOLDER) },
        {
          onEvent: (e) => events.push(e),
          ...extra,
        },
      ),
    );
  return { clock, files, http, logger, secrets, target, events, deliver };
}

const statuses = (history: readonly { state: { status: string } }[]) => history.map((h) => h.state.status);
const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('deliverFile: the lexer profile, all going well', () => {
  it('asks for a URL with the token and the file name, then PUTs the exact bytes', async () => {
    const { http, deliver } = setup(vendor());
    const report = await deliver();

    expect(report.state).toEqual({ status: 'completed', remoteId: '101' });
    expect(statuses(report.history)).toEqual(['queued', 'requesting-url', 'uploading', 'completed']);
    const [post, put] = http.exchanges;
    expect(post?.method).toBe('POST');
    expect(post?.url).toBe(ENDPOINT);
    expect(post?.headers['auth-api-token']).toBe(TOKEN);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post?.text ?? '')).toEqual({
      filename: NAME,
      dataset_id: 'ds-7',
      record_type: 'customer_record',
    });
    expect(put?.method).toBe('PUT');
    expect(put?.url).toBe(presignedUrl(1));
    expect(put?.headers['content-length']).toBe(String(CONTENT.length));
    // A small body goes out at once: waiting for 100 Continue would cost more than sending it.
    expect(put?.headers.expect).toBeUndefined();
    expect(put?.headers['auth-api-token']).toBeUndefined();
    expect(put?.length).toBe(CONTENT.length);
    expect(decode(http.received.get(1))).toBe(CONTENT);
  });

  it('reports progress up to the total', async () => {
    const { events, deliver } = setup(vendor());
    await deliver();
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ sent: CONTENT.length, total: CONTENT.length });
    const states = events.flatMap((e) => (e.type === 'state' ? [e.state.status] : []));
    expect(states).toEqual(['requesting-url', 'uploading', 'completed']);
  });

  it('reads the URL and id through the dot-paths of a generic presigned-PUT target, with a Bearer token', async () => {
    const handler: Handler = async (x) => {
      if (x.method === 'POST')
        return json(201, { data: { upload: { href: presignedUrl(9) }, file: { key: 'f-9' } } });
      return ok(x);
    };
    const target: TargetConfig = {
      profile: 'presigned-put',
      endpoint: 'http://127.0.0.1:9000/files',
      auth: { style: 'bearer' },
      request: { body: { name: '{filename}', kind: '{descriptor}', on: '{date}', dataset: '{dataset_id}' } },
      response: { url: 'data.upload.href', id: 'data.file.key' },
    };
    const { http, deliver } = setup(handler, { target });
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: 'f-9' });
    expect(http.exchanges[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(http.exchanges[0]?.text ?? '')).toEqual({
      name: NAME,
      kind: 'customers',
      on: '2024-01-31',
      dataset: 'ds-7',
    });
    expect(http.exchanges[1]?.url).toBe(presignedUrl(9));
  });
});

describe('deliverFile: refusals before any network call', () => {
  it('rejects an empty file', async () => {
    const { files, http, secrets, deliver } = setup(vendor());
    files.write(PATH, '');
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'rejected',
      reason: 'the file is empty: there is nothing to deliver',
    });
    expect(http.exchanges).toHaveLength(0);
    expect(secrets.asked).toHaveLength(0);
  });

  it("rejects a file over the target's limit, naming both sizes", async () => {
    const { files, http, deliver } = setup(vendor(), { target: { ...LEXER, maxBytes: 1024 } });
    files.write(PATH, new Uint8Array(1536));
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'rejected',
      reason: expect.stringMatching(
        /^the file is 1\.5 KiB; target 'lexer' accepts at most 1 KiB: compress it/,
      ) as unknown,
    });
    expect(http.exchanges).toHaveLength(0);
  });

  it('names the byte counts when the file is over the limit by less than the rounding shows', async () => {
    const { files, deliver } = setup(vendor(), { target: { ...LEXER, maxBytes: 1024 } });
    files.write(PATH, new Uint8Array(1025));
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'rejected',
      reason: expect.stringMatching(
        /^the file is 1025 bytes; target 'lexer' accepts at most 1024 bytes: /,
      ) as unknown,
    });
  });

  it('fails at once when the file does not exist', async () => {
    const { files, http, deliver } = setup(vendor());
    files.remove(PATH);
    const report = await deliver();
    expect(report.state).toMatchObject({ status: 'failed', error: { kind: 'file' } });
    expect(http.exchanges).toHaveLength(0);
  });

  it('fails with no request when there is no token, and stops the target', async () => {
    const gate = new TargetGate();
    const { http, deliver } = setup(vendor(), { tokens: {}, gate });
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'failed',
      error: { kind: 'no-token', message: "no token for target 'lexer'" },
    });
    expect(http.exchanges).toHaveLength(0);
    expect(gate.stoppedBy?.kind).toBe('no-token');
  });
});

describe('deliverFile: retries', () => {
  it('gets a fresh URL for every attempt and waits the jittered backoff between them', async () => {
    const { http, clock, deliver } = setup(
      vendor(async (x, n) => {
        await x.receive();
        return n === 1 ? text(503, s3Error('ServiceUnavailable', 'Please try again')) : text(200, '');
      }),
    );
    const start = clock.now();
    const report = await deliver();

    expect(report.state).toEqual({ status: 'completed', remoteId: '102' });
    expect(http.ofMethod('POST')).toHaveLength(2);
    expect(http.ofMethod('PUT').map((x) => x.url)).toEqual([presignedUrl(1), presignedUrl(2)]);
    const wait = report.history.find((h) => h.state.status === 'retry-wait')?.state;
    // random 0.5 · base 1000 for the first retry.
    expect(wait).toEqual({
      status: 'retry-wait',
      at: start + 500,
      attempt: 1,
      error: {
        kind: 'server',
        message: 'the upload answered HTTP 503: ServiceUnavailable: Please try again',
      },
    });
    expect(clock.now()).toBe(start + 500);
    expect(decode(http.received.get(3))).toBe(CONTENT);
  });

  it("fetches a new URL at once when S3 says 'Request has expired'", async () => {
    const { http, clock, deliver } = setup(
      vendor(async (x, n) => {
        if (n === 1) return text(403, s3Error('AccessDenied', 'Request has expired'));
        return ok(x);
      }),
    );
    const start = clock.now();
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(http.ofMethod('POST')).toHaveLength(2);
    expect(clock.now()).toBe(start);
    expect(report.history.find((h) => h.state.status === 'retry-wait')?.state).toMatchObject({
      at: start,
      error: { kind: 'url-expired' },
    });
  });

  it('retries network errors and a garbage grant, then succeeds', async () => {
    let posts = 0;
    const handler: Handler = async (x) => {
      if (x.method === 'POST') {
        posts += 1;
        if (posts === 1) throw networkError('ECONNRESET');
        if (posts === 2) return text(200, '<html><title>Captive portal</title></html>');
        if (posts === 3) return text(200, '{"id": 1, "url": ');
        return json(200, { id: 7, url: presignedUrl(7) });
      }
      return ok(x);
    };
    const { deliver } = setup(handler, { target: LEXER });
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: '7' });
    const kinds = report.history.flatMap((h) =>
      h.state.status === 'retry-wait' ? [h.state.error.kind] : [],
    );
    expect(kinds).toEqual(['network', 'bad-answer', 'bad-answer']);
  });

  it('gives up after the configured attempts, keeping the history', async () => {
    const { http, deliver } = setup(() => {
      throw networkError('ETIMEDOUT');
    });
    const report = await deliver();
    expect(http.exchanges).toHaveLength(4);
    expect(report.state).toMatchObject({
      status: 'failed',
      error: {
        kind: 'network',
        message: expect.stringMatching(
          /^gave up after 4 attempts without progress; last error: network error ETIMEDOUT/,
        ) as string,
      },
    });
    expect(statuses(report.history).filter((s) => s === 'retry-wait')).toHaveLength(3);
  });

  it('doubles the backoff ceiling on each failure in a row', async () => {
    const { clock, deliver } = setup(
      () => {
        // Not ECONNREFUSED: an unreachable vendor is waited for, not retried (reachability.ts).
        throw networkError('ECONNRESET');
      },
      { random: 0.99 },
    );
    await deliver();
    const waits = clock.sleeps.filter((ms) => ms !== 10_000);
    expect(waits).toEqual([990, 1_980, 3_960]);
  });

  it('starts a fresh attempt budget after an attempt got further than any before', async () => {
    // 4 attempts allowed: without the reset, 5 failures in a row would give up.
    const { deliver } = setup(
      vendor(async (x, n) => {
        if (n <= 5) {
          await x.receive(n * 8);
          throw networkError('ECONNRESET');
        }
        return ok(x);
      }),
    );
    const report = await deliver();
    expect(report.state.status).toBe('completed');
  });

  it('does not reset the budget when an attempt got no further than an earlier one', async () => {
    const { deliver } = setup(
      vendor(async (x) => {
        await x.receive(8);
        throw networkError('ECONNRESET');
      }),
    );
    const report = await deliver();
    // The first attempt set the high-water mark; the three after it reach no further.
    expect(report.state).toMatchObject({ status: 'failed', error: { kind: 'network' } });
    expect(statuses(report.history).filter((s) => s === 'retry-wait')).toHaveLength(3);
  });

  it('aborts a stalled upload after the stall period and retries it', async () => {
    const { clock, http, deliver } = setup(
      vendor(async (x, n) => {
        if (n === 1) {
          await x.receive(16);
          return x.hang();
        }
        return ok(x);
      }),
    );
    const start = clock.now();
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(report.history.find((h) => h.state.status === 'retry-wait')?.state).toMatchObject({
      // The stall is noticed at 10 s, then the first backoff (0.5 · 1 s).
      at: start + 10_500,
      error: { kind: 'stalled', message: 'no progress for 10 s: the attempt was aborted' },
    });
    expect(http.exchanges[1]?.signal.aborted).toBe(true);
    expect(decode(http.received.get(3))).toBe(CONTENT);
  });

  it('aborts a URL request that never answers', async () => {
    let posts = 0;
    const { deliver } = setup(async (x) => {
      if (x.method === 'POST') {
        posts += 1;
        if (posts === 1) return x.hang();
        return json(200, { id: 1, url: presignedUrl(1) });
      }
      return ok(x);
    });
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(posts).toBe(2);
  });
});

describe('deliverFile: what the vendor refuses', () => {
  it('fails the job with the vendor message on other 4xx, without retrying', async () => {
    const { http, deliver } = setup(() => json(422, { message: 'dataset ds-7 does not exist' }));
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'failed',
      error: {
        kind: 'vendor-rejected',
        message: 'the upload-URL request answered HTTP 422: dataset ds-7 does not exist',
      },
    });
    expect(http.exchanges).toHaveLength(1);
  });

  it('stops the whole target on 401: one message, and no request from the next job', async () => {
    const gate = new TargetGate();
    const first = setup(() => json(401, { message: 'Invalid token' }), { gate });
    const report = await first.deliver();
    expect(report.state).toMatchObject({ status: 'failed', error: { kind: 'token-rejected' } });
    expect(report.state.status === 'failed' && report.state.error.message).toMatch(/^token rejected/);
    expect(first.http.exchanges).toHaveLength(1);
    expect(first.logger.ofLevel('error')).toHaveLength(1);

    const second = setup(() => json(200, {}), { gate });
    const next = await second.deliver();
    expect(next.state).toMatchObject({ status: 'failed', error: { kind: 'token-rejected' } });
    expect(second.http.exchanges).toHaveLength(0);
    expect(second.logger.ofLevel('error')).toHaveLength(0);
  });

  it('honours Retry-After on 429 and holds every job of the target until then', async () => {
    const gate = new TargetGate();
    const clock = new FakeClock();
    let posts = 0;
    const first = setup(
      async (x) => {
        if (x.method === 'POST') {
          posts += 1;
          if (posts === 1) return json(429, { message: 'slow down' }, { 'retry-after': '30' });
          return json(200, { id: 1, url: presignedUrl(1) });
        }
        return ok(x);
      },
      { gate, clock },
    );
    const start = clock.now();
    const report = await first.deliver();
    expect(report.state.status).toBe('completed');
    expect(report.history.find((h) => h.state.status === 'retry-wait')?.state).toMatchObject({
      at: start + 30_000,
    });
    expect(gate.openAt).toBe(start + 30_000);

    // A job of the same target starting during the slow-down waits for it before asking.
    const otherClock = new FakeClock(start + 10_000);
    const second = setup(vendor(), { gate, clock: otherClock });
    const asked: number[] = [];
    const done = second.deliver({
      onEvent: (e) => e.type === 'state' && e.state.status === 'uploading' && asked.push(otherClock.now()),
    });
    await done;
    expect(asked).toEqual([start + 30_000]);
  });
});

describe('deliverFile: the file changes underneath', () => {
  it('sends the file again when its size or mtime changed during the PUT', async () => {
    const { files, http, deliver } = setup(vendor());
    files.onReadDone = (path, reads) => {
      if (reads === 1) files.write(path, `${CONTENT}3,c@example.com\n`, 2_000);
    };
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: '102' });
    expect(statuses(report.history)).toEqual([
      'queued',
      'requesting-url',
      'uploading',
      'waiting-for-write',
      'queued',
      'requesting-url',
      'uploading',
      'completed',
    ]);
    expect(decode(http.received.get(3))).toBe(`${CONTENT}3,c@example.com\n`);
  });

  it('gives up on a file that never stops changing', async () => {
    const { files, deliver } = setup(vendor());
    files.onReadDone = (path, reads) => {
      files.write(path, CONTENT, 1_000 + reads);
    };
    const report = await deliver({ maxRedeliveries: 2 });
    expect(report.state).toEqual({
      status: 'failed',
      error: { kind: 'file', message: 'the file kept changing while it was sent (3 times)' },
    });
  });

  it('rejects the file when it became empty before being sent again', async () => {
    const { files, deliver } = setup(vendor());
    files.onReadDone = (path) => {
      files.write(path, '', 5_000);
    };
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'rejected',
      reason: 'the file is empty: there is nothing to deliver',
    });
  });
});

describe('deliverFile: a crash between the PUT and the record of the delivery', () => {
  const GRANT_KEY = `lexer\n${PATH}\n${NAME}`;

  it('keeps the URL durably before the PUT and drops it only after onDelivered', async () => {
    const grants = memoryRecords<PendingGrant>();
    const seen: (PendingGrant | undefined)[] = [];
    const { deliver } = setup(
      vendor(async (x) => {
        seen.push(await grants.load(GRANT_KEY));
        return ok(x);
      }),
      { grants },
    );
    let atRecord: PendingGrant | undefined;
    const report = await deliver({
      onDelivered: async () => {
        atRecord = await grants.load(GRANT_KEY);
      },
    });

    expect(report.state).toEqual({ status: 'completed', remoteId: '101' });
    expect(seen).toEqual([{ remoteId: '101', url: presignedUrl(1), endpoint: ENDPOINT }]);
    expect(atRecord).toEqual({ remoteId: '101', url: presignedUrl(1), endpoint: ENDPOINT });
    expect(await grants.load(GRANT_KEY)).toBeUndefined();
  });

  it('drops the URL of a job the vendor refused for good, and keeps it when no answer came', async () => {
    const refused = memoryRecords<PendingGrant>();
    const { deliver } = setup(
      vendor(async (x) => {
        await x.receive();
        return text(400, '{"message":"dataset closed"}');
      }),
      { grants: refused },
    );
    expect((await deliver()).state).toMatchObject({ status: 'failed' });
    expect(await refused.load(GRANT_KEY)).toBeUndefined();

    const unanswered = memoryRecords<PendingGrant>();
    const silent = setup(
      vendor(() => {
        throw networkError('ECONNRESET');
      }),
      { grants: unanswered },
    );
    expect((await silent.deliver()).state).toMatchObject({ status: 'failed' });
    // The PUT may have arrived: a retry must write the same object, not a second one.
    expect(await unanswered.load(GRANT_KEY)).toBeDefined();
  });

  it('sends to the URL an interrupted run was given, so the vendor gets the same object', async () => {
    const grants = memoryRecords<PendingGrant>();
    await grants.save(GRANT_KEY, { remoteId: '77', url: presignedUrl(77), endpoint: ENDPOINT });
    const { http, deliver } = setup(vendor(), { grants });
    const report = await deliver();

    expect(report.state).toEqual({ status: 'completed', remoteId: '77' });
    expect(http.exchanges.map((x) => `${x.method} ${x.url}`)).toEqual([`PUT ${presignedUrl(77)}`]);
  });

  it("asks for a fresh URL when the interrupted run's one has expired", async () => {
    const grants = memoryRecords<PendingGrant>();
    await grants.save(GRANT_KEY, { remoteId: '77', url: presignedUrl(77), endpoint: ENDPOINT });
    const { http, deliver } = setup(
      vendor(async (x, n) => {
        if (n > 1) return ok(x);
        return text(403, s3Error('AccessDenied', 'Request has expired'));
      }),
      { grants },
    );
    const report = await deliver();

    expect(report.state).toEqual({ status: 'completed', remoteId: '101' });
    expect(http.exchanges.map((x) => x.method)).toEqual(['PUT', 'POST', 'PUT']);
  });
});

describe('deliverFile: pause and secrecy', () => {
  it('ends paused, not failed, when the signal aborts during a retry wait', async () => {
    const controller = new AbortController();
    const { deliver } = setup(() => {
      throw networkError('ECONNRESET');
    });
    const report = await deliver({
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'state' && e.state.status === 'retry-wait')
          controller.abort(new Error('paused by the user'));
      },
    });
    expect(report.state).toEqual({ status: 'paused' });
    expect(statuses(report.history).at(-1)).toBe('paused');
  });

  it('ends paused when the signal aborts mid-upload', async () => {
    const controller = new AbortController();
    const { deliver } = setup(
      vendor(async (x) => {
        await x.receive(8);
        controller.abort(new Error('paused'));
        return x.hang();
      }),
    );
    const report = await deliver({ signal: controller.signal });
    expect(report.state).toEqual({ status: 'paused' });
  });

  it('never logs the token or a presigned query, and never stores them in the history', async () => {
    const { logger, deliver } = setup(
      vendor(async (x, n) => {
        if (n === 1) return text(403, s3Error('AccessDenied', `denied ${presignedUrl(1)} with ${TOKEN}`));
        return ok(x);
      }),
    );
    const report = await deliver();
    const written = JSON.stringify([logger.entries, report.history]);
    expect(written).not.toContain(TOKEN);
    expect(written).not.toContain('sig1');
    expect(written).not.toContain('AKIA1');
    expect(logger.entries.length).toBeGreaterThan(0);
  });
});
