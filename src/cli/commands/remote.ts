import type { Command } from 'commander';
import { toDeliveryError } from '../../engine/delivery-error.js';
import { listRemoteFiles } from '../../engine/remote-files.js';
import { targetSpec } from '../../engine/target-spec.js';
import { proxySettings } from '../../node/proxy-settings.js';
import { TokenStore } from '../../node/token-store.js';
import type { CommandHost } from '../command-host.js';
import { QUICK_TARGET } from '../config-names.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { formatRemoteFiles } from '../remote-report.js';

interface RemoteListFlags {
  readonly config?: string;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly target?: string;
  readonly json?: boolean;
}

/** A person waits for the answer: a vendor that does not give one in this time is reported. */
const LIST_TIMEOUT_MS = 30_000;

/** The target named, or the only one there is. */
function targetName(flags: RemoteListFlags, names: readonly string[]): string {
  const quick = flags.endpoint !== undefined || flags.profile !== undefined;
  const name = flags.target ?? (quick ? QUICK_TARGET : names.length === 1 ? names[0] : undefined);
  if (name === undefined)
    throw new UsageError(`name a target with --target (known: ${names.join(', ') || 'none'})`);
  if (!names.includes(name))
    throw new UsageError(`no target named '${name}' (known: ${names.join(', ') || 'none'})`);
  return name;
}

export function addRemoteCommand(program: Command, host: CommandHost): void {
  const remote = program.command('remote').description("what a target's vendor holds");
  remote
    .command('list')
    .description('list the files the vendor holds for a target whose API can list them (the form API)')
    .option('--target <name>', 'the target (default: the only one, or the one of --endpoint/--profile)')
    .option('--config <path>', 'the config file (default: $FERRY_CONFIG, else ./ferry.json)')
    .option('--endpoint <url>', 'ask this endpoint instead of a config (with --profile)')
    .option('--profile <name>', 'the profile of --endpoint')
    .option('--json', "print the vendor's entries as a JSON array, under the vendor's names")
    .action(async (flags: RemoteListFlags) => {
      const quick = flags.endpoint !== undefined || flags.profile !== undefined;
      const { configFromFlags } = await import('../config-source.js');
      const config = configFromFlags(
        quick ? flags : { config: flags.config ?? process.env.FERRY_CONFIG ?? 'ferry.json' },
        [],
      );
      const name = targetName(flags, Object.keys(config.targets));
      const target = config.targets[name];
      if (target === undefined) throw new UsageError(`no target named '${name}'`);
      const spec = targetSpec(name, target, { fields: {} });
      if (spec.protocol.listing === undefined)
        throw new UsageError(
          `target '${name}' (profile ${target.profile}) cannot list what its vendor holds: only the form API has a file list`,
        );
      // Loaded here, not at the top: `ferry --help` loads every command's module.
      const { nodeHttp } = await import('../../node/node-http.js');
      try {
        const files = await listRemoteFiles(
          { http: nodeHttp({ proxy: proxySettings(process.env, config.proxy) }), secrets: new TokenStore() },
          spec,
          AbortSignal.timeout(LIST_TIMEOUT_MS),
        );
        host.terminal.out(
          flags.json === true
            ? `${JSON.stringify(
                files.map((file) => file.entry),
                null,
                2,
              )}\n`
            : formatRemoteFiles(name, files),
        );
        host.exitWith(EXIT_OK);
      } catch (error) {
        // The vendor's refusal, or no answer at all: the command ran, the listing failed.
        host.terminal.err(`ferry: ${toDeliveryError(error).message}\n`);
        host.exitWith(EXIT_FAILED);
      }
    });
}
