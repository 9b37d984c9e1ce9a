import type { Command } from 'commander';
import { jobView } from '../../engine/job-view.js';
import { AgentCommandError, AgentNotRunning, callAgent } from '../../node/control-socket.js';
import { afterIntents } from '../../engine/stored-intents.js';
import { readJournal } from '../../node/journal.js';
import { queueIntents, storedIntents } from '../../node/stored-queue.js';
import { StateDirLockedError } from '../../node/state-dir-lock.js';
import type { CommandArgs, CommandName, CommandResult, JobView } from '../../shared/contract.js';
import type { CommandHost } from '../command-host.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { formatJobsTable, waitingOffline } from '../jobs-report.js';
import { privateStateDirFor } from '../state-dir-flag.js';

interface StateFlags {
  readonly stateDir?: string;
  readonly json?: boolean;
}

/** Asks the running agent; undefined when none runs on the state dir. */
async function askAgent<N extends CommandName>(stateDir: string, name: N, args: CommandArgs<N>) {
  try {
    return await callAgent(stateDir, name, args);
  } catch (error) {
    if (error instanceof AgentNotRunning) return undefined;
    if (error instanceof AgentCommandError) throw new UsageError(error.message);
    throw error;
  }
}

async function onStoredQueue(
  stateDir: string,
  intentFor: Parameters<typeof queueIntents>[1],
): Promise<number> {
  try {
    return await queueIntents(stateDir, intentFor);
  } catch (error) {
    if (error instanceof StateDirLockedError) throw new UsageError(error.message);
    throw error;
  }
}

/** The shape `ferry jobs --json` documents. */
function jobRecord(job: JobView) {
  return {
    id: job.id,
    file: job.path,
    status: job.status,
    size: job.size ?? null,
    ...(job.sha256 === undefined ? {} : { sha256: job.sha256 }),
    sent: job.sent ?? (job.status === 'completed' ? (job.size ?? 0) : 0),
    attempts: job.attempts,
    ...(job.remoteId === undefined ? {} : { remoteId: job.remoteId }),
    ...(job.taskId === undefined ? {} : { taskId: job.taskId }),
    ...(job.statistics === undefined ? {} : { statistics: job.statistics }),
    ...(job.superseded === undefined
      ? {}
      : { superseded: job.superseded.map(({ remoteId, size, sha256 }) => ({ remoteId, size, sha256 })) }),
    ...(job.error === undefined ? {} : { error: job.error.message }),
    ...(job.reason === undefined ? {} : { reason: job.reason }),
    updatedAt: new Date(job.updatedAt).toISOString(),
  };
}

function option(command: Command): Command {
  return command.option(
    '--state-dir <dir>',
    'the agent state dir (default: FERRY_STATE_DIR or the app-data dir)',
  );
}

export function addControlCommands(program: Command, host: CommandHost): void {
  const say = (text: string) => {
    host.terminal.out(`${text}\n`);
  };

  option(program.command('jobs').description('list the jobs of the running agent, or of the stored queue'))
    .option('--json', 'print a JSON array')
    .action(async (flags: StateFlags) => {
      const stateDir = await privateStateDirFor(flags.stateDir);
      const jobs: readonly JobView[] =
        (await askAgent(stateDir, 'jobs.list', {})) ?? afterIntents(await readJournal(stateDir)).map(jobView);
      const sorted = [...jobs].sort((a, b) => a.createdAt - b.createdAt);
      // Only a running agent knows which targets do not answer; a stored queue waits for none.
      const offline = (await askAgent(stateDir, 'agent.summary', {}))?.offlineTargets ?? [];
      const records = sorted.map((job) => ({
        ...jobRecord(job),
        ...(waitingOffline(job, offline) ? { offline: true } : {}),
      }));
      host.terminal.out(
        flags.json === true ? `${JSON.stringify(records, null, 2)}\n` : formatJobsTable(sorted, offline),
      );
    });

  option(program.command('retry').description('try a failed or rejected job again'))
    .argument('[job-id]', 'the job to retry')
    .option('--failed', 'retry every failed job')
    .option('--force', 'send it anyway: even if its content checks failed or its bytes were delivered before')
    .action(async (id: string | undefined, flags: StateFlags & { failed?: boolean; force?: boolean }) => {
      if ((id === undefined) === (flags.failed !== true)) throw new UsageError('give a job id or --failed');
      const stateDir = await privateStateDirFor(flags.stateDir);
      let count: number;
      if (id !== undefined) {
        const running: CommandResult<'jobs.retry'> | undefined = await askAgent(stateDir, 'jobs.retry', {
          id,
          ...(flags.force === true ? { force: true } : {}),
        });
        count =
          running === undefined
            ? await onStoredQueue(stateDir, storedIntents.retry(id, flags.force === true))
            : running.retried
              ? 1
              : 0;
      } else {
        const running = await askAgent(stateDir, 'jobs.retryFailed', {});
        count = running?.retried ?? (await onStoredQueue(stateDir, storedIntents.retryFailed));
      }
      say(`${count} job(s) queued again`);
      host.exitWith(count > 0 ? EXIT_OK : EXIT_FAILED);
    });

  for (const verb of ['pause', 'resume'] as const) {
    option(program.command(verb).description(`${verb} deliveries (all, or one folder's)`))
      .option('--folder <path>', `${verb} only this watched folder`)
      .action(async (flags: StateFlags & { folder?: string }) => {
        const stateDir = await privateStateDirFor(flags.stateDir);
        const args = flags.folder === undefined ? {} : { folder: flags.folder };
        const running = await askAgent(stateDir, verb === 'pause' ? 'agent.pause' : 'agent.resume', args);
        if (running !== undefined) {
          say(verb === 'pause' ? 'paused' : 'resumed');
          return;
        }
        if (flags.folder !== undefined) throw new UsageError('--folder needs a running agent');
        const count = await onStoredQueue(stateDir, storedIntents[verb]);
        say(`no agent is running: ${count} stored job(s) ${verb === 'pause' ? 'paused' : 'resumed'}`);
      });
  }
}
