import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { recentStatuses } from '../engine/expectations/expectation-status.js';
import { folderExpectations } from '../engine/expectations/expected-files.js';
import { localTimeZone } from '../engine/expectations/zoned-time.js';
import { receiptsOf } from '../engine/receipts.js';
import { afterIntents } from '../engine/stored-intents.js';
import type { ExpectationsView } from '../shared/expectations.js';
import { parseRule } from '../shared/naming.js';
import type { Receipt, ReceiptFilter } from '../shared/receipts.js';
import { readLedger } from './delivery-ledger.js';
import { withStarts } from './expectation-starts.js';
import { readJournal } from './journal.js';

/**
 * Expected files and receipts worked out from a state dir no agent runs on: its ledger, its
 * journal, and what lies in the folders. Read-only: nothing here takes the state dir's lock.
 */

/** The expectations of a config's folders, by the paths an agent would watch. */
export function configExpectations(config: FerryConfig) {
  // Asking for the local zone sets up Intl's calendar data, some 8 MiB resident for the whole
  // run: only a folder that expects files needs it.
  if (!config.folders.some((folder) => (folder.expect ?? []).length > 0)) return [];
  return folderExpectations(
    config.folders.map((folder) => ({
      path: resolve(folder.path),
      rule: parseRule(folder.rule),
      expect: folder.expect,
    })),
    localTimeZone(),
  );
}

async function filesIn(folder: string): Promise<readonly string[]> {
  try {
    return (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

export async function storedExpectations(
  stateDir: string,
  config: FerryConfig,
  now: number,
  days: number,
): Promise<ExpectationsView> {
  const expectations = await withStarts(stateDir, configExpectations(config), now, false);
  const folders = [...new Set(expectations.map((e) => e.folder))];
  const [ledger, journal, listings] = await Promise.all([
    readLedger(stateDir),
    readJournal(stateDir),
    Promise.all(folders.map(async (folder) => [folder, await filesIn(folder)] as const)),
  ]);
  const statuses = recentStatuses(expectations, now, days, {
    delivered: ledger,
    jobs: afterIntents(journal),
    // No agent: no target is known to be offline, no token known to be refused.
    offlineTargets: [],
    tokenRejected: [],
    filesInFolder: new Map(listings),
  });
  return { at: now, statuses };
}

export async function storedReceipts(
  stateDir: string,
  config: FerryConfig | undefined,
  filter: ReceiptFilter,
): Promise<Receipt[]> {
  const rules = new Map((config?.folders ?? []).map((f) => [resolve(f.path), parseRule(f.rule)]));
  return receiptsOf(await readLedger(stateDir), (folder) => rules.get(folder), filter);
}
