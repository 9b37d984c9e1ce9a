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
});
