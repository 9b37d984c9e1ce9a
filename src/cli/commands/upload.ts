import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { autoLoadFix, autoLoadGap, autoLoadWarning, concernsFile } from '../../engine/auto-load.js';
import { deliverFile, type DeliveryEvent } from '../../engine/deliver-file.js';
import { DeliveryError } from '../../engine/delivery-error.js';
import type { Logger } from '../../engine/ports.js';
import { TargetGate } from '../../engine/target-gate.js';
import { fileVariables, targetSpec } from '../../engine/target-spec.js';
import { fileCheckpoints } from '../../node/file-checkpoints.js';
import { rememberingTokens } from '../../node/remembered-tokens.js';
import { TokenStore } from '../../node/token-store.js';
import { assertNever } from '../../shared/assert-never.js';
import type { FerryConfig } from '../../engine/config/config-schema.js';
import { checkName, parseRule } from '../../shared/naming.js';
import type { CommandHost } from '../command-host.js';
import type { FieldFlags } from '../config-source.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { collectField, fieldFlags } from '../field-flags.js';
import { rateFlag } from '../rate-flag.js';
import { planUpload, PlanError, type PlannedUpload } from '../upload-plan.js';
import {
  formatProgress,
  formatStateLine,
  formatUploadLine,
  formatUploadSummary,
  toUploadRecord,
  type UploadRecord,
} from '../upload-report.js';
import { privateStateDirFor } from '../state-dir-flag.js';

interface UploadOptions {
  readonly config?: string;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly stateDir?: string;
  readonly target?: string;
  readonly json?: boolean;
  readonly limitRate?: string;
  readonly offlineTimeout?: string;
  readonly field?: readonly string[];
}

/**
 * How long `ferry upload` waits for a vendor that does not answer at all before the file
 * fails: long enough to ride out a restart or a short outage, short enough that a script
 * learns of a longer one. The agent has no such limit: it delivers when the vendor is back.
 */
const DEFAULT_OFFLINE_TIMEOUT_S = 600;

/** A week: past about 24.8 days Node runs a timer at once, so an unbounded wait would not wait. */
const MAX_OFFLINE_TIMEOUT_S = 7 * 24 * 3600;

function offlineTimeoutMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_OFFLINE_TIMEOUT_S * 1000;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_OFFLINE_TIMEOUT_S)
    throw new UsageError(
      `--offline-timeout must be a number of seconds from 0 to ${MAX_OFFLINE_TIMEOUT_S}, got '${text}'`,
    );
  return seconds * 1000;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(text: string | undefined): LogLevel {
  if (text === undefined || text === '') return 'silent';
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw new UsageError(`FERRY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
}

function plan(
  config: FerryConfig,
  configPath: string,
  files: readonly string[],
  target: string | undefined,
  fields: FieldFlags,
): PlannedUpload[] {
  try {
    return files.map((file) => planUpload(config, configPath, file, target, fields));
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Why the vendor will not load this file by itself (a .ndjson to Lexer without a dataset id and a
 * record type), with the fix; undefined when it will, or when it never does for such a file.
 */
function autoLoadWarningFor(config: FerryConfig, upload: PlannedUpload): string | undefined {
  const profile = config.targets[upload.target]?.profile;
  const gap = profile === undefined ? undefined : autoLoadGap(upload.folder, profile);
  if (gap === undefined || !concernsFile(gap, basename(upload.path))) return undefined;
  return `${upload.path}: ${autoLoadWarning(gap)}; ${autoLoadFix(gap, upload.folder.fields)}`;
}

/** The file's name judged by its folder's rule; undefined when it may be delivered. */
function nameRefusal(upload: PlannedUpload): string | undefined {
  const verdict = checkName(basename(upload.path), parseRule(upload.folder.rule));
  switch (verdict.status) {
    case 'valid':
      return undefined;
    case 'ignored':
      return `not delivered: ${verdict.reason}`;
    case 'rejected':
      return verdict.suggestion === undefined
        ? verdict.reason
        : `${verdict.reason} (suggestion: ${verdict.suggestion})`;
    default:
      return assertNever(verdict);
  }
}

const SILENT: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The log sink (pino) is loaded only when something is to be logged, as it is not by default. */
async function loggerAt(level: LogLevel, secrets: () => readonly string[]): Promise<Logger> {
  if (level === 'silent') return SILENT;
  const { createLogger } = await import('../../node/logger.js');
  return createLogger({ level, secrets });
}

export function addUploadCommand(program: Command, host: CommandHost): void {
  program
    .command('upload')
    .description('deliver files now, each to the target of its configured folder (or --target)')
    .argument('<files...>', 'files to deliver')
    .option('--config <path>', 'the config file (default: $FERRY_CONFIG, else ./ferry.json)')
    .option('--endpoint <url>', 'deliver to this endpoint instead of a config (with --profile)')
    .option('--profile <name>', 'the profile of --endpoint')
    .option(
      '--state-dir <path>',
      'where multipart uploads keep their checkpoints (default: the agent state dir)',
    )
    .option('--target <name>', 'deliver to this target, whatever folder the files are in')
    .option('--json', 'print a JSON array of outcomes instead of a report')
    .option(
      '--limit-rate <rate>',
      'cap the upload rate of all files together, e.g. 500K, 5M (overrides limitRate)',
    )
    .option(
      '--field <key=value>',
      "a folder field (template variable, and for lexer and form sent as named), e.g. datasetType=transactions; repeat for more; wins over the config's",
      collectField,
      [],
    )
    .option(
      '--offline-timeout <seconds>',
      `how long to wait for a vendor that does not answer at all before a file fails (default: ${DEFAULT_OFFLINE_TIMEOUT_S})`,
    )
    .action(async (files: string[], options: UploadOptions) => {
      const giveUpAfterMs = offlineTimeoutMs(options.offlineTimeout);
      const fields = fieldFlags(options.field);
      const quick = options.endpoint !== undefined || options.profile !== undefined;
      // A quick config's folders are the files' own, given as absolute paths.
      const configPath = quick
        ? resolve('ferry.json')
        : (options.config ?? process.env.FERRY_CONFIG ?? 'ferry.json');
      const { configFromFlags } = await import('../config-source.js');
      const config = configFromFlags(
        quick ? options : { config: configPath },
        [...new Set(files.map((file) => dirname(resolve(file))))],
        fields,
      );
      const uploads = plan(config, configPath, files, options.target, fields);
      const tokens = new Set<string>();
      const logger = await loggerAt(logLevel(process.env.FERRY_LOG_LEVEL), () => [...tokens]);
      // Loaded here, not at the top: `ferry --help` loads every command's module.
      const { nodeDeliveryPorts } = await import('../../node/delivery-ports.js');
      const ports = nodeDeliveryPorts({
        logger,
        secrets: rememberingTokens(new TokenStore(), tokens),
        checkpoints: fileCheckpoints(await privateStateDirFor(options.stateDir)),
        proxy: config.proxy,
        limitRate: options.limitRate === undefined ? config.limitRate : rateFlag(options.limitRate),
        // An explicit --limit-rate applies now, whatever the config's schedule says.
        limitRateSchedule: options.limitRate === undefined ? config.limitRateSchedule : undefined,
      });
      const gates = new Map<string, TargetGate>();
      const { terminal } = host;
      const interactive = terminal.isTTY && options.json !== true;

      const controller = new AbortController();
      const interrupt = () => {
        controller.abort(new Error('interrupted'));
      };
      process.once('SIGINT', interrupt);
      const records: UploadRecord[] = [];
      try {
        for (const upload of uploads) {
          if (controller.signal.aborted) break;
          const refusal = nameRefusal(upload);
          const unloaded = autoLoadWarningFor(config, upload);
          if (refusal === undefined && unloaded !== undefined) terminal.err(`ferry: warning: ${unloaded}\n`);
          if (refusal !== undefined) {
            records.push({ file: upload.path, status: 'rejected', reason: refusal });
          } else {
            records.push(await deliverOne(upload));
          }
          const last = records.at(-1);
          if (options.json !== true && last !== undefined) terminal.out(formatUploadLine(last));
        }
      } finally {
        process.off('SIGINT', interrupt);
      }
      terminal.out(
        options.json === true ? `${JSON.stringify(records, null, 2)}\n` : formatUploadSummary(records),
      );
      host.exitWith(
        records.length === uploads.length && records.every((r) => r.status === 'completed')
          ? EXIT_OK
          : EXIT_FAILED,
      );

      /** A target's gate, which says when the target stops answering and how long Ferry waits. */
      function watchedGate(target: string): TargetGate {
        const gate = new TargetGate({ giveUpAfterMs });
        gate.reachability.onChange((offline) => {
          if (offline && options.json !== true)
            terminal.out(`  offline — waiting up to ${giveUpAfterMs / 1000} s for ${target} to answer\n`);
        });
        return gate;
      }

      async function deliverOne(upload: PlannedUpload): Promise<UploadRecord> {
        const configured = config.targets[upload.target];
        if (configured === undefined) throw new UsageError(`no target named '${upload.target}'`);
        let spec;
        try {
          spec = targetSpec(upload.target, configured, upload.folder);
        } catch (error) {
          if (error instanceof DeliveryError)
            return { file: upload.path, status: 'failed', error: error.toJobError() };
          throw error;
        }
        const gate = gates.get(upload.target) ?? watchedGate(upload.target);
        gates.set(upload.target, gate);
        if (options.json !== true) terminal.out(`→ ${upload.path} to ${upload.target}\n`);
        const onEvent = (event: DeliveryEvent) => {
          if (options.json === true) return;
          if (event.type === 'progress') {
            if (interactive) terminal.out(`\r${formatProgress(event)}\u001b[K`);
            return;
          }
          if (interactive) terminal.out('\r\u001b[K');
          // While the target does not answer, its wait was said once (see watchedGate).
          if (event.state.status === 'retry-wait' && gate.reachability.offline) return;
          const line = formatStateLine(event.state, ports.clock.now());
          if (line !== undefined && (!interactive || event.state.status !== 'uploading')) terminal.out(line);
        };
        const report = await deliverFile(
          ports,
          { ...spec, gate },
          // Absolute, so a resumed multipart upload finds its checkpoint from any working dir.
          { path: resolve(upload.path), variables: fileVariables(basename(upload.path), upload.folder) },
          { signal: controller.signal, onEvent },
        );
        if (interactive) terminal.out('\r\u001b[K');
        return toUploadRecord(upload.path, report.state);
      }
    });
}
