import { autoLoadFix, autoLoadGap, autoLoadWarning, type AutoLoadFolder } from '../engine/auto-load.js';
import { toDeliveryError } from '../engine/delivery-error.js';
import { PROTOCOLS } from '../engine/protocols/registry.js';
import type { ProfileName } from '../shared/config.js';
import type { ProbeOutcome } from '../node/doctor-probes.js';
import { formatBytes } from '../shared/format-bytes.js';
import { fail, pass, skip, type DoctorCheck } from './doctor-report.js';

/**
 * The judgements of `ferry doctor`, pure so each failure and its fix can be tested without
 * breaking a machine. The probes that feed them live in src/node/doctor-probes.ts.
 */

/** Presigned URLs carry the signing time; S3 refuses them beyond 15 minutes of skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Room for the journal, the ledger, checkpoints and three rotated 10 MiB logs, with margin. */
export const MIN_FREE_BYTES = 100 * 1024 * 1024;

export function watchLimitVerdict(
  folder: string,
  directories: number,
  limit: number | undefined,
): DoctorCheck {
  const title = `watch limit for ${folder}`;
  if (limit === undefined) return skip(title, 'no inotify limit on this system');
  // Other programs (editors, IDEs, sync clients) hold watches too: leave them half.
  if (directories <= limit / 2) return pass(title, `${directories} folders to watch, limit ${limit}`);
  return fail(
    title,
    `${directories} folders to watch but fs.inotify.max_user_watches is ${limit}`,
    `raise it: sudo sysctl -w fs.inotify.max_user_watches=${Math.max(524_288, directories * 4)} (and add it to /etc/sysctl.d/)`,
  );
}

export function diskVerdict(dir: string, freeBytes: number | undefined): DoctorCheck {
  const title = `disk space for state and logs (${dir})`;
  if (freeBytes === undefined) return skip(title, 'could not be measured');
  if (freeBytes >= MIN_FREE_BYTES) return pass(title, `${formatBytes(freeBytes)} free`);
  return fail(
    title,
    `only ${formatBytes(freeBytes)} free`,
    `free at least ${formatBytes(MIN_FREE_BYTES)} there, or move the state dir with --state-dir / FERRY_STATE_DIR`,
  );
}

export function clockVerdict(localMs: number, serverDate: string | undefined): DoctorCheck {
  const title = 'clock';
  const serverMs = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
  if (Number.isNaN(serverMs)) return skip(title, 'the endpoint sent no Date to compare with');
  const skew = localMs - serverMs;
  const seconds = Math.round(Math.abs(skew) / 1_000);
  // The Date header has one-second resolution: a second either way is the header, not the clock.
  if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS)
    return pass(title, `within ${Math.max(1, seconds)} s of the endpoint`);
  return fail(
    title,
    `${seconds} s ${skew > 0 ? 'ahead of' : 'behind'} the endpoint`,
    'turn on time sync (timedatectl set-ntp true): presigned URLs are signed with the current time',
  );
}

/** Where the request went: the proxy's host:port, or undefined when it went direct. */
export type Route = string | undefined;

export function reachVerdict(endpoint: string, route: Route, outcome: ProbeOutcome): DoctorCheck {
  const host = new URL(endpoint).host;
  const via = route === undefined ? 'directly' : `through the proxy ${route}`;
  const title = `endpoint ${host} reachable ${via}`;
  if (outcome.answered) return pass(title, `HTTP ${outcome.answer.status}`);
  const error = toDeliveryError(outcome.error);
  if (error.code === 'EPROXYAUTH') {
    return fail(
      title,
      `the proxy ${route ?? ''} refused the connection (407 Proxy Authentication Required)`,
      'put the proxy user and password in the proxy URL: http://user:password@host:port (HTTPS_PROXY or proxy.url)',
    );
  }
  if (error.kind === 'tls') return pass(title, 'it answered, but see TLS below');
  if (route !== undefined && error.code !== 'EPROXY') {
    return fail(
      title,
      `the proxy ${route} cannot be reached (${error.code ?? error.message})`,
      'start the proxy, or correct HTTPS_PROXY / HTTP_PROXY / proxy.url (NO_PROXY to go direct)',
    );
  }
  return fail(
    title,
    error.code ?? error.message,
    route === undefined
      ? `check the endpoint URL and that ${host} is up; behind a proxy, set HTTPS_PROXY or proxy.url`
      : `the proxy cannot reach ${host}: check the endpoint URL and that the vendor is up`,
  );
}

export function tlsVerdict(endpoint: string, outcome: ProbeOutcome): DoctorCheck {
  const url = new URL(endpoint);
  const title = `TLS certificate of ${url.host}`;
  if (url.protocol !== 'https:') return skip(title, 'plain http to loopback: no TLS');
  if (outcome.answered) return pass(title, 'valid');
  const error = toDeliveryError(outcome.error);
  if (error.kind !== 'tls') return skip(title, 'not reached');
  return fail(
    title,
    error.code ?? error.message,
    'the certificate is not trusted: fix it on the server, or add your CA with NODE_EXTRA_CA_CERTS=/path/ca.pem',
  );
}

export function tokenAnswerVerdict(target: string, outcome: ProbeOutcome): DoctorCheck {
  const title = `token of '${target}' accepted by the vendor`;
  if (!outcome.answered) return skip(title, 'the endpoint was not reached');
  const { status } = outcome.answer;
  if (status === 401 || status === 403) {
    return fail(
      title,
      `the vendor answered ${status}`,
      `replace the token: store the new one in the keyring (service 'ferry', account '${target}') or set FERRY_TOKEN`,
    );
  }
  if (status >= 500)
    return fail(title, `the vendor answered ${status}`, 'the vendor is failing: try again later');
  // 400 (the probe's empty body refused) means the token got past authentication.
  return pass(title, `HTTP ${status}`);
}

/**
 * Whether the vendor can load the folder's files by itself (Lexer: NDJSON and JSON with a dataset
 * id and record type); undefined for a profile whose vendor needs nothing of the kind.
 */
export function autoLoadVerdict(
  folder: string,
  settings: AutoLoadFolder,
  profile: ProfileName,
): DoctorCheck | undefined {
  const needs = PROTOCOLS[profile].config.autoLoad;
  if (needs === undefined) return undefined;
  const title = `automatic loading of ${folder}`;
  if (settings.loading === 'manual') return skip(title, 'its files are loaded by hand ("loading": "manual")');
  const gap = autoLoadGap(settings, profile);
  if (gap !== undefined) return fail(title, autoLoadWarning(gap), autoLoadFix(gap, settings.fields));
  const types = needs.extensions.map((ext) => `.${ext}`).join(' or ');
  return needs.fields.every((name) => Object.hasOwn(settings.fields, name))
    ? pass(title, `${needs.fields.join(' and ')} are sent`)
    : pass(title, `its ignore globs leave no ${types} file to send`);
}
