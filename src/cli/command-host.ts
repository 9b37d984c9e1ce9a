import type { Terminal } from './terminal.js';

/** What every command gets from the program: where to write and how to set the exit code. */
export interface CommandHost {
  readonly terminal: Terminal;
  readonly exitWith: (code: number) => void;
}
