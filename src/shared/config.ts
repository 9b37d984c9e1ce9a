import { excerpt } from './vendor-text.js';

/**
 * What the window, the contract and the engine share about the config file:
 * the names it accepts, its limits, and how a problem with it is reported.
 * The schema that checks the file is in src/engine/config (it uses zod, and
 * src/shared imports no package).
 */

export const PROFILES = ['lexer', 'analytics', 'form', 's3-multipart', 'presigned-put'] as const;
export type ProfileName = (typeof PROFILES)[number];

export const AUTH_STYLES = ['auth-api-token', 'bearer'] as const;
/** `Auth-Api-Token: <token>` or `Authorization: Bearer <token>`. */
export type AuthStyle = (typeof AUTH_STYLES)[number];

export const AFTER_DELIVERY = ['leave', 'move'] as const;
export type AfterDelivery = (typeof AFTER_DELIVERY)[number];

/**
 * Who loads a folder's files at the vendor: the vendor itself, from the fields sent with each
 * file (the default), or a person, so the fields automatic loading needs are not missed.
 */
export const FOLDER_LOADING = ['automatic', 'manual'] as const;
export type FolderLoading = (typeof FOLDER_LOADING)[number];

/** Which desktop notifications the app shows: all, only problems, or none. */
export const NOTIFICATION_MODES = ['all', 'errors-only', 'off'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** Deliveries at a time per target when neither the file nor `--concurrency` says. */
export const DEFAULT_CONCURRENCY = 4;
/** More parallel uploads than this only invite 429s from a vendor. */
export const MAX_CONCURRENCY = 32;

/** S3 refuses a single PUT larger than 5 GiB; multipart uploads may go further. */
export const SINGLE_PUT_LIMIT = 5 * 1024 ** 3;

export interface ConfigIssue {
  /** Where the problem is, e.g. `targets.vendor.endpoint` or `folders[2].rule`. */
  readonly path: string;
  readonly problem: string;
}

/** Every problem of a config at once, each named by its key path, so one run shows all there is to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.problem}`).join('\n'));
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Why an endpoint is unacceptable, or undefined when it is fine. */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `'${excerpt(endpoint)}' is not a URL`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not hold credentials: the token lives in FERRY_TOKEN, FERRY_TOKEN_FILE or the keyring';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return 'must be https (or a loopback http URL)';
}
