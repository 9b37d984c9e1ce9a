import type { Command } from 'commander';
import { candidateFiles, MissingPathError, type CandidateFile } from '../../node/candidate-files.js';
import { checkFileContent } from '../../node/file-content-check.js';
import { checkName, DEFAULT_TEMPLATE, parseRule, RuleError, type NamingRule } from '../../shared/naming.js';
import { formatCheckReport, toRecord, withContent, type CheckRecord } from '../check-report.js';
import type { CommandHost } from '../command-host.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';

interface CheckOptions {
  readonly rule?: string;
  readonly json?: boolean;
  readonly content?: boolean;
}

async function checkFile(file: CandidateFile, rule: NamingRule, withContents: boolean): Promise<CheckRecord> {
  const record = toRecord(file.path, checkName(file.name, rule));
  if (!withContents || record.status === 'ignored') return record;
  const content = await checkFileContent(file.path, new AbortController().signal);
  return content === undefined ? record : withContent(record, content);
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
    .option(
      '--content',
      'also check what the files hold: UTF-8, CSV shape, NDJSON and JSON syntax (also inside .gz)',
    )
    .option('--json', 'print a JSON array instead of a report')
    .action(async (paths: string[], options: CheckOptions) => {
      const rule = ruleFrom(options.rule);
      const records: CheckRecord[] = [];
      // One file at a time: content checks stream whole files and should not compete for the disk.
      for (const file of await filesFrom(paths))
        records.push(await checkFile(file, rule, options.content === true));
      host.terminal.out(
        options.json === true ? `${JSON.stringify(records, null, 2)}\n` : formatCheckReport(records),
      );
      host.exitWith(records.some((r) => r.status === 'rejected') ? EXIT_FAILED : EXIT_OK);
    });
}
