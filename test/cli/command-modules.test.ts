import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandHost } from '../../src/cli/command-host.js';
import { commandModulesFor } from '../../src/cli/main.js';

const host: CommandHost = {
  terminal: { out: () => undefined, err: () => undefined, isTTY: false },
  exitWith: () => undefined,
};

describe('commandModulesFor', () => {
  it('names every command the modules add, so `ferry <command>` loads its module alone', async () => {
    const all = commandModulesFor([]);
    for (const module of all) {
      const program = new Command('ferry');
      (await module.load())(program, host);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...module.names].sort());
    }
  });

  it('loads one module for a known command and all of them otherwise', () => {
    expect(commandModulesFor(['upload', 'x.csv']).map((m) => m.names)).toEqual([['upload']]);
    expect(commandModulesFor(['pause']).map((m) => m.names)).toEqual([['jobs', 'retry', 'pause', 'resume']]);
    const all = commandModulesFor([]).length;
    expect(commandModulesFor(['--help'])).toHaveLength(all);
    expect(commandModulesFor(['help', 'upload'])).toHaveLength(all);
    expect(commandModulesFor(['uplod'])).toHaveLength(all);
  });
});
