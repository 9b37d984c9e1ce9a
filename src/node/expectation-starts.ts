import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Expectation } from '../engine/expectations/schedule.js';
import { replaceFileDurably } from './durable-file.js';

/** When an agent first followed each expectation: the days before it were not expected of anyone. */
export const EXPECTATION_STARTS_FILE = 'expectations.json';

interface Start {
  readonly folder: string;
  readonly descriptor: string;
  readonly since: number;
}

async function readStarts(stateDir: string): Promise<Start[]> {
  try {
    const stored = JSON.parse(await readFile(join(stateDir, EXPECTATION_STARTS_FILE), 'utf8')) as {
      starts?: unknown;
    };
    return Array.isArray(stored.starts)
      ? stored.starts.filter(
          (s): s is Start =>
            typeof s === 'object' &&
            s !== null &&
            typeof (s as Start).folder === 'string' &&
            typeof (s as Start).descriptor === 'string' &&
            Number.isFinite((s as Start).since),
        )
      : [];
  } catch {
    // None yet, or unreadable: every expectation starts now, which reports no day as missed.
    return [];
  }
}

/**
 * The expectations with the time each was first followed. An agent (`record`) writes down the
 * start of one it follows for the first time; `ferry status` without an agent only reads, and
 * takes an expectation no agent followed yet as starting now. Either way a folder that is given
 * an expectation today is not reported as having missed the days before.
 */
export async function withStarts(
  stateDir: string,
  expectations: readonly Expectation[],
  now: number,
  record: boolean,
): Promise<Expectation[]> {
  const starts = await readStarts(stateDir);
  const started = (e: Expectation) =>
    starts.find((s) => s.folder === e.folder && s.descriptor === e.descriptor);
  const fresh = expectations.filter((e) => started(e) === undefined);
  if (record && fresh.length > 0) {
    const all = [
      ...starts,
      ...fresh.map((e) => ({ folder: e.folder, descriptor: e.descriptor, since: now })),
    ];
    await replaceFileDurably(join(stateDir, EXPECTATION_STARTS_FILE), [
      `${JSON.stringify({ starts: all }, null, 2)}\n`,
    ]);
  }
  return expectations.map((e) => ({ ...e, since: started(e)?.since ?? now }));
}
