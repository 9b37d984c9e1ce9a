import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/engine/contract/command-args.js';
import { draftProblem } from '../../../src/engine/contract/settings-draft-schema.js';
import { settingsDraft as draft } from '../../support/settings-draft.js';

describe('draftProblem and settings.update arguments', () => {
  it('accepts a draft of exactly the declared shape', () => {
    expect(draftProblem({ ...draft() })).toBeUndefined();
    expect(checkCommand('settings.update', draft()).ok).toBe(true);
  });

  it('refuses wrong types, unknown keys and two targets of one name', () => {
    const [folder] = draft().folders;
    expect(draftProblem({ ...draft(), concurrency: '4' })).toBe("'concurrency' must be a number");
    expect(draftProblem({ ...draft(), extra: 1 })).toBe("unknown argument 'extra'");
    expect(draftProblem({ ...draft(), folders: {} })).toBe("'folders' must be a list");
    expect(draftProblem({ ...draft(), folders: [{ ...folder, fields: { a: 1 } }] })).toBe(
      "'folders[0].fields' must be an object of strings",
    );
    expect(draftProblem({ ...draft(), folders: [{ ...folder, poll: true }] })).toBe(
      "unknown argument 'folders[0].poll'",
    );
    const target = { name: 'v', profile: 'lexer', endpoint: 'https://x.example' };
    expect(draftProblem({ ...draft(), targets: [target, target] })).toBe("two targets are named 'v'");
    const refused = checkCommand('settings.update', { ...draft(), startAtLogin: 'yes' });
    expect(refused.ok ? undefined : refused.error).toEqual({
      kind: 'bad-request',
      message: "settings.update: 'startAtLogin' must be true or false",
    });
  });

  it('names the first problem in the order of the draft, and a folder that is not an object', () => {
    const [folder] = draft().folders;
    expect(draftProblem({ ...draft(), folders: [folder, 'x'] })).toBe("'folders[1]' must be an object");
    expect(draftProblem({ ...draft(), folders: [{ ...folder, original: 3 }] })).toBe(
      "'folders[0].original' must be a string",
    );
    expect(draftProblem({ ...draft(), targets: 'vendor' })).toBe("'targets' must be a list");
    // An unknown key first; two targets of one name only once nothing else is wrong.
    const target = { name: 'v', profile: 'lexer', endpoint: 'https://x.example' };
    expect(
      draftProblem({ ...draft(), targets: [target, target], folders: [{ ...folder, path: 1, x: 1 }] }),
    ).toBe("unknown argument 'folders[0].x'");
  });

  it('checks target.test and setup.sandbox arguments', () => {
    expect(checkCommand('target.test', { target: 'vendor' }).ok).toBe(true);
    expect(checkCommand('target.test', {}).ok).toBe(false);
    expect(checkCommand('setup.sandbox', {}).ok).toBe(true);
    expect(checkCommand('setup.sandbox', { folder: '/x' }).ok).toBe(false);
  });
});
