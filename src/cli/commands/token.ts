import type { Command } from 'commander';
import { DeliveryError } from '../../engine/delivery-error.js';
import { KEYRING_SERVICE, openKeyring, TokenStore } from '../../node/token-store.js';
import type { CommandHost } from '../command-host.js';
import { QUICK_TARGET } from '../config-source.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { readSecret } from '../secret-input.js';

interface TokenFlags {
  readonly target: string;
}

type TokenStatus = 'env' | 'keyring' | 'none' | 'no-keyring';

async function statusOf(target: string): Promise<TokenStatus> {
  const fromEnv = process.env.FERRY_TOKEN?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return 'env';
  try {
    const stored = await openKeyring(KEYRING_SERVICE, target).getPassword();
    return stored === null || stored === '' ? 'none' : 'keyring';
  } catch {
    return 'no-keyring';
  }
}

const STATUS_LINE: Record<TokenStatus, string> = {
  env: 'set (FERRY_TOKEN, used for every target)',
  keyring: 'set (OS keyring)',
  none: 'not set',
  'no-keyring': 'not set (no keyring reachable; FERRY_TOKEN is not set either)',
};

/** `ferry token set|status`: the only way the CLI writes a token, and only to the OS keyring. */
export function addTokenCommand(program: Command, host: CommandHost): void {
  const token = program.command('token').description("manage targets' tokens in the OS keyring");
  const targetOption = [
    '--target <name>',
    `the target whose token it is (default: '${QUICK_TARGET}', the one --endpoint/--profile use)`,
    QUICK_TARGET,
  ] as const;

  token
    .command('set')
    .description('read a token from stdin (hidden on a terminal) and store it in the OS keyring')
    .option(...targetOption)
    .action(async (flags: TokenFlags) => {
      const secret = await readSecret(process.stdin, host.terminal.err);
      if (secret.trim() === '') throw new UsageError('no token on stdin');
      try {
        await new TokenStore().save(flags.target, secret);
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        host.terminal.err(`ferry: no keyring: set FERRY_TOKEN instead (${error.message})\n`);
        host.exitWith(EXIT_FAILED);
        return;
      }
      host.terminal.out(`token of target '${flags.target}' saved in the OS keyring\n`);
      host.exitWith(EXIT_OK);
    });

  token
    .command('status')
    .description('say whether a token is set for a target (never prints it)')
    .option(...targetOption)
    .action(async (flags: TokenFlags) => {
      const status = await statusOf(flags.target);
      host.terminal.out(`target '${flags.target}': ${STATUS_LINE[status]}\n`);
      host.exitWith(status === 'env' || status === 'keyring' ? EXIT_OK : EXIT_FAILED);
    });
}
