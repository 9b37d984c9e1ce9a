import { readFile } from 'node:fs/promises';
import { arch, platform, release, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { JOURNAL_FILE } from '../../node/journal.js';
import { tailLines } from '../../node/tail-lines.js';
import { readTokenFile } from '../../node/token-file.js';
import { KEYRING_SERVICE, openKeyring } from '../../node/token-store.js';
import type { ZipEntry } from '../../node/zip-file.js';
import type { FerryConfig } from '../../engine/config/config-schema.js';
import { redact } from '../../shared/redact.js';
import type { CommandHost } from '../command-host.js';
import { literalSecrets, PROXY_VARIABLES } from '../diagnostic-secrets.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';
import { stateDirFor } from '../state-dir-flag.js';

interface DiagnosticsOptions {
  readonly out: string;
  readonly config?: string;
  readonly stateDir?: string;
  readonly lines: string;
}

const RECENT_JOB_LINES = 500;

async function ferryVersion(): Promise<string> {
  // dist/cli/commands and src/cli/commands both sit three levels below package.json.
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8').catch(() => '{}');
  const parsed = JSON.parse(text) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}

async function storedTokens(config: FerryConfig | undefined): Promise<string[]> {
  const tokens: string[] = [];
  const file = process.env.FERRY_TOKEN_FILE?.trim() ?? '';
  if (file !== '') {
    // Read under the same rules as for a delivery: a file refused there holds no token Ferry used.
    const read = await readTokenFile(file);
    if (read.ok) tokens.push(read.token);
  }
  for (const target of Object.keys(config?.targets ?? {})) {
    try {
      const token = await openKeyring(KEYRING_SERVICE, target).getPassword();
      if (token !== null) tokens.push(token);
    } catch {
      // No keyring: no stored token can leak from it either.
    }
  }
  return tokens;
}

function environment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name === 'FERRY_TOKEN') out[name] = '[set]';
    else if (name.startsWith('FERRY_') || PROXY_VARIABLES.includes(name)) out[name] = value;
  }
  return out;
}

function lineCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`--lines must be a positive whole number, got '${text}'`);
  return count;
}

export function addDiagnosticsCommand(program: Command, host: CommandHost): void {
  program
    .command('diagnostics')
    .description(
      'write a zip for a support request: versions, OS, config, recent jobs and log lines, all redacted',
    )
    .option('--out <file>', 'where to write the zip', 'ferry-diagnostics.zip')
    .option('--config <path>', 'the config file (default: $FERRY_CONFIG, else ./ferry.json)')
    .option('--state-dir <path>', 'the agent state dir holding the jobs and the log')
    .option('--lines <n>', 'how many of the last log lines to include', '1000')
    .action(async (options: DiagnosticsOptions) => {
      // Loaded here, not at the top: yazl, pino and the config schemas cost `ferry --help` some 15 MiB.
      const [{ writeZip }, { LOG_FILE }, { parseConfig }] = await Promise.all([
        import('../../node/zip-file.js'),
        import('../../node/log-file.js'),
        import('../../engine/config/validate-config.js'),
      ]);
      const lines = lineCount(options.lines);
      const configPath = options.config ?? process.env.FERRY_CONFIG ?? 'ferry.json';
      const configText = await readFile(configPath, 'utf8').catch(() => undefined);
      let config: FerryConfig | undefined;
      let configStatus = configText === undefined ? 'not found' : 'valid';
      try {
        if (configText !== undefined) config = parseConfig(configText);
      } catch (error) {
        configStatus = `not valid: ${(error as Error).message}`;
      }
      const stateDir = stateDirFor(options.stateDir);
      const secrets = literalSecrets(process.env, config, await storedTokens(config));
      const scrub = (text: string) => redact(text, secrets);
      const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
      const entries: ZipEntry[] = [
        {
          name: 'versions.json',
          text: json({
            ferry: await ferryVersion(),
            node: process.versions.node,
            os: { type: osType(), platform: platform(), release: release(), arch: arch() },
            createdAt: new Date().toISOString(),
          }),
        },
        { name: 'environment.json', text: json(environment(process.env)) },
        {
          name: 'config.json',
          text: json({ path: resolve(configPath), status: configStatus, text: configText ?? null }),
        },
        { name: 'jobs.jsonl', text: lined(await tailLines(join(stateDir, JOURNAL_FILE), RECENT_JOB_LINES)) },
        { name: 'ferry.log', text: lined(await tailLines(join(stateDir, LOG_FILE), lines)) },
      ];
      // One redaction for everything, the same the log sink applies, plus the literal secrets.
      await writeZip(
        options.out,
        entries.map((entry) => ({ name: entry.name, text: scrub(entry.text) })),
      );
      host.terminal.out(`wrote ${options.out}: ${entries.map((e) => e.name).join(', ')}\n`);
      host.exitWith(EXIT_OK);
    });
}

function lined(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
