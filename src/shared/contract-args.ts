import type { CommandArgs, CommandName, ContractError } from './contract.js';
import { draftProblem } from './settings-draft.js';

/**
 * Runtime checks of command arguments. Whatever a transport receives (an IPC
 * message, an HTTP body) is untrusted: a command runs only with arguments of
 * exactly the declared shape, and anything else is a `bad-request`.
 */

type Check = (args: Record<string, unknown>) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fields(
  required: Record<string, 'string' | 'string[]'>,
  optional: Record<string, 'string' | 'boolean'> = {},
): Check {
  return (args) => {
    for (const key of Object.keys(args)) {
      if (!(key in required) && !(key in optional)) return `unknown argument '${key}'`;
    }
    for (const [key, type] of Object.entries(required)) {
      const value = args[key];
      if (type === 'string' && (typeof value !== 'string' || value === ''))
        return `'${key}' must be a non-empty string`;
      if (type === 'string[]' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        return `'${key}' must be a list of strings`;
      }
    }
    for (const [key, type] of Object.entries(optional)) {
      const value = args[key];
      if (value !== undefined && typeof value !== type) return `'${key}' must be a ${type}`;
    }
    return undefined;
  };
}

const none = fields({});

const CHECKS: Readonly<Record<CommandName, Check>> = {
  'jobs.list': none,
  'jobs.detail': fields({ id: 'string' }),
  'jobs.retry': fields({ id: 'string' }, { force: 'boolean' }),
  'jobs.retryFailed': none,
  'jobs.reupload': fields({ id: 'string' }),
  'jobs.showInFolder': fields({ id: 'string' }),
  'jobs.clearFinished': none,
  'agent.pause': fields({}, { folder: 'string' }),
  'agent.resume': fields({}, { folder: 'string' }),
  'agent.summary': none,
  'files.upload': fields({ path: 'string', target: 'string' }),
  'naming.preview': fields({ rule: 'string', names: 'string[]' }),
  'settings.get': none,
  'settings.setToken': fields({ target: 'string', token: 'string' }),
  'settings.update': draftProblem,
  'target.test': fields({ target: 'string' }),
  'setup.sandbox': none,
};

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(CHECKS, name);
}

export type Checked<N extends CommandName = CommandName> =
  | { readonly ok: true; readonly name: N; readonly args: CommandArgs<N> }
  | { readonly ok: false; readonly error: ContractError };

/** The command and its arguments, if both are what the contract declares. */
export function checkCommand(name: unknown, args: unknown): Checked {
  if (!isCommandName(name)) {
    return { ok: false, error: { kind: 'bad-request', message: `unknown command '${String(name)}'` } };
  }
  const given = args ?? {};
  if (!isObject(given))
    return { ok: false, error: { kind: 'bad-request', message: 'arguments must be an object' } };
  const problem = CHECKS[name](given);
  if (problem !== undefined)
    return { ok: false, error: { kind: 'bad-request', message: `${name}: ${problem}` } };
  return { ok: true, name, args: given as CommandArgs<typeof name> };
}
