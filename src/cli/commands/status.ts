import type { Command } from 'commander';
import { AgentCommandError, AgentNotRunning, callAgent } from '../../node/control-socket.js';
import { isOverdue, type ExpectationsView } from '../../shared/expectations.js';
import type { CommandHost } from '../command-host.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { stateDirFor } from '../state-dir-flag.js';
import { formatStatus } from '../status-report.js';
import { expectationRecord } from '../watch-report.js';

interface StatusFlags {
  readonly config?: string;
  readonly stateDir?: string;
  readonly json?: boolean;
  readonly days: string;
}

function daysFlag(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new UsageError(`--days must be a whole number from 1 to 366, got '${text}'`);
  return days;
}

/** The running agent's view (it knows which targets are offline); else the state dir's own. */
async function expectations(flags: StatusFlags, days: number): Promise<ExpectationsView> {
  const stateDir = stateDirFor(flags.stateDir);
  try {
    return await callAgent(stateDir, 'expectations.list', { days });
  } catch (error) {
    if (error instanceof AgentCommandError) throw new UsageError(error.message);
    if (!(error instanceof AgentNotRunning)) throw error;
  }
  // The config and the stored expectations bring the schemas: loaded when asked, not for --help.
  const [{ configFromFlags }, { storedExpectations }] = await Promise.all([
    import('../config-source.js'),
    import('../../node/stored-expectations.js'),
  ]);
  return storedExpectations(stateDir, configFromFlags({ ...flags }, []), Date.now(), days);
}

export function addStatusCommand(program: Command, host: CommandHost): void {
  program
    .command('status')
    .description(
      "today's expected files per folder, and the last days as a grid; exit 1 when any is late or missing",
    )
    .option(
      '--config <file>',
      'the folders and their expected files (when no agent runs; default: the shared config)',
    )
    .option('--state-dir <dir>', 'the agent state dir (default: FERRY_STATE_DIR or the app-data dir)')
    .option('--days <n>', 'how many days to show, today included', '7')
    .option(
      '--json',
      'print a JSON array: { folder, descriptor, date, due, state, deliveredAt?, file?, cause?, reason? }',
    )
    .action(async (flags: StatusFlags) => {
      const { statuses } = await expectations(flags, daysFlag(flags.days));
      host.terminal.out(
        flags.json === true
          ? `${JSON.stringify(statuses.map(expectationRecord), null, 2)}\n`
          : formatStatus(statuses),
      );
      host.exitWith(statuses.some(isOverdue) ? EXIT_FAILED : EXIT_OK);
    });
}
