import { Command, CommanderError } from 'commander';
import type { CommandHost } from './command-host.js';
import { StateDirError } from '../node/state-dir.js';
import { EXIT_USAGE, UsageError } from './exit-codes.js';
import { processTerminal, type Terminal } from './terminal.js';

type AddCommands = (program: Command, host: CommandHost) => void;

/**
 * Each command module with the command names it adds, in `ferry --help` order. Modules are
 * loaded on demand: `ferry upload` must not pay for the sandbox (s3rver, the AWS SDK) or the
 * agent in start-up time and resident memory, nor `ferry check` for the HTTP stack.
 */
const COMMAND_MODULES: readonly {
  readonly names: readonly string[];
  readonly load: () => Promise<AddCommands>;
}[] = [
  { names: ['check'], load: async () => (await import('./commands/check.js')).addCheckCommand },
  { names: ['sandbox'], load: async () => (await import('./commands/sandbox.js')).addSandboxCommand },
  { names: ['token'], load: async () => (await import('./commands/token.js')).addTokenCommand },
  { names: ['upload'], load: async () => (await import('./commands/upload.js')).addUploadCommand },
  { names: ['watch'], load: async () => (await import('./commands/watch.js')).addWatchCommand },
  {
    names: ['jobs', 'retry', 'pause', 'resume'],
    load: async () => (await import('./commands/control.js')).addControlCommands,
  },
  { names: ['status'], load: async () => (await import('./commands/status.js')).addStatusCommand },
  { names: ['history'], load: async () => (await import('./commands/history.js')).addHistoryCommand },
  { names: ['remote'], load: async () => (await import('./commands/remote.js')).addRemoteCommand },
  { names: ['doctor'], load: async () => (await import('./commands/doctor.js')).addDoctorCommand },
  {
    names: ['diagnostics'],
    load: async () => (await import('./commands/diagnostics.js')).addDiagnosticsCommand,
  },
];

/**
 * The command modules `argv` needs: the named command's alone, or all of them when there is
 * no known command name first (`--help`, `help upload`, a typo that earns a suggestion).
 */
export function commandModulesFor(argv: readonly string[]): typeof COMMAND_MODULES {
  const [first] = argv;
  const named = COMMAND_MODULES.find((module) => first !== undefined && module.names.includes(first));
  return named === undefined ? COMMAND_MODULES : [named];
}

async function buildProgram(host: CommandHost, argv: readonly string[]): Promise<Command> {
  const program = new Command('ferry')
    .description(
      'Deliver data files to a vendor File Upload API: checked names, presigned uploads, resume and retry.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: host.terminal.out,
      writeErr: host.terminal.err,
    });
  const adders = await Promise.all(commandModulesFor(argv).map((module) => module.load()));
  for (const add of adders) add(program, host);
  return program;
}

/** Runs `ferry <argv>` and resolves to the process exit code. */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal()): Promise<number> {
  let exitCode = 0;
  const program = await buildProgram({ terminal, exitWith: (code) => (exitCode = code) }, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    // A state dir others could reach is the invocation's to fix, in the one line it names.
    if (error instanceof UsageError || error instanceof StateDirError) {
      terminal.err(`ferry: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  return exitCode;
}
