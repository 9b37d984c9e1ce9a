/** Where the CLI writes, so commands can be driven and read in tests. */
export interface Terminal {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stdout is an interactive terminal (progress bars) or a pipe (one line per event). */
  readonly isTTY: boolean;
}

export function processTerminal(): Terminal {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY,
  };
}
