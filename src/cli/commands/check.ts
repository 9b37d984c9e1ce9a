import type { Command } from 'commander';
import { candidateFiles, MissingPathError } from '../../node/candidate-files.js';
import { checkName, DEFAULT_TEMPLATE, parseRule, RuleError, type NamingRule } from '../../shared/naming.js';
import { formatCheckReport, toRecord } from '../check-report.js';
import type { CommandHost } from '../command-host.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';

interface CheckOptions {
  readonly rule?: string;
  readonly json?: boolean;
}

function ruleFrom(template: string | undefined): NamingRule {
  try {
    return parseRule(template ?? DEFAULT_TEMPLATE);
  } catch (error) {
    if (error instanceof RuleError) throw new UsageError(error.message);
    throw error;
  }
}

async function filesFrom(paths: readonly string[]) {
  try {
    return await candidateFiles(paths);
  } catch (error) {
    if (error instanceof MissingPathError) throw new UsageError(error.message);
    throw error;
  }
}

export function addCheckCommand(program: Command, host: CommandHost): void {
  program
    .command('check')
    .description('check file names against the delivery convention (folders: the files directly inside)')
    .argument('<paths...>', 'files or folders to check')
    .option('--rule <template>', `naming rule as a template (default ${DEFAULT_TEMPLATE})`)
    .option('--json', 'print a JSON array instead of a report')
    .action(async (paths: string[], options: CheckOptions) => {
      const rule = ruleFrom(options.rule);
      const records = (await filesFrom(paths)).map((file) => toRecord(file.path, checkName(file.name, rule)));
      host.terminal.out(
        options.json === true ? `${JSON.stringify(records, null, 2)}\n` : formatCheckReport(records),
      );
      host.exitWith(records.some((r) => r.status === 'rejected') ? EXIT_FAILED : EXIT_OK);
    });
}
