import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { authHeaders } from '../../engine/presigned-put-profile.js';
import {
  countDirectories,
  freeBytes,
  inotifyWatchLimit,
  probeKeyring,
  probeRequest,
  type KeyringProbe,
} from '../../node/doctor-probes.js';
import { gotHttp } from '../../node/got-http.js';
import { proxyFor, proxySettings } from '../../node/proxy-settings.js';
import { KEYRING_SERVICE, openKeyring } from '../../node/token-store.js';
import { access, constants, stat } from 'node:fs/promises';
import { ConfigError, type FerryConfig, type TargetConfig } from '../../shared/config.js';
import type { CommandHost } from '../command-host.js';
import { loadConfigFile, quickConfig } from '../config-source.js';
import { doctorPassed, fail, formatDoctorReport, pass, skip, type DoctorCheck } from '../doctor-report.js';
import {
  clockVerdict,
  diskVerdict,
  reachVerdict,
  tlsVerdict,
  tokenAnswerVerdict,
  watchLimitVerdict,
} from '../doctor-verdicts.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js';
import { stateDirFor } from './watch.js';

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
    return { config: await loadConfigFile(where), check: pass(title) };
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
  return checks;
}

function tokenPresent(
  target: string,
  env: Readonly<Record<string, string | undefined>>,
  keyring: KeyringProbe,
  stored: string | null | undefined,
): DoctorCheck {
  const title = `token for '${target}' present`;
  if ((env.FERRY_TOKEN?.trim() ?? '') !== '') return pass(title, 'from FERRY_TOKEN');
  if (!keyring.ok)
    return fail(title, 'no FERRY_TOKEN and no keyring to read', 'set FERRY_TOKEN, or start a Secret Service');
  if (stored === null || stored === undefined || stored === '') {
    return fail(
      title,
      'not in FERRY_TOKEN nor the keyring',
      `store it: secret-tool store --label='ferry ${target}' service ${KEYRING_SERVICE} account ${target} (or set FERRY_TOKEN)`,
    );
  }
  return pass(title, 'in the keyring');
}

async function readToken(target: string, env: Readonly<Record<string, string | undefined>>) {
  const fromEnv = env.FERRY_TOKEN?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  try {
    // Opening throws at once when no Secret Service is reachable; the keyring check reports that.
    return await openKeyring(KEYRING_SERVICE, target).getPassword();
  } catch {
    return undefined;
  }
}

async function targetChecks(
  name: string,
  target: TargetConfig,
  config: FerryConfig,
  keyring: KeyringProbe,
): Promise<{ checks: DoctorCheck[]; date?: string }> {
  const env = process.env;
  const settings = proxySettings(env, config.proxy);
  const proxy = proxyFor(new URL(target.endpoint), settings);
  const http = gotHttp({ connectTimeoutMs: PROBE_TIMEOUT_MS / 2, proxy: settings });
  const reach = await probeRequest(http, {
    method: 'GET',
    url: target.endpoint,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const route = proxy === undefined ? undefined : new URL(proxy).host;
  const token = await readToken(name, env);
  const checks = [
    reachVerdict(target.endpoint, route, reach),
    tlsVerdict(target.endpoint, reach),
    tokenPresent(name, env, keyring, token),
  ];
  const title = `token of '${name}' accepted by the vendor`;
  if (token === undefined || token === null || token === '') {
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

function keyringCheck(probe: KeyringProbe): DoctorCheck {
  const title = 'keyring reachable';
  if (probe.ok) return pass(title, 'the Secret Service answered');
  return fail(
    title,
    probe.reason,
    'run inside a desktop session with a Secret Service (gnome-keyring, KWallet), or set FERRY_TOKEN instead',
  );
}

/** Every check, in the order a user would fix them: a broken config hides the rest. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const { config, check } = await loadConfig(options);
  const checks = [check];
  const keyring = await probeKeyring(openKeyring);
  if (config !== undefined) {
    const base = options.config === undefined ? process.cwd() : dirname(resolve(options.config));
    checks.push(...(await folderChecks(config, base)));
    let date: string | undefined;
    for (const [name, target] of Object.entries(config.targets)) {
      const result = await targetChecks(name, target, config, keyring);
      checks.push(...result.checks);
      date ??= result.date;
    }
    checks.push(clockVerdict(Date.now(), date));
  }
  checks.push(keyringCheck(keyring));
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
