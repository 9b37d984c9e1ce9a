import { BUILTIN_VARIABLES, templateVariables } from './body-template.js';
import { isDotPath } from './dot-path.js';
import { isJsonObject, type JsonValue } from './json-value.js';
import { DEFAULT_TEMPLATE, parseRule, RuleError } from './naming.js';
import { FOLDER_OPTION_KEYS, parseFolderOptions, type FolderOptions } from './folder-options.js';
import { fields as ruleFields } from './naming-rule.js';
import { parseProxyConfig, type ProxyConfig } from './proxy-config.js';
import { parseRate } from './rate.js';
import { parseRateSchedule, type RateSchedule } from './rate-schedule.js';

/**
 * The agent's configuration file: delivery targets and the folders that feed them.
 * Validation collects every problem, each named by its key path, so one run of
 * `ferry` shows the user all there is to fix.
 */

export const PROFILES = ['lexer', 'analytics', 'form', 's3-multipart', 'presigned-put'] as const;
export type ProfileName = (typeof PROFILES)[number];

export const AUTH_STYLES = ['auth-api-token', 'bearer'] as const;
/** `Auth-Api-Token: <token>` or `Authorization: Bearer <token>`. */
export type AuthStyle = (typeof AUTH_STYLES)[number];

export const AFTER_DELIVERY = ['leave', 'move'] as const;
export type AfterDelivery = (typeof AFTER_DELIVERY)[number];

/** Which desktop notifications the app shows: all, only problems, or none. */
export const NOTIFICATION_MODES = ['all', 'errors-only', 'off'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** Deliveries at a time per target when neither the file nor `--concurrency` says. */
export const DEFAULT_CONCURRENCY = 4;
/** More parallel uploads than this only invite 429s from a vendor. */
export const MAX_CONCURRENCY = 32;

/** S3 refuses a single PUT larger than 5 GiB; multipart uploads may go further. */
export const SINGLE_PUT_LIMIT = 5 * 1024 ** 3;

const SINGLE_PUT_PROFILES: readonly ProfileName[] = ['lexer', 'analytics', 'presigned-put'];

/** The request bodies the vendors document, used when a target sets none. */
export const DEFAULT_BODIES: Partial<Record<ProfileName, JsonValue>> = {
  lexer: { filename: '{filename}' },
  analytics: { datasetType: '{datasetType}', file: { name: '{filename}', type: '{type}' } },
  's3-multipart': { filename: '{filename}' },
};

/** The body template a target sends: its own, or its profile's documented one. */
export function bodyTemplate(target: Pick<TargetConfig, 'profile' | 'request'>): JsonValue | undefined {
  return target.request?.body ?? DEFAULT_BODIES[target.profile];
}

export interface RetryConfig {
  readonly attempts?: number;
  readonly elapsedSeconds?: number;
  readonly stallSeconds?: number;
}

export interface TargetConfig {
  readonly profile: ProfileName;
  /** The URL of the first request (the one that asks for an upload URL). */
  readonly endpoint: string;
  readonly auth: { readonly style: AuthStyle };
  readonly request?: { readonly body: JsonValue };
  readonly response?: { readonly url: string; readonly id: string };
  readonly maxBytes?: number;
  readonly retry?: RetryConfig;
}

export interface FolderConfig extends FolderOptions {
  readonly path: string;
  readonly target: string;
  readonly rule: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly after: AfterDelivery;
}

export interface FerryConfig {
  readonly targets: Readonly<Record<string, TargetConfig>>;
  readonly folders: readonly FolderConfig[];
  /** Overrides HTTPS_PROXY / HTTP_PROXY for every request (see proxy-config.ts). */
  readonly proxy?: ProxyConfig;
  /** Upload cap for all uploads together, bytes per second (`"5M"` in the file). */
  readonly limitRate?: number;
  /** When `limitRate` applies; always without it. */
  readonly limitRateSchedule?: RateSchedule;
  /** Deliveries at a time per target; `--concurrency` overrides it. */
  readonly concurrency?: number;
  /** The desktop app's notifications (default `all`). */
  readonly notifications?: NotificationMode;
  /** Whether the desktop app starts when the user logs in (default false). */
  readonly startAtLogin?: boolean;
}

export interface ConfigIssue {
  /** Where the problem is, e.g. `targets.vendor.endpoint` or `folders[2].rule`. */
  readonly path: string;
  readonly problem: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.problem}`).join('\n'));
  }
}

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

type Issues = ConfigIssue[];

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Why an endpoint is unacceptable, or undefined when it is fine. */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `'${endpoint}' is not a URL`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not hold credentials: the token lives in FERRY_TOKEN, FERRY_TOKEN_FILE or the keyring';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return 'must be https (or a loopback http URL)';
}

function unknownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  issues: Issues,
) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      issues.push({
        path: `${path}.${key}`,
        problem: `unknown key (expected one of: ${allowed.join(', ')})`,
      });
    }
  }
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  issues: Issues,
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  issues.push({ path, problem: `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}` });
  return undefined;
}

function positiveNumber(value: unknown, path: string, issues: Issues, integer: boolean): number | undefined {
  if (
    typeof value === 'number' &&
    value > 0 &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value))
  ) {
    return value;
  }
  issues.push({ path, problem: integer ? 'must be a positive whole number' : 'must be a positive number' });
  return undefined;
}

function parseRetry(value: unknown, path: string, issues: Issues): RetryConfig | undefined {
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object' });
    return undefined;
  }
  unknownKeys(value, ['attempts', 'elapsedSeconds', 'stallSeconds'], path, issues);
  const attempts =
    value.attempts === undefined
      ? undefined
      : positiveNumber(value.attempts, `${path}.attempts`, issues, true);
  const elapsed =
    value.elapsedSeconds === undefined
      ? undefined
      : positiveNumber(value.elapsedSeconds, `${path}.elapsedSeconds`, issues, false);
  const stall =
    value.stallSeconds === undefined
      ? undefined
      : positiveNumber(value.stallSeconds, `${path}.stallSeconds`, issues, false);
  return {
    ...(attempts === undefined ? {} : { attempts }),
    ...(elapsed === undefined ? {} : { elapsedSeconds: elapsed }),
    ...(stall === undefined ? {} : { stallSeconds: stall }),
  };
}

function parseResponse(value: unknown, path: string, issues: Issues): TargetConfig['response'] {
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object like { "url": "url", "id": "id" }' });
    return undefined;
  }
  unknownKeys(value, ['url', 'id'], path, issues);
  const paths: Record<'url' | 'id', string | undefined> = { url: undefined, id: undefined };
  for (const key of ['url', 'id'] as const) {
    const p = value[key];
    if (typeof p === 'string' && isDotPath(p)) paths[key] = p;
    else issues.push({ path: `${path}.${key}`, problem: 'must be a dot-path such as "data.upload.url"' });
  }
  return paths.url === undefined || paths.id === undefined ? undefined : { url: paths.url, id: paths.id };
}

function parseRequest(value: unknown, path: string, issues: Issues): TargetConfig['request'] {
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object like { "body": { ... } }' });
    return undefined;
  }
  unknownKeys(value, ['body'], path, issues);
  if (!isJsonObject(value.body)) {
    issues.push({ path: `${path}.body`, problem: 'must be a JSON object (the body template)' });
    return undefined;
  }
  return { body: value.body };
}

function parseTarget(name: string, value: unknown, issues: Issues): TargetConfig | undefined {
  const path = `targets.${name}`;
  if (!TARGET_NAME.test(name)) {
    issues.push({
      path,
      problem: "a target name holds letters, digits, '.', '_' and '-', and starts with a letter or digit",
    });
  }
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object' });
    return undefined;
  }
  unknownKeys(
    value,
    ['profile', 'endpoint', 'auth', 'request', 'response', 'maxBytes', 'retry'],
    path,
    issues,
  );
  const profile = oneOf(value.profile, PROFILES, `${path}.profile`, issues);

  let endpoint: string | undefined;
  if (typeof value.endpoint !== 'string') issues.push({ path: `${path}.endpoint`, problem: 'must be a URL' });
  else {
    const problem = endpointProblem(value.endpoint);
    if (problem === undefined) endpoint = value.endpoint;
    else issues.push({ path: `${path}.endpoint`, problem });
  }

  let style: AuthStyle | undefined = profile === 'form' ? 'bearer' : 'auth-api-token';
  if (value.auth !== undefined) {
    if (isJsonObject(value.auth)) {
      unknownKeys(value.auth, ['style'], `${path}.auth`, issues);
      style = oneOf(value.auth.style, AUTH_STYLES, `${path}.auth.style`, issues);
    } else {
      issues.push({ path: `${path}.auth`, problem: 'must be an object like { "style": "bearer" }' });
    }
  }

  const request =
    value.request === undefined ? undefined : parseRequest(value.request, `${path}.request`, issues);
  const response =
    value.response === undefined ? undefined : parseResponse(value.response, `${path}.response`, issues);
  if (profile === 'presigned-put') {
    if (value.request === undefined)
      issues.push({ path: `${path}.request`, problem: 'the presigned-put profile needs a body template' });
    if (value.response === undefined)
      issues.push({
        path: `${path}.response`,
        problem: 'the presigned-put profile needs the dot-paths of url and id',
      });
  }

  const maxBytes =
    value.maxBytes === undefined
      ? undefined
      : positiveNumber(value.maxBytes, `${path}.maxBytes`, issues, true);
  if (
    maxBytes !== undefined &&
    profile !== undefined &&
    SINGLE_PUT_PROFILES.includes(profile) &&
    maxBytes > SINGLE_PUT_LIMIT
  ) {
    issues.push({
      path: `${path}.maxBytes`,
      problem: `a single PUT cannot exceed ${SINGLE_PUT_LIMIT} bytes (5 GiB)`,
    });
  }
  const retry = value.retry === undefined ? undefined : parseRetry(value.retry, `${path}.retry`, issues);

  if (profile === undefined || endpoint === undefined || style === undefined) return undefined;
  return {
    profile,
    endpoint,
    auth: { style },
    ...(request === undefined ? {} : { request }),
    ...(response === undefined ? {} : { response }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(retry === undefined ? {} : { retry }),
  };
}

function parseFields(value: unknown, path: string, issues: Issues): Record<string, string> {
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object of strings' });
    return {};
  }
  const fields: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!FIELD_NAME.test(key))
      issues.push({
        path: `${path}.${key}`,
        problem: 'a field name is a letter followed by letters, digits or _',
      });
    else if (typeof item !== 'string') issues.push({ path: `${path}.${key}`, problem: 'must be a string' });
    else fields[key] = item;
  }
  return fields;
}

/** Variables the folder can fill for a body template: built-ins, the rule's fields, its own fields. */
function availableVariables(rule: string, fields: Readonly<Record<string, string>>): Set<string> {
  const names = new Set<string>([...BUILTIN_VARIABLES, ...Object.keys(fields)]);
  for (const field of ruleFields(parseRule(rule))) names.add(field.name);
  return names;
}

function parseFolder(
  value: unknown,
  index: number,
  targets: Readonly<Record<string, TargetConfig>>,
  targetNames: ReadonlySet<string>,
  issues: Issues,
): FolderConfig | undefined {
  const path = `folders[${index}]`;
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object' });
    return undefined;
  }
  unknownKeys(value, ['path', 'target', 'rule', 'fields', 'after', ...FOLDER_OPTION_KEYS], path, issues);
  const options = parseFolderOptions(value, path, issues);
  const folderPath = typeof value.path === 'string' && value.path.trim() !== '' ? value.path : undefined;
  if (folderPath === undefined) issues.push({ path: `${path}.path`, problem: 'must be a folder path' });

  let target: string | undefined;
  if (typeof value.target !== 'string')
    issues.push({ path: `${path}.target`, problem: 'must name a target' });
  else if (!targetNames.has(value.target)) {
    const known = [...targetNames].map((n) => `'${n}'`).join(', ');
    issues.push({
      path: `${path}.target`,
      problem: `no target named '${value.target}' (known: ${known || 'none'})`,
    });
  } else target = value.target;

  let rule: string | undefined = DEFAULT_TEMPLATE;
  if (value.rule !== undefined) {
    if (typeof value.rule !== 'string') {
      issues.push({ path: `${path}.rule`, problem: 'must be a naming template' });
      rule = undefined;
    } else {
      try {
        parseRule(value.rule);
        rule = value.rule;
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        issues.push({ path: `${path}.rule`, problem: error.message });
        rule = undefined;
      }
    }
  }
  const fields = parseFields(value.fields, `${path}.fields`, issues);
  const after =
    value.after === undefined ? 'leave' : oneOf(value.after, AFTER_DELIVERY, `${path}.after`, issues);

  const configured = target === undefined ? undefined : targets[target];
  const body = configured === undefined ? undefined : bodyTemplate(configured);
  if (body !== undefined && rule !== undefined) {
    const available = availableVariables(rule, fields);
    for (const name of templateVariables(body)) {
      if (!available.has(name)) {
        issues.push({
          path,
          problem: `target '${target ?? ''}' uses {${name}} in its request body, but neither this folder's rule nor its fields provide it`,
        });
      }
    }
  }

  if (folderPath === undefined || target === undefined || rule === undefined || after === undefined)
    return undefined;
  return { path: folderPath, target, rule, fields, after, ...options };
}

function limitRate(value: unknown): ReturnType<typeof parseRate> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return parseRate(String(value));
  if (typeof value === 'string') return parseRate(value);
  return { problem: "must be a rate such as '5M' or bytes per second" };
}

/** Validates a parsed config; throws a ConfigError listing every problem. */
export function validateConfig(value: unknown): FerryConfig {
  const issues: Issues = [];
  if (!isJsonObject(value)) throw new ConfigError([{ path: '(root)', problem: 'must be a JSON object' }]);
  unknownKeys(
    value,
    [
      'targets',
      'folders',
      'proxy',
      'limitRate',
      'limitRateSchedule',
      'concurrency',
      'notifications',
      'startAtLogin',
    ],
    '(root)',
    issues,
  );
  const concurrency =
    value.concurrency === undefined
      ? undefined
      : positiveNumber(value.concurrency, 'concurrency', issues, true);
  if (concurrency !== undefined && concurrency > MAX_CONCURRENCY)
    issues.push({ path: 'concurrency', problem: `must be at most ${MAX_CONCURRENCY}` });
  const notifications =
    value.notifications === undefined
      ? undefined
      : oneOf(value.notifications, NOTIFICATION_MODES, 'notifications', issues);
  if (value.startAtLogin !== undefined && typeof value.startAtLogin !== 'boolean')
    issues.push({ path: 'startAtLogin', problem: 'must be true or false' });
  const proxy = value.proxy === undefined ? undefined : parseProxyConfig(value.proxy, 'proxy', issues);
  const rate = limitRate(value.limitRate);
  if (typeof rate === 'object') issues.push({ path: 'limitRate', problem: rate.problem });
  const schedule =
    value.limitRateSchedule === undefined ? undefined : parseRateSchedule(value.limitRateSchedule);
  if (schedule !== undefined && 'problem' in schedule)
    issues.push({ path: 'limitRateSchedule', problem: schedule.problem });
  if (schedule !== undefined && rate === undefined)
    issues.push({ path: 'limitRateSchedule', problem: 'needs limitRate: the rate to apply on schedule' });

  const targets: Record<string, TargetConfig> = {};
  const targetNames = new Set<string>();
  if (!isJsonObject(value.targets)) {
    issues.push({ path: 'targets', problem: 'must be an object of named targets' });
  } else {
    for (const [name, raw] of Object.entries(value.targets)) {
      targetNames.add(name);
      const target = parseTarget(name, raw, issues);
      if (target !== undefined) targets[name] = target;
    }
  }

  const folders: FolderConfig[] = [];
  if (value.folders !== undefined && !Array.isArray(value.folders)) {
    issues.push({ path: 'folders', problem: 'must be an array' });
  } else {
    const seen = new Map<string, number>();
    (value.folders ?? []).forEach((raw, index) => {
      const folder = parseFolder(raw, index, targets, targetNames, issues);
      if (folder === undefined) return;
      const earlier = seen.get(folder.path);
      if (earlier !== undefined) {
        issues.push({
          path: `folders[${index}].path`,
          problem: `'${folder.path}' is already watched by folders[${earlier}]`,
        });
      }
      seen.set(folder.path, index);
      folders.push(folder);
    });
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return {
    targets,
    folders,
    ...(proxy === undefined ? {} : { proxy }),
    ...(typeof rate === 'number' ? { limitRate: rate } : {}),
    ...(schedule === undefined || 'problem' in schedule ? {} : { limitRateSchedule: schedule }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(notifications === undefined ? {} : { notifications }),
    ...(typeof value.startAtLogin === 'boolean' ? { startAtLogin: value.startAtLogin } : {}),
  };
}

/** Parses and validates the text of a config file. */
export function parseConfig(text: string): FerryConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '(file)', problem: `not valid JSON: ${(error as Error).message}` }]);
  }
  return validateConfig(value);
}
