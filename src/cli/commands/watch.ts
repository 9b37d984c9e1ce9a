import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { folderWarnings } from '../../engine/auto-load.js';
import type { FerryConfig } from '../../engine/config/config-schema.js';
import type { JobRecord } from '../../engine/job-store.js';
import type { SecretStore } from '../../engine/ports.js';
import type { AgentRuntime } from '../../node/agent-runtime.js';
import { StateDirLockedError } from '../../node/state-dir-lock.js';
import { ensureStateDir } from '../../node/state-dir.js';
import { TokenStore } from '../../node/token-store.js';
import type { SettingsStore } from '../../node/settings-store.js';
import type { UiServer } from '../../node/ui-server.js';
import type { FerryMetrics } from '../../node/ferry-metrics.js';
import { parseMetricsAddress, serveMetrics, type MetricsAddress } from '../../node/metrics-server.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../shared/config.js';
import type { CommandHost } from '../command-host.js';
import { sharedConfigPath } from '../config-names.js';
import type { openConfigStore } from '../config-store.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { collectField, fieldFlags } from '../field-flags.js';
import { stateDirFor } from '../state-dir-flag.js';
import { rateFlag } from '../rate-flag.js';
import { needsAttention, runOutcome, type RunOutcome } from '../run-outcome.js';
import { WatchReporter } from '../watch-report.js';

interface WatchFlags {
  readonly config?: string;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly stateDir?: string;
  readonly once?: boolean;
  readonly concurrency?: string;
  readonly settle: string;
  readonly poll?: boolean;
  readonly limitRate?: string;
  readonly json?: boolean;
  readonly sandbox?: boolean;
  readonly ui?: boolean;
  readonly uiPort?: string;
  readonly metrics?: string;
  readonly field?: readonly string[];
}

/** The longest settle window: a file unchanged for an hour has settled; past 24.8 days Node's timer fires at once. */
const MAX_SETTLE_SECONDS = 3600;

function positive(flag: string, text: string, integer: boolean, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `${flag} must be a positive ${integer ? 'whole ' : ''}number up to ${max}, got '${text}'`,
    );
  }
  return value;
}

/** With --config, a folder argument picks that folder out of the config. */
function onlyFolder(config: FerryConfig, folder: string | undefined, fromFile: boolean): FerryConfig {
  if (folder === undefined || !fromFile) return config;
  const wanted = resolve(folder);
  const folders = config.folders.filter((f) => resolve(f.path) === wanted);
  if (folders.length === 0) throw new UsageError(`the folder ${folder} is not in the config`);
  return { ...config, folders };
}

/** Re-exported for callers that imported it from here; new code imports ../state-dir-flag.js. */
export { stateDirFor };

function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** What a `--once` run came to: its own jobs, and the files of its folders refused before and unchanged. */
function outcomeOf(jobs: readonly JobRecord[], since: number, config: FerryConfig): RunOutcome {
  const folders = config.folders.map((folder) => resolve(folder.path));
  return runOutcome(jobs, since, folders, existsSync);
}

/** Where settings saved from the window go, or why they cannot be saved. */
interface SettingsFile {
  readonly settingsStore?: SettingsStore;
  readonly readOnly?: string;
}

/**
 * Settings are saved to the config file the agent was started with (the shared
 * one when given none, created by the first save). An agent started from flags
 * has no file, and saving to the shared one would change what the next plain
 * `ferry watch` and the desktop app do behind the user's back: read-only.
 */
function settingsFile(
  flags: WatchFlags,
  folder: string | undefined,
  fromFile: boolean,
  openStore: typeof openConfigStore,
): SettingsFile {
  const fieldsGiven = (flags.field ?? []).length > 0;
  const shared = sharedConfigPath();
  if (!fromFile && (flags.endpoint !== undefined || flags.profile !== undefined || flags.sandbox === true))
    return {
      readOnly: `Settings cannot be saved: this agent was started with ${flags.sandbox === true ? '--sandbox' : '--endpoint and --profile'}, not a config file. Start it with --config <file>, or with neither to use ${shared}.`,
    };
  const path = flags.config ?? shared;
  if (folder !== undefined)
    return {
      readOnly: `Settings cannot be saved: this agent watches one folder of ${path}, and saving here would drop the others. Start it without a folder argument to edit them.`,
    };
  // The folders show the --field values, which saving would write into the file for good.
  if (fieldsGiven)
    return {
      readOnly: `Settings cannot be saved: this agent was started with --field, whose values are not in ${path}. Start it without --field to edit them.`,
    };
  return { settingsStore: openStore(path) };
}

/** The first-run trial's sandbox, loaded only when asked for (it brings s3rver and the AWS SDK). */
async function trialSandbox() {
  const { startSandbox } = await import('../../sandbox/sandbox.js');
  const sandbox = await startSandbox({ port: 0 });
  return { endpoint: sandbox.endpoint, token: sandbox.token, close: () => sandbox.close() };
}

function metricsFlag(flags: WatchFlags): MetricsAddress | undefined {
  if (flags.metrics === undefined) return undefined;
  const address = parseMetricsAddress(flags.metrics);
  if ('problem' in address) throw new UsageError(address.problem);
  return address;
}

/** `--metrics`: the agent's metrics for Prometheus, from its first event on. */
async function openMetrics(
  address: MetricsAddress,
  metrics: FerryMetrics,
  runtime: AgentRuntime,
  host: CommandHost,
  json: boolean,
) {
  metrics.attach({
    jobs: () => runtime.agent.jobs(),
    offlineTargets: () => runtime.agent.offlineTargets(),
    targets: () => runtime.targetNames(),
    expectations: () => runtime.expectations.current(),
  });
  const { readLedger } = await import('../../node/delivery-ledger.js');
  metrics.seed(await readLedger(runtime.stateDir));
  const server = await serveMetrics(address, metrics);
  host.terminal.out(
    json ? `${JSON.stringify({ type: 'metrics', url: server.url })}\n` : `Metrics: ${server.url}\n`,
  );
  return server;
}

async function start(
  flags: WatchFlags,
  config: FerryConfig,
  tokens: SecretStore,
  file: SettingsFile,
  metrics: FerryMetrics | undefined,
  reporter: WatchReporter,
): Promise<AgentRuntime> {
  // A demo against the sandbox keeps its own jobs and ledger, apart from real deliveries.
  const stateDir = await ensureStateDir(
    stateDirFor(
      flags.stateDir ?? (flags.sandbox === true ? join(stateDirFor(undefined), 'sandbox') : undefined),
    ),
  );
  // Every token the agent reads is removed from its log wherever it appears.
  // Loaded here, not at the top: the log brings pino, which `ferry --help` does not need.
  const { openAgentLog } = await import('../../node/agent-log.js');
  const log = await openAgentLog(stateDir, tokens);
  for (const warning of folderWarnings(config)) reporter.warn(warning);
  try {
    // Loaded here, not at the top: `ferry --help` loads every command's module.
    const { startAgentRuntime } = await import('../../node/agent-runtime.js');
    return await startAgentRuntime({
      stateDir,
      config,
      // The flag wins over the file: it is the more specific, given for this one run.
      concurrency:
        flags.concurrency === undefined
          ? (config.concurrency ?? DEFAULT_CONCURRENCY)
          : positive('--concurrency', flags.concurrency, true, MAX_CONCURRENCY),
      settle: {
        windowMs: positive('--settle', flags.settle, false, MAX_SETTLE_SECONDS) * 1000,
        pollMs: 250,
      },
      polling: flags.poll === true,
      ...(flags.limitRate === undefined ? {} : { limitRate: rateFlag(flags.limitRate) }),
      logger: log.logger,
      secrets: log.secrets,
      ...(tokens instanceof TokenStore ? { tokenWriter: tokens } : {}),
      ...file,
      openSandbox: trialSandbox,
      onEvent: (event) => {
        reporter.onEvent(event);
        metrics?.onAgentEvent(event);
      },
    });
  } catch (error) {
    if (error instanceof StateDirLockedError) throw new UsageError(error.message);
    throw error;
  }
}

/** The built renderer: dist/renderer, beside dist/cli. */
const RENDERER_DIR = fileURLToPath(new URL('../../renderer', import.meta.url));

/** `--ui`: the app window on 127.0.0.1, its address (with the per-run token) printed once. */
async function openUi(flags: WatchFlags, runtime: AgentRuntime, host: CommandHost): Promise<UiServer> {
  const port = flags.uiPort === undefined ? 0 : Number(flags.uiPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--ui-port must be a port number, got '${flags.uiPort ?? ''}'`);
  // Only `--ui` serves the window: a plain watch does not load the server.
  const { startUiServer } = await import('../../node/ui-server.js');
  const ui = await startUiServer({
    service: runtime.service,
    rendererDir: RENDERER_DIR,
    uploadsDir: join(runtime.stateDir, 'uploads'),
    uploadLimit: (target) => runtime.uploadLimit(target),
    port,
  });
  host.terminal.out(
    flags.json === true ? `${JSON.stringify({ type: 'ui', url: ui.url })}\n` : `UI: ${ui.url}\n`,
  );
  return ui;
}

/** The embedded sandbox of `--sandbox`: a lexer-style vendor on loopback, and its token. */
async function openSandbox(flags: WatchFlags, folder: string | undefined, host: CommandHost) {
  if (
    folder === undefined ||
    flags.config !== undefined ||
    flags.endpoint !== undefined ||
    flags.profile !== undefined
  ) {
    throw new UsageError('--sandbox takes a folder, and no --config, --endpoint or --profile');
  }
  // Loaded only here: the sandbox brings s3rver and the AWS SDK, tens of MiB a real watch never needs.
  const { startSandbox } = await import('../../sandbox/sandbox.js');
  const sandbox = await startSandbox({ port: 0 });
  const token = sandbox.token;
  if (flags.json !== true)
    host.terminal.out(`Sandbox: ${sandbox.endpoint} (what arrives is listed at the end)\n`);
  const { quickConfig } = await import('../config-source.js');
  const config = quickConfig(`${sandbox.endpoint}/v1/uploads`, 'lexer', [folder], fieldFlags(flags.field));
  return {
    // The sandbox keeps what arrives and loads nothing: no dataset id or record type to ask for.
    config: { ...config, folders: config.folders.map((f) => ({ ...f, loading: 'manual' as const })) },
    tokens: { token: () => Promise.resolve(token) } satisfies SecretStore,
    report: async () => {
      const arrived = await sandbox.deliveries();
      host.terminal.out(`${arrived.length} file(s) arrived at the sandbox in this run:\n`);
      for (const d of arrived)
        host.terminal.out(`  ${d.filename}  ${d.size} B  sha256 ${d.sha256.slice(0, 16)}…\n`);
    },
    close: () => sandbox.close(),
  };
}

export function addWatchCommand(program: Command, host: CommandHost): void {
  program
    .command('watch')
    .description(
      'watch folders and deliver every good file once, until stopped (or, with --once, until done)',
    )
    .argument('[folder]', 'the folder to watch (with --config: one of its folders)')
    .option('--config <file>', 'targets and folders from a config file')
    .option('--endpoint <url>', "the target's first URL (with --profile)")
    .option('--profile <name>', 'lexer, analytics, form, s3-multipart or presigned-put')
    .option('--state-dir <dir>', 'journal, ledger and logs (default: FERRY_STATE_DIR or the app-data dir)')
    .option('--once', 'deliver what is there and what arrives meanwhile, then exit')
    .option(
      '--concurrency <n>',
      `deliveries at a time per target (default: the config's, else ${DEFAULT_CONCURRENCY})`,
    )
    .option('--settle <seconds>', 'how long a file must stay unchanged before it is taken', '2')
    .option('--poll', 'poll the folders (network shares) instead of OS events')
    .option(
      '--limit-rate <rate>',
      'cap the upload rate of all deliveries together, e.g. 500K, 5M (overrides limitRate and its schedule)',
    )
    .option('--json', 'print JSON lines')
    .option(
      '--sandbox',
      'deliver to a sandbox started in this process (to try Ferry; nothing leaves the machine)',
    )
    .option(
      '--ui',
      'serve the app window on 127.0.0.1 (its address, with an access token, is printed); with no config at all, it opens on the first-run setup',
    )
    .option('--ui-port <port>', 'the port for --ui (default: a free one)')
    .option(
      '--metrics <host:port>',
      'serve Prometheus metrics on http://<host:port>/metrics (":9184" or a bare port: loopback)',
    )
    .option(
      '--field <key=value>',
      "a field for every folder (template variable, and for lexer and form sent as named), e.g. datasetType=transactions; repeat for more; wins over the config's",
      collectField,
      [],
    )
    .action(async (folder: string | undefined, flags: WatchFlags) => {
      const quick = flags.endpoint !== undefined || flags.profile !== undefined || flags.sandbox === true;
      const fromFile = flags.config !== undefined || (!quick && existsSync(sharedConfigPath()));
      const ui = flags.ui === true || flags.uiPort !== undefined;
      // No config at all, with the window: its first-run setup writes the shared config.
      const firstRun = ui && !quick && !fromFile && folder === undefined;
      if (!fromFile && folder === undefined && !firstRun) {
        throw new UsageError(
          `give a folder to watch, or --config <file> (there is no ${sharedConfigPath()})`,
        );
      }
      // The config schemas (zod) load with the reading of a config, not with `ferry --help`.
      const [{ configFromFlags }, { openConfigStore }] = await Promise.all([
        import('../config-source.js'),
        import('../config-store.js'),
      ]);
      const sandbox = flags.sandbox === true ? await openSandbox(flags, folder, host) : undefined;
      try {
        const config = firstRun
          ? { targets: {}, folders: [] }
          : (sandbox?.config ??
            onlyFolder(
              configFromFlags(flags, folder === undefined ? [] : [folder], fieldFlags(flags.field)),
              folder,
              fromFile,
            ));
        // With the window, folders can be added there.
        if (config.folders.length === 0 && !ui) throw new UsageError('the config names no folders to watch');
        const startedAt = Date.now();
        const metricsAddress = metricsFlag(flags);
        // Built before the agent, so it hears the agent's first events.
        const metrics =
          metricsAddress === undefined
            ? undefined
            : new (await import('../../node/ferry-metrics.js')).FerryMetrics();
        const reporter = new WatchReporter(host.terminal.out, flags.json === true);
        const runtime = await start(
          flags,
          config,
          sandbox?.tokens ?? new TokenStore(),
          settingsFile(flags, folder, fromFile, openConfigStore),
          metrics,
          reporter,
        );
        const metricsServer =
          metricsAddress === undefined || metrics === undefined
            ? undefined
            : await openMetrics(metricsAddress, metrics, runtime, host, flags.json === true).catch(
                async (error: unknown) => {
                  await runtime.close();
                  throw error;
                },
              );
        const window = ui
          ? await openUi(flags, runtime, host).catch(async (error: unknown) => {
              await runtime.close();
              throw error;
            })
          : undefined;
        if (flags.once === true) await runtime.agent.idle();
        else await untilSignalled();
        await window?.close();
        await metricsServer?.close();
        const jobs = runtime.agent.jobs();
        // Files held for a new token were not delivered: `--once` must not end as if they were.
        const tokenRejected = runtime.agent.stoppedTargets().length > 0;
        await runtime.close();
        if (sandbox !== undefined && flags.json !== true) await sandbox.report();
        if (flags.once !== true) {
          host.exitWith(EXIT_OK);
          return;
        }
        const outcome = outcomeOf(jobs, startedAt, config);
        reporter.ended(outcome);
        host.exitWith(tokenRejected || needsAttention(outcome) ? EXIT_FAILED : EXIT_OK);
      } finally {
        await sandbox?.close();
      }
    });
}
