import { Command, CommanderError } from 'commander';
import { addCheckCommand } from './commands/check.js';
import { addControlCommands } from './commands/control.js';
import { addDiagnosticsCommand } from './commands/diagnostics.js';
import { addDoctorCommand } from './commands/doctor.js';
import { addSandboxCommand } from './commands/sandbox.js';
import { addTokenCommand } from './commands/token.js';
import { addUploadCommand } from './commands/upload.js';
import { addWatchCommand } from './commands/watch.js';
import type { CommandHost } from './command-host.js';
import { EXIT_USAGE, UsageError } from './exit-codes.js';
import { processTerminal, type Terminal } from './terminal.js';

function buildProgram(host: CommandHost): Command {
  const program = new Command('ferry')
    .description(
      'Deliver data files to a vendor File Upload API: checked names, presigned uploads, resume and retry.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: host.terminal.out,
      writeErr: host.terminal.err,
    });
  addCheckCommand(program, host);
  addSandboxCommand(program, host);
  addTokenCommand(program, host);
  addUploadCommand(program, host);
  addWatchCommand(program, host);
  addControlCommands(program, host);
  addDoctorCommand(program, host);
  addDiagnosticsCommand(program, host);
  return program;
}

/** Runs `ferry <argv>` and resolves to the process exit code. */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram({ terminal, exitWith: (code) => (exitCode = code) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof UsageError) {
      terminal.err(`ferry: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  return exitCode;
}
