import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AgentCommandError, AgentNotRunning, callAgent } from '../../node/control-socket.js';
import { formatBytes } from '../../shared/format-bytes.js';
import { formatStatistics } from '../../shared/import-statistics.js';
import { receiptsCsv, type Receipt, type ReceiptFilter } from '../../shared/receipts.js';
import type { CommandHost } from '../command-host.js';
import { UsageError } from '../exit-codes.js';
import { stateDirFor } from '../state-dir-flag.js';

interface HistoryFlags {
  readonly config?: string;
  readonly stateDir?: string;
  readonly since?: string;
  readonly until?: string;
  readonly folder?: string;
  readonly target?: string;
  readonly format: string;
}

const FORMATS = ['text', 'csv', 'json'] as const;
const DAY_MS = 86_400_000;

/**
 * `2026-12-03` (a UTC day: since its start, until its end) or an ISO 8601 time. Deliveries are
 * stamped in UTC, so a date means the same day wherever the command runs.
 */
function timeFlag(flag: string, text: string, endOfDay: boolean): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms))
    throw new UsageError(`${flag} must be a date (2026-12-03) or an ISO 8601 time, got '${text}'`);
  return day && endOfDay ? ms + DAY_MS : ms;
}

function filterOf(flags: HistoryFlags): ReceiptFilter {
  return {
    ...(flags.since === undefined ? {} : { since: timeFlag('--since', flags.since, false) }),
    ...(flags.until === undefined ? {} : { until: timeFlag('--until', flags.until, true) }),
    ...(flags.folder === undefined ? {} : { folder: resolve(flags.folder) }),
    ...(flags.target === undefined ? {} : { target: flags.target }),
  };
}

async function receipts(flags: HistoryFlags, filter: ReceiptFilter): Promise<readonly Receipt[]> {
  const stateDir = stateDirFor(flags.stateDir);
  // A running agent reads its folders' rules from its live settings; without one, --config gives them.
  if (flags.config === undefined) {
    try {
      return await callAgent(stateDir, 'history.list', filter);
    } catch (error) {
      if (error instanceof AgentCommandError) throw new UsageError(error.message);
      if (!(error instanceof AgentNotRunning)) throw error;
    }
  }
  // The config and the stored receipts bring the schemas: loaded when asked, not for --help.
  const [{ loadConfigFile }, { storedReceipts }] = await Promise.all([
    import('../config-source.js'),
    import('../../node/stored-expectations.js'),
  ]);
  return storedReceipts(
    stateDir,
    flags.config === undefined ? undefined : loadConfigFile(flags.config),
    filter,
  );
}

function receiptJson(r: Receipt) {
  return { ...r, deliveredAt: new Date(r.deliveredAt).toISOString() };
}

function textLine(r: Receipt): string {
  const facts = [
    formatBytes(r.size),
    `sha256 ${r.sha256}`,
    `→ ${r.target} ${r.remoteId}`,
    ...(r.attempts === undefined ? [] : [`${r.attempts} attempt(s)`]),
    ...(r.statistics === undefined ? [] : [formatStatistics(r.statistics)]),
    ...(r.redeliveryOf === undefined ? [] : [`corrects ${r.redeliveryOf}`]),
  ];
  return `${new Date(r.deliveredAt).toISOString()}  ${r.file}  ${facts.join('  ')}\n`;
}

export function addHistoryCommand(program: Command, host: CommandHost): void {
  program
    .command('history')
    .description('every delivery in the ledger: the receipts (name, size, sha256, remote id, when)')
    .option('--since <date>', 'delivered on or after (2026-12-01, a UTC day, or an ISO 8601 time)')
    .option('--until <date>', 'delivered up to (a UTC day, included, or an ISO 8601 time, excluded)')
    .option('--folder <path>', 'only deliveries from this watched folder')
    .option('--target <name>', 'only deliveries to this target')
    .option('--format <format>', 'text, csv (RFC 4180) or json', 'text')
    .option(
      '--config <file>',
      "the folders' naming rules, to tell corrected files (default: the running agent's)",
    )
    .option('--state-dir <dir>', 'the agent state dir (default: FERRY_STATE_DIR or the app-data dir)')
    .action(async (flags: HistoryFlags) => {
      if (!(FORMATS as readonly string[]).includes(flags.format))
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${flags.format}'`);
      const found = await receipts(flags, filterOf(flags));
      if (flags.format === 'csv') host.terminal.out(receiptsCsv(found));
      else if (flags.format === 'json')
        host.terminal.out(`${JSON.stringify(found.map(receiptJson), null, 2)}\n`);
      else for (const receipt of found) host.terminal.out(textLine(receipt));
    });
}
