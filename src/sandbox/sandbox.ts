import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnalyticsImport } from './analytics-import.js';
import { BackgroundWork } from './background-work.js';
import { ObjectStore, STORE_CREDENTIALS } from './object-store.js';
import { Presigner } from './presigner.js';
import { RateLimiter } from './rate-limiter.js';
import { createRequestHandler } from './request-handler.js';
import type { SandboxContext } from './sandbox-context.js';
import { StateStore, type Delivery, type MultipartUpload } from './sandbox-state.js';
import { TokenRegistry } from './token-registry.js';

export type { Delivery, DeliveryApi, MultipartUpload } from './sandbox-state.js';

/** The bucket every delivery lands in. */
export const SANDBOX_BUCKET = 'deliveries';
import { DEFAULT_URL_TTL_SECONDS } from './url-ttl.js';

export { DEFAULT_URL_TTL_SECONDS };
const DEFAULT_PROCESSING_DELAY_MS = 250;
/** S3's minimum size for every multipart part but the last. */
const S3_MIN_PART_SIZE = 5 * 1024 * 1024;

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Where objects and records live; kept across restarts. Default: a temporary dir, removed on close. */
  readonly dataDir?: string;
  readonly urlTtlSeconds?: number;
  /** Probability (0..1) of a 500, 503 or connection reset on an API call or a PUT. */
  readonly failRate?: number;
  /** API requests per second before 429 with Retry-After. */
  readonly rateLimitPerSecond?: number;
  readonly latencyMs?: number;
  /**
   * How long a PUT's answer waits after its object is stored: a vendor slow to confirm, for
   * trying what a client does when a file changes between its bytes arriving and the answer.
   */
  readonly answerDelayMs?: number;
  /** Probability (0..1) that an API call or a PUT hangs. */
  readonly stallRate?: number;
  /** Source of randomness for the faults; inject it to make them deterministic. */
  readonly random?: () => number;
  /** The demo token to accept (default: a fresh random one each start). */
  readonly token?: string;
  /** How long an analytics file or form task waits before its import runs. */
  readonly processingDelayMs?: number;
  /** Minimum size of every multipart part but the last (S3: 5 MiB). */
  readonly minPartSize?: number;
  /** Where the sandbox reports its own internal errors. */
  readonly log?: (message: string) => void;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT`: the vendor APIs and the presigned-URL endpoint. */
  readonly endpoint: string;
  readonly token: string;
  /** The raw S3 store behind the sandbox (s3rver, no signature checks), for S3 tools. */
  readonly s3: {
    readonly endpoint: string;
    readonly bucket: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly region: string;
  };
  readonly dataDir: string;
  readonly urlTtlSeconds: number;
  deliveries(): Promise<Delivery[]>;
  /** The multipart uploads the sandbox still holds: neither completed nor aborted. */
  openUploads(): Promise<MultipartUpload[]>;
  close(): Promise<void>;
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max)) {
    throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Starts the receiving side: vendor APIs on one loopback port, s3rver behind them. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  // The SDK warns about Node versions its future releases will drop; the pinned release works,
  // and the warning would land in the output of every command that starts a sandbox.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  checkRange('port', options.port, 0, 65_535);
  checkRange('urlTtlSeconds', options.urlTtlSeconds, 1, 604_800);
  checkRange('failRate', options.failRate, 0, 1);
  checkRange('stallRate', options.stallRate, 0, 1);
  checkRange('rateLimitPerSecond', options.rateLimitPerSecond, Number.MIN_VALUE, Number.MAX_VALUE);
  checkRange('latencyMs', options.latencyMs, 0, 3_600_000);
  checkRange('answerDelayMs', options.answerDelayMs, 0, 3_600_000);

  const temporary =
    options.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'ferry-sandbox-')) : undefined;
  const dataDir = options.dataDir ?? temporary ?? '';
  const log = options.log ?? ((message: string) => process.stderr.write(`ferry sandbox: ${message}\n`));
  const state = await StateStore.open(dataDir);
  const objects = await ObjectStore.start(join(dataDir, 's3'), SANDBOX_BUCKET);
  const server = createServer();
  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    await objects.close();
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const urlTtlSeconds = options.urlTtlSeconds ?? DEFAULT_URL_TTL_SECONDS;
  const tokens = new TokenRegistry(state);
  const ctx: SandboxContext = {
    state,
    tokens,
    objects,
    presigner: new Presigner(endpoint, SANDBOX_BUCKET, STORE_CREDENTIALS, urlTtlSeconds),
    background: new BackgroundWork(),
    processingDelayMs: options.processingDelayMs ?? DEFAULT_PROCESSING_DELAY_MS,
    minPartSize: options.minPartSize ?? S3_MIN_PART_SIZE,
    answerDelayMs: options.answerDelayMs ?? 0,
    log,
  };
  const handler = createRequestHandler(ctx, {
    latencyMs: options.latencyMs ?? 0,
    rates: { failRate: options.failRate ?? 0, stallRate: options.stallRate ?? 0 },
    limiter:
      options.rateLimitPerSecond === undefined ? undefined : new RateLimiter(options.rateLimitPerSecond),
    random: options.random ?? Math.random,
  });
  server.on('request', handler);
  // Handling Expect: 100-continue ourselves lets a refused upload be refused before its body is sent.
  server.on('checkContinue', handler);

  const token = tokens.issueDemoToken(options.token);
  // Imports interrupted by a stop are run again.
  for (const file of state.state.analytics)
    if (file.status === 'Processing') startAnalyticsImport(ctx, file.id);
  await state.save();

  let closing: Promise<void> | undefined;
  const close = async () => {
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    // Stalled and kept-alive connections would otherwise hold close() open forever.
    server.closeAllConnections();
    await closed;
    await ctx.background.stop();
    await state.save();
    ctx.presigner.close();
    await objects.close();
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
  };

  return {
    endpoint,
    token,
    s3: { endpoint: objects.endpoint, bucket: SANDBOX_BUCKET, ...STORE_CREDENTIALS },
    dataDir,
    urlTtlSeconds,
    deliveries: () => Promise.resolve(structuredClone(state.state.deliveries)),
    openUploads: () => Promise.resolve(structuredClone(state.state.multipart)),
    close: () => (closing ??= close()),
  };
}
