import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE, PRIVATE_FOLDER } from './private-modes.js';

/**
 * The sample files of the sandbox trial: three that follow the naming
 * convention and one that does not, so a first look shows both a delivery and
 * a rejection with its suggested name. Their contents carry the time, so a
 * later trial's samples are new bytes the ledger has not seen delivered.
 */
export function sampleFiles(now: Date): Readonly<Record<string, string>> {
  const day = now.toISOString().slice(0, 10);
  const stamp = now.toISOString();
  return {
    [`orders-${day}-v1.csv`]: `order_id,customer_id,amount,created_at\n1001,c-17,42.50,${stamp}\n1002,c-09,18.00,${stamp}\n`,
    [`customers-${day}-v1.csv`]: `customer_id,name,country,updated_at\nc-09,Ada,GB,${stamp}\nc-17,Grace,US,${stamp}\n`,
    [`inventory-${day}-v1.ndjson`]: `{"sku":"A-1","count":12,"at":"${stamp}"}\n{"sku":"B-7","count":3,"at":"${stamp}"}\n`,
    'Sales Report June.csv': `region,total,at\nnorth,1200,${stamp}\nsouth,900,${stamp}\n`,
  };
}

/** Replaces the folder's contents with fresh samples; returns the folder. */
export async function writeSampleFiles(folder: string, now: Date): Promise<string> {
  await rm(folder, { recursive: true, force: true });
  // In the state dir, private like the rest of it.
  await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER });
  await chmod(folder, PRIVATE_FOLDER);
  for (const [name, text] of Object.entries(sampleFiles(now)))
    await writeFile(join(folder, name), text, { mode: PRIVATE_FILE });
  return folder;
}
