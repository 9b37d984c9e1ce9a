import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/engine/contract/command-args.js';

describe('checkCommand', () => {
  it.each([
    ['jobs.list', undefined],
    ['jobs.list', {}],
    ['jobs.retry', { id: 'a1' }],
    ['jobs.retry', { id: 'a1', force: true }],
    ['agent.pause', {}],
    ['agent.pause', { folder: '/data/out' }],
    ['naming.preview', { rule: '{a}-{date}', names: ['x', 'y'] }],
    ['files.upload', { path: '/tmp/a.csv', target: 'vendor' }],
  ])('accepts %s with %j', (name, args) => {
    expect(checkCommand(name, args)).toMatchObject({ ok: true, name });
  });

  it.each([
    ['jobs.nope', {}, "unknown command 'jobs.nope'"],
    ['toString', {}, "unknown command 'toString'"],
    ['jobs.retry', {}, "jobs.retry: 'id' must be a non-empty string"],
    ['jobs.retry', { id: '' }, "'id' must be a non-empty string"],
    ['jobs.retry', { id: 'a', force: 'yes' }, "'force' must be a boolean"],
    ['jobs.list', { extra: 1 }, "unknown argument 'extra'"],
    ['naming.preview', { rule: 'x', names: [1] }, "'names' must be a list of strings"],
    ['agent.pause', [], 'arguments must be an object'],
    ['agent.pause', 'folder', 'arguments must be an object'],
  ])('refuses %s with %j', (name, args, message) => {
    expect(checkCommand(name, args)).toEqual({
      ok: false,
      error: { kind: 'bad-request', message: expect.stringContaining(message) as unknown },
    });
  });

  it.each([
    [{ toString: false }, 'got object'],
    [Object.create(null) as unknown, 'got object'],
    [Symbol('jobs.list'), 'got symbol'],
    [42, 'got number'],
  ])('refuses a name that is not a string (%s) without calling anything on it', (name, message) => {
    expect(checkCommand(name, {})).toEqual({
      ok: false,
      error: { kind: 'bad-request', message: expect.stringContaining(message) as unknown },
    });
  });
});

describe('checkCommand takes own keys only (issue #16)', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    "refuses '%s' as a command, and as an argument of any command",
    (key) => {
      expect(checkCommand(key, {})).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
      // As JSON.parse makes it: an own key, whatever its name.
      for (const [name, args] of [
        ['jobs.list', `{"${key}": {"id": "x"}}`],
        ['jobs.retry', `{"id": "a", "${key}": 1}`],
        ['settings.setToken', `{"target": "t", "token": "secret-1", "${key}": {}}`],
      ] as const) {
        expect(checkCommand(name, JSON.parse(args))).toEqual({
          ok: false,
          error: { kind: 'bad-request', message: `${name}: unknown argument '${key}'` },
        });
      }
    },
  );

  it('does not take an argument the object inherits, and hands on a fresh object of the declared keys', () => {
    const inherited = Object.create({ id: 'not-own' }) as object;
    expect(checkCommand('jobs.retry', inherited)).toMatchObject({
      ok: false,
      error: { kind: 'bad-request' },
    });
    const withInherited = Object.assign(Object.create({ force: true }) as object, { id: 'a1' });
    expect(checkCommand('jobs.retry', withInherited)).toMatchObject({ ok: false });
    const given = JSON.parse('{"id": "a1"}') as object;
    const checked = checkCommand('jobs.retry', given);
    expect(checked).toEqual({ ok: true, name: 'jobs.retry', args: { id: 'a1' } });
    expect(checked.ok && checked.args).not.toBe(given);
  });
});
