import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import { FileChanged, Pacer, type Attempt, type PaceOptions, type Wait } from '../../src/engine/pacer.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/engine/retry-policy.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { FakeClock, runOn } from '../fakes/fake-clock.js';
import { FakeHttp, networkError, text } from '../fakes/fake-http.js';
import { RecordingLogger } from '../fakes/fake-logger.js';

const ENDPOINT = 'https://api.example.com/v1/uploads';
const server503 = () => new DeliveryError('server', 'HTTP 503', { status: 503 });

function setup(
  retry: Partial<RetryPolicy> = {},
  probe: () => never | ReturnType<typeof text> = () => text(405, ''),
) {
  const clock = new FakeClock();
  const gate = new TargetGate();
  const logger = new RecordingLogger();
  const http = new FakeHttp(probe);
  const controller = new AbortController();
  const pacer = new Pacer(
    { clock, http, logger, random: () => 0.5 },
    { retry: { ...DEFAULT_RETRY_POLICY, ...retry }, gate, endpoint: ENDPOINT },
    controller.signal,
  );
  const waits: Wait[] = [];
  const hooks: PaceOptions = {
    onWait: (w) => waits.push(w),
    onNext: () => waits.push({ at: -1, attempt: -1, error: server503() }),
  };
  /** Runs `pacer.run` on the fake clock; each attempt gets the next outcome of `script`. */
  const run = <T>(
    script: ((attempt: Attempt, n: number) => T | Promise<T>)[],
    options: PaceOptions = hooks,
  ) => {
    let n = 0;
    return runOn(
      clock,
      pacer.run(options, async (attempt) => {
        const step = script[Math.min(n, script.length - 1)];
        n += 1;
        if (step === undefined) throw new Error('no script');
        return step(attempt, n);
      }),
    );
  };
  return { clock, gate, logger, http, controller, pacer, waits, run };
}

const fail = (error: Error) => () => {
  throw error;
};

describe('Pacer', () => {
  it('retries a server error after a jittered backoff, telling the job of each wait, until it succeeds', async () => {
    const { run, waits, clock } = setup();
    const started = clock.now();
    await expect(run([fail(server503()), fail(server503()), () => 'id-7'])).resolves.toBe('id-7');
    // Full jitter with random 0.5: half of 1 s, then half of 2 s.
    expect(clock.sleeps).toEqual([500, 1_000]);
    expect(clock.now() - started).toBe(1_500);
    expect(waits.filter((w) => w.at >= 0).map((w) => [w.attempt, w.error.kind])).toEqual([
      [1, 'server'],
      [2, 'server'],
    ]);
  });

  it('gives up after the budget with the last error, saying what was attempted', async () => {
    const { run } = setup({ maxAttempts: 3 });
    await expect(run([fail(server503())], { what: 'part 2' })).rejects.toMatchObject({
      kind: 'server',
      status: 503,
      message: 'part 2: gave up after 3 attempts without progress; last error: HTTP 503',
    });
  });

  it('lets the caller word the give-up', async () => {
    const { run } = setup({ maxAttempts: 1 });
    await expect(run([fail(server503())], { giveUp: (why) => `delivered, but ${why}` })).rejects.toThrow(
      /^delivered, but gave up after 1 attempts/,
    );
  });

  it('starts the budget over when an attempt got further than every earlier one', async () => {
    const { run } = setup({ maxAttempts: 2 });
    let attempts = 0;
    const further = (sent: number) => (attempt: Attempt) => {
      attempts += 1;
      attempt.sent = sent;
      throw server503();
    };
    // A budget of two failures without progress: each of the first four attempts moved the
    // upload on and counts as the first of a new streak; the fifth, which did not, is the second.
    const outcome = run([further(10), further(20), further(30), further(40), further(40), further(40)]);
    await expect(outcome).rejects.toThrow(/gave up after 2 attempts/);
    expect(attempts).toBe(5);
  });

  it('honours Retry-After, slows the whole target on a 429, and retries an expired URL at once', async () => {
    const { run, clock, gate } = setup();
    const limited = new DeliveryError('rate-limited', 'HTTP 429', { status: 429, retryAfter: '7' });
    const expired = new DeliveryError('url-expired', 'Request has expired', { status: 403 });
    await run([fail(limited), fail(expired), () => 'ok']);
    expect(clock.sleeps.slice(0, 1)).toEqual([7_000]);
    expect(clock.sleeps).toContain(0);
    expect(gate.openAt).toBeGreaterThan(0);
  });

  it('fails at once on a refusal, and stops the target once on a rejected token', async () => {
    const { run, gate, logger } = setup();
    const refused = new DeliveryError('vendor-rejected', 'HTTP 400: dataset closed', { status: 400 });
    await expect(run([fail(refused), () => 'never'])).rejects.toBe(refused);
    const rejected = new DeliveryError('token-rejected', 'token rejected: HTTP 401');
    await expect(run([fail(rejected)])).rejects.toBe(rejected);
    await expect(run([fail(rejected)])).rejects.toBe(rejected);
    expect(gate.stoppedBy).toBe(rejected);
    expect(logger.ofLevel('error')).toHaveLength(1);
  });

  it('sends nothing while the target is stopped', async () => {
    const { run, gate } = setup();
    const rejected = new DeliveryError('token-rejected', 'token rejected');
    gate.stop(rejected);
    let attempts = 0;
    await expect(run([() => (attempts += 1)])).rejects.toBe(rejected);
    expect(attempts).toBe(0);
  });

  it('waits for a target that does not answer without spending the budget', async () => {
    let probes = 0;
    const { run, waits } = setup({ maxAttempts: 1 }, () => {
      probes += 1;
      if (probes < 3) throw networkError('ECONNREFUSED');
      return text(405, '');
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(run([fail(refused), fail(refused), () => 'back'])).resolves.toBe('back');
    expect(probes).toBeGreaterThanOrEqual(3);
    // The job is told of each wait for the network, then of each next attempt.
    expect(waits.filter((w) => w.at >= 0)).toHaveLength(2);
    expect(waits.filter((w) => w.at < 0)).toHaveLength(2);
  });

  it('passes a changed file and a pause straight through, untried', async () => {
    const { run, controller } = setup();
    const changed = new FileChanged('shrank');
    await expect(run([fail(changed), () => 'never'])).rejects.toBe(changed);
    const paused = new Error('paused');
    let attempts = 0;
    const outcome = run([
      () => {
        attempts += 1;
        controller.abort(paused);
        throw server503();
      },
    ]);
    await expect(outcome).rejects.toBe(paused);
    expect(attempts).toBe(1);
  });
});
