import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { authHeaders } from '../../engine/protocols/token-request.js';
import {
  countDirectories,
  freeBytes,
  inotifyWatchLimit,
  probeKeyring,
  probeRequest,
  type KeyringProbe,
} from '../../node/doctor-probes.js';
import { proxyFor, proxySettings } from '../../node/proxy-settings.js';
import {
  openKeyring,
  TokenStore,
  WITHOUT_KEYRING,
  type TokenLookup,
  type TokenSource,
} from '../../node/token-store.js';
import { assertNever } from '../../shared/assert-never.js';
import { access, constants, stat } from 'node:fs/promises';
import type { FerryConfig } from '../../engine/config/config-schema.js';
import type { TargetConfig } from '../../engine/config/target-schema.js';
import { ConfigError } from '../../shared/config.js';
import type { CommandHost } from '../command-host.js';
import { doctorPassed, fail, formatDoctorReport, pass, skip, type DoctorCheck } from '../doctor-report.js';
import {
  autoLoadVerdict,
  clockVerdict,
  diskVerdict,
  reachVerdict,
  tlsVerdict,
  tokenAnswerVerdict,
  watchLimitVerdict,
} from '../doctor-verdicts.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { stateDirFor } from '../state-dir-flag.js';

interface DoctorOptions {
  readonly config?: string;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly stateDir?: string;
}

const PROBE_TIMEOUT_MS = 10_000;
/** Profiles whose API refuses an empty JSON body after checking the token, creating nothing. */
const HARMLESS_PROBE = new Set(['lexer', 'analytics', 'form', 's3-multipart']);

async function loadConfig(options: DoctorOptions): Promise<{ config?: FerryConfig; check: DoctorCheck }> {
  const { loadConfigFile, quickConfig } = await import('../config-source.js');
  const quick = options.endpoint !== undefined || options.profile !== undefined;
  const where = quick ? '--endpoint/--profile' : (options.config ?? process.env.FERRY_CONFIG ?? 'ferry.json');
  const title = `config ${where} valid`;
  try {
    if (quick) {
      if (options.config !== undefined)
        throw new UsageError('give either --config or --endpoint with --profile');
      if (options.endpoint === undefined || options.profile === undefined)
        throw new UsageError('--endpoint needs --profile, and --profile needs --endpoint');
      return { config: quickConfig(options.endpoint, options.profile, []), check: pass(title) };
    }
    return { config: loadConfigFile(where), check: pass(title) };
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      const lines = error.message.split('\n');
      const detail = lines.length > 1 ? lines.slice(1).join('; ') : (lines[0] ?? '');
      return {
        check: fail(
          title,
          detail,
          `correct the keys named above (the keys are listed in docs/configuration.md)`,
        ),
      };
    }
    throw error;
  }
}

async function folderChecks(config: FerryConfig, base: string): Promise<DoctorCheck[]> {
  const limit = await inotifyWatchLimit();
  const checks: DoctorCheck[] = [];
  for (const folder of config.folders) {
    const path = resolve(base, folder.path);
    const title = `folder ${path}`;
    const kind = await stat(path).catch(
      (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unreadable',
    );
    if (typeof kind === 'string') {
      checks.push(
        fail(
          title,
          kind === 'ENOENT' ? 'does not exist' : kind,
          `create it (mkdir -p '${path}') or fix folders[].path`,
        ),
      );
      continue;
    }
    if (!kind.isDirectory()) {
      checks.push(fail(title, 'is not a folder', `point folders[].path at a folder`));
      continue;
    }
    const readable = await access(path, constants.R_OK | constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!readable) {
      checks.push(fail(title, 'is not readable by this user', `grant read access: chmod u+rx '${path}'`));
      continue;
    }
    checks.push(pass(title, 'exists and is readable'));
    const dirs = await countDirectories(path, (limit ?? 1_000_000) + 1);
    checks.push(watchLimitVerdict(path, dirs, limit));
  }
  for (const folder of config.folders) {
    const profile = config.targets[folder.target]?.profile;
    const loading =
      profile === undefined ? undefined : autoLoadVerdict(resolve(base, folder.path), folder, profile);
    if (loading !== undefined) checks.push(loading);
  }
  return checks;
}

function tokenPresent(target: string, found: TokenLookup): DoctorCheck {
  const title = `token for '${target}' present`;
  switch (found.status) {
    case 'found':
      return pass(title, found.source === 'keyring' ? 'in the keyring' : `from ${found.source}`);
    case 'bad-file':
      return fail(
        title,
        found.message,
        'fix the file as said, or unset FERRY_TOKEN_FILE to use FERRY_TOKEN or the keyring',
      );
    case 'no-keyring':
      return fail(title, `no FERRY_TOKEN, no FERRY_TOKEN_FILE and no keyring to read`, WITHOUT_KEYRING);
    case 'none':
      return fail(
        title,
        'not in FERRY_TOKEN, FERRY_TOKEN_FILE nor the keyring',
        `store it: ferry token set --target ${target} (or set FERRY_TOKEN)`,
      );
    default:
      return assertNever(found);
  }
}

async function targetChecks(
  name: string,
  target: TargetConfig,
  config: FerryConfig,
  found: TokenLookup,
): Promise<{ checks: DoctorCheck[]; date?: string }> {
  const env = process.env;
  const settings = proxySettings(env, config.proxy);
  const proxy = proxyFor(new URL(target.endpoint), settings);
  // Loaded here, not at the top: `ferry --help` loads every command's module.
  const { nodeHttp } = await import('../../node/node-http.js');
  const http = nodeHttp({ connectTimeoutMs: PROBE_TIMEOUT_MS / 2, proxy: settings });
  const reach = await probeRequest(http, {
    method: 'GET',
    url: target.endpoint,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const route = proxy === undefined ? undefined : new URL(proxy).host;
  const checks = [
    reachVerdict(target.endpoint, route, reach),
    tlsVerdict(target.endpoint, reach),
    tokenPresent(name, found),
  ];
  const title = `token of '${name}' accepted by the vendor`;
  const token = found.status === 'found' ? found.token : undefined;
  if (token === undefined) {
    checks.push(skip(title, 'no token to try'));
  } else if (!HARMLESS_PROBE.has(target.profile)) {
    checks.push(skip(title, `no request of profile '${target.profile}' is known to be harmless`));
  } else {
    const answer = await probeRequest(http, {
      method: 'POST',
      url: target.endpoint,
      headers: { 'content-type': 'application/json', ...authHeaders(target.auth.style, token) },
      body: '{}',
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    checks.push(tokenAnswerVerdict(name, answer));
  }
  const date = reach.answered ? reach.answer.date : undefined;
  return date === undefined ? { checks } : { checks, date };
}

/** `tokensElsewhere`: every target has its token from FERRY_TOKEN or FERRY_TOKEN_FILE. */
function keyringCheck(probe: KeyringProbe, tokensElsewhere: boolean): DoctorCheck {
  const title = 'keyring reachable';
  if (probe.ok) return pass(title, 'the Secret Service answered');
  // Headless machines are meant to run this way; only a token that has nowhere to come from fails.
  if (tokensElsewhere)
    return skip(title, `no (${probe.reason}); not needed, the tokens come from the environment`);
  return fail(
    title,
    probe.reason,
    `run inside a desktop session with a Secret Service (gnome-keyring, KWallet), or ${WITHOUT_KEYRING}`,
  );
}

/** Every check, in the order a user would fix them: a broken config hides the rest. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const { config, check } = await loadConfig(options);
  const checks = [check];
  const keyring = await probeKeyring(openKeyring);
  const tokens = new TokenStore();
  let tokensElsewhere = false;
  if (config !== undefined) {
    const base = options.config === undefined ? process.cwd() : dirname(resolve(options.config));
    checks.push(...(await folderChecks(config, base)));
    let date: string | undefined;
    const sources: (TokenSource | undefined)[] = [];
    for (const [name, target] of Object.entries(config.targets)) {
      const found = await tokens.lookup(name);
      sources.push(found.status === 'found' ? found.source : undefined);
      const result = await targetChecks(name, target, config, found);
      checks.push(...result.checks);
      date ??= result.date;
    }
    tokensElsewhere =
      sources.length > 0 && sources.every((source) => source !== undefined && source !== 'keyring');
    checks.push(clockVerdict(Date.now(), date));
  }
  checks.push(keyringCheck(keyring, tokensElsewhere));
  const stateDir = stateDirFor(options.stateDir);
  checks.push(diskVerdict(stateDir, await freeBytes(stateDir)));
  return checks;
}

export function addDoctorCommand(program: Command, host: CommandHost): void {
  program
    .command('doctor')
    .description(
      'check the config, folders, token, keyring, network, proxy, TLS, disk and clock; suggest fixes',
    )
    .option('--config <path>', 'the config file (default: $FERRY_CONFIG, else ./ferry.json)')
    .option('--endpoint <url>', 'check this endpoint instead of a config (with --profile)')
    .option('--profile <name>', 'the profile of --endpoint')
    .option('--state-dir <path>', 'the agent state dir to check for space')
    .action(async (options: DoctorOptions) => {
      const checks = await runDoctor(options);
      host.terminal.out(formatDoctorReport(checks));
      host.exitWith(doctorPassed(checks) ? EXIT_OK : EXIT_FAILED);
    });
}
