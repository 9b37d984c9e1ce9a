import { z } from 'zod';
import type { CommandArgs, CommandName, ContractError } from '../../shared/contract.js';
import { isJsonObject } from '../../shared/json-value.js';
import { excerpt } from '../../shared/vendor-text.js';
import { isString, wholeList } from '../schema/whole-values.js';
import { argumentProblem } from './argument-problem.js';
import { settingsDraftSchema } from './settings-draft-schema.js';

/**
 * Runtime checks of command arguments. Whatever a transport receives (an IPC
 * message, an HTTP body) is untrusted: a command runs only with arguments of
 * exactly the declared shape, and anything else is a `bad-request`. One schema
 * per command, held to the contract's argument type.
 */

const NON_EMPTY = 'must be a non-empty string';
const required = z.string({ error: NON_EMPTY }).min(1, { error: NON_EMPTY });
const optionalText = z.string({ error: 'must be a string' }).exactOptional();
const optionalFlag = z.boolean({ error: 'must be a boolean' }).exactOptional();
const none = z.strictObject({});
/** A count of days `ferry status` and the window look back: up to a year. */
const days = z
  .number({ error: 'must be a number' })
  .refine((n) => Number.isInteger(n) && n >= 1 && n <= 366, { error: 'must be a whole number from 1 to 366' })
  .exactOptional();
const optionalTime = z
  .number({ error: 'must be a time in milliseconds' })
  .refine(Number.isFinite, { error: 'must be a time in milliseconds' })
  .exactOptional();

const COMMAND_ARGS: { readonly [N in CommandName]: z.ZodType<CommandArgs<N>> } = {
  'jobs.list': none,
  'jobs.detail': z.strictObject({ id: required }),
  'jobs.retry': z.strictObject({ id: required, force: optionalFlag }),
  'jobs.retryFailed': none,
  'jobs.reupload': z.strictObject({ id: required }),
  'jobs.showInFolder': z.strictObject({ id: required }),
  'jobs.clearFinished': none,
  'agent.pause': z.strictObject({ folder: optionalText }),
  'agent.resume': z.strictObject({ folder: optionalText }),
  'agent.summary': none,
  'files.upload': z.strictObject({ path: required, target: required }),
  'expectations.list': z.strictObject({ days }),
  'history.list': z.strictObject({
    since: optionalTime,
    until: optionalTime,
    folder: optionalText,
    target: optionalText,
  }),
  'naming.preview': z.strictObject({
    rule: required,
    names: wholeList(isString, 'must be a list of strings'),
  }),
  'settings.get': none,
  'settings.setToken': z.strictObject({ target: required, token: required }),
  'settings.update': settingsDraftSchema,
  'target.test': z.strictObject({ target: required }),
  'setup.sandbox': none,
};

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMAND_ARGS, name);
}

export type Checked<N extends CommandName = CommandName> =
  | { readonly ok: true; readonly name: N; readonly args: CommandArgs<N> }
  | { readonly ok: false; readonly error: ContractError };

const badRequest = (message: string): Checked => ({ ok: false, error: { kind: 'bad-request', message } });

/**
 * Whether every object in `value` is a plain one, as JSON.parse and a structured clone make them:
 * a schema reads a key whether it is the object's own or inherited, so an argument must not be
 * able to come from a prototype.
 */
function isPlainData(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      pending.push(...(next as unknown[]));
      continue;
    }
    const prototype: unknown = Object.getPrototypeOf(next);
    if (prototype !== Object.prototype && prototype !== null) return false;
    pending.push(...Object.values(next as Record<string, unknown>));
  }
  return true;
}

/** Says what was asked for without calling anything on it: a name that is not a string may be any object. */
function unknownCommand(name: unknown): string {
  return typeof name === 'string'
    ? `unknown command '${excerpt(name)}'`
    : `a command name must be a string, got ${typeof name}`;
}

/**
 * The command and its arguments, if both are what the contract declares: own keys only, and
 * handed on as the schema's own copy, which holds the declared keys and nothing else.
 */
export function checkCommand(name: unknown, args: unknown): Checked {
  if (!isCommandName(name)) return badRequest(unknownCommand(name));
  const given = args ?? {};
  if (!isJsonObject(given) || !isPlainData(given)) return badRequest('arguments must be an object');
  const schema: z.ZodType<CommandArgs<typeof name>> = COMMAND_ARGS[name];
  const problem = argumentProblem(schema, given);
  if (problem !== undefined) return badRequest(`${name}: ${problem}`);
  return { ok: true, name, args: schema.parse(given) };
}
