import type { Command } from 'commander';
import { DeliveryError } from '../../engine/delivery-error.js';
import { TokenStore, WITHOUT_KEYRING, type TokenLookup } from '../../node/token-store.js';
import { assertNever } from '../../shared/assert-never.js';
import type { CommandHost } from '../command-host.js';
import { QUICK_TARGET } from '../config-names.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { readSecret } from '../secret-input.js';

interface TokenFlags {
  readonly target: string;
}

/** One line for `token status`; the token itself is never part of it. */
function statusLine(found: TokenLookup): string {
  switch (found.status) {
    case 'found':
      return found.source === 'keyring' ? 'set (OS keyring)' : `set (${found.source}, used for every target)`;
    case 'bad-file':
      return `not usable: ${found.message}`;
    case 'no-keyring':
      return `not set: no keyring is reachable (${found.reason}); ${WITHOUT_KEYRING}`;
    case 'none':
      return 'not set';
    default:
      return assertNever(found);
  }
}

/**
 * `ferry token set|status`: the only way the CLI writes a token, and only to the OS keyring.
 * Without a keyring `set` refuses; FERRY_TOKEN and FERRY_TOKEN_FILE are the user's to set.
 */
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
      const store = new TokenStore();
      try {
        // Before the prompt: a token typed for a keyring that is not there would be lost.
        await store.assertCanSave(flags.target);
        const secret = await readSecret(process.stdin, host.terminal.err);
        if (secret.trim() === '') throw new UsageError('no token on stdin');
        await store.save(flags.target, secret);
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        host.terminal.err(`ferry: ${error.message}\n`);
        host.exitWith(EXIT_FAILED);
        return;
      }
      host.terminal.out(`token of target '${flags.target}' saved in the OS keyring\n`);
      // Saved but not the one used: say so, or the user would wonder why nothing changed.
      const used = await store.lookup(flags.target);
      if (used.status === 'found' && used.source !== 'keyring')
        host.terminal.err(`ferry: note: ${used.source} is set and is used before the keyring\n`);
      if (used.status === 'bad-file')
        host.terminal.err(`ferry: note: ${used.message}, and it comes before the keyring\n`);
      host.exitWith(EXIT_OK);
    });

  token
    .command('status')
    .description('say whether a token is set for a target (never prints it)')
    .option(...targetOption)
    .action(async (flags: TokenFlags) => {
      const found = await new TokenStore().lookup(flags.target);
      host.terminal.out(`target '${flags.target}': ${statusLine(found)}\n`);
      host.exitWith(found.status === 'found' ? EXIT_OK : EXIT_FAILED);
    });
}
