import { open } from 'node:fs/promises';

/** How far back from the end to look: enough for thousands of log lines, never the whole of a big log. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;

/** The last `count` complete lines of a text file; empty when the file does not exist. */
export async function tailLines(path: string, count: number): Promise<string[]> {
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return [];
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - MAX_TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await file.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    // A cut at `start` leaves a partial first line: drop it.
    if (start > 0) lines.shift();
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  } finally {
    await file.close();
  }
}
