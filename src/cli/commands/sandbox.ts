import type { Command } from 'commander';
import type { RunningSandbox, SandboxOptions } from '../../sandbox/sandbox.js';
import { DEFAULT_URL_TTL_SECONDS } from '../../sandbox/url-ttl.js';
import type { CommandHost } from '../command-host.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';

interface SandboxFlags {
  readonly port?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly token?: string;
  readonly urlTtl?: string;
  readonly failRate?: string;
  readonly rateLimit?: string;
  readonly latency?: string;
  readonly answerDelay?: string;
  readonly stallRate?: string;
}

function numberFlag(
  flag: string,
  text: string | undefined,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok)
    throw new UsageError(
      `${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${text}"`,
    );
  return value;
}

function optionsFrom(flags: SandboxFlags): SandboxOptions {
  const port = numberFlag('--port', flags.port, 0, 65_535, true);
  const urlTtlSeconds = numberFlag('--url-ttl', flags.urlTtl, 1, 604_800, true);
  const failRate = numberFlag('--fail-rate', flags.failRate, 0, 1, false);
  const rateLimitPerSecond = numberFlag('--rate-limit', flags.rateLimit, 0.001, 1_000_000, false);
  const latencyMs = numberFlag('--latency', flags.latency, 0, 3_600_000, true);
  const answerDelayMs = numberFlag('--answer-delay', flags.answerDelay, 0, 3_600_000, true);
  const stallRate = numberFlag('--stall-rate', flags.stallRate, 0, 1, false);
  if (flags.token?.trim() === '') throw new UsageError('--token must not be empty');
  return {
    ...(port === undefined ? {} : { port }),
    ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
    ...(flags.token === undefined ? {} : { token: flags.token }),
    ...(urlTtlSeconds === undefined ? {} : { urlTtlSeconds }),
    ...(failRate === undefined ? {} : { failRate }),
    ...(rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(answerDelayMs === undefined ? {} : { answerDelayMs }),
    ...(stallRate === undefined ? {} : { stallRate }),
  };
}

function startLine(sandbox: RunningSandbox, options: SandboxOptions): string {
  return `${JSON.stringify({
    endpoint: sandbox.endpoint,
    token: sandbox.token,
    s3: sandbox.s3,
    dataDir: sandbox.dataDir,
    dataDirKept: options.dataDir !== undefined,
    urlTtlSeconds: sandbox.urlTtlSeconds,
    faults: {
      failRate: options.failRate ?? 0,
      stallRate: options.stallRate ?? 0,
      rateLimitPerSecond: options.rateLimitPerSecond ?? null,
      latencyMs: options.latencyMs ?? 0,
      answerDelayMs: options.answerDelayMs ?? 0,
    },
  })}\n`;
}

function startReport(sandbox: RunningSandbox, options: SandboxOptions): string {
  const { s3 } = sandbox;
  return [
    `Ferry sandbox listening on ${sandbox.endpoint}`,
    `  API token:  ${sandbox.token}`,
    `  S3 store:   ${s3.endpoint}  bucket ${s3.bucket}  key ${s3.accessKeyId}  secret ${s3.secretAccessKey}  region ${s3.region}`,
    `  data:       ${sandbox.dataDir}${options.dataDir === undefined ? ' (temporary, removed on exit)' : ''}`,
    `  deliveries: curl -H 'Auth-Api-Token: ${sandbox.token}' ${sandbox.endpoint}/sandbox/deliveries`,
    '',
    'Try it:',
    `  url=$(curl -s -XPOST -H 'Auth-Api-Token: ${sandbox.token}' ${sandbox.endpoint}/v1/uploads -H 'Content-type: application/json' -d '{"filename": "customers-2024-01-31-v1.csv"}' | jq -r .url)`,
    '  curl -XPUT "${url}" --upload-file customers-2024-01-31-v1.csv',
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function addSandboxCommand(program: Command, host: CommandHost): void {
  program
    .command('sandbox')
    .description(
      'run the receiving side locally: the vendor upload APIs in front of a real S3-protocol store',
    )
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .option('--data-dir <dir>', 'keep objects and records here, across restarts (default: a temporary dir)')
    .option('--json', 'print one JSON line with the endpoint, token and S3 store instead of a report')
    .option('--token <token>', 'accept this demo token instead of a fresh random one')
    .option('--url-ttl <seconds>', `lifetime of presigned URLs (default ${DEFAULT_URL_TTL_SECONDS})`)
    .option('--fail-rate <0..1>', 'fraction of API calls and PUTs answered 500, 503 or a connection reset')
    .option('--rate-limit <n>', 'API requests per second before 429 with Retry-After')
    .option('--latency <ms>', 'delay before every API call and PUT is handled')
    .option('--answer-delay <ms>', 'delay between storing a PUT and answering it')
    .option('--stall-rate <0..1>', 'fraction of API calls and PUTs left hanging')
    .action(async (flags: SandboxFlags) => {
      const options = optionsFrom(flags);
      // Listen before anything is printed: a signal sent as soon as the start line is
      // read must stop the sandbox cleanly, not kill it with the default action.
      const stopped = untilSignal();
      let sandbox: RunningSandbox;
      try {
        // Loaded here, not at the top: `ferry --help` loads every command's module.
        const { startSandbox } = await import('../../sandbox/sandbox.js');
        sandbox = await startSandbox(options);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`port ${options.port ?? 0} is already in use`);
        }
        throw error;
      }
      host.terminal.out(flags.json === true ? startLine(sandbox, options) : startReport(sandbox, options));
      const signal = await stopped;
      if (flags.json !== true) host.terminal.err(`\n${signal}: stopping the sandbox\n`);
      await sandbox.close();
      host.exitWith(EXIT_OK);
    });
}
