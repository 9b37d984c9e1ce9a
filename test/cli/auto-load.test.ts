import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, ferryRun } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Lexer loads NDJSON and JSON automatically only with the dataset id and record type in the
 * upload request (seed 002). A lexer folder without them is told of when the agent starts, by
 * ferry doctor (with the lines to add) and by ferry upload; `"loading": "manual"` says the
 * files are loaded by hand, and silences it.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('auto-load');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

/** `plain`: a lexer folder without the fields; `by-hand`: the same, loaded by hand. */
async function lexerFolders() {
  const dir = await tempDir();
  for (const name of ['plain', 'by-hand']) await mkdir(join(dir, name));
  const config = join(dir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
      folders: [
        { path: 'plain', target: 'lexer', fields: { dataset_id: 'ds-7' } },
        { path: 'by-hand', target: 'lexer', loading: 'manual' },
      ],
    }),
  );
  return { dir, config, plain: join(dir, 'plain'), byHand: join(dir, 'by-hand') };
}

const WARNING =
  "lexer loads .ndjson and .json files by itself only when the upload request carries dataset_id and record_type; this folder's fields lack record_type";
const FIX =
  'add to the folder "fields": { "dataset_id": "ds-7", "record_type": "<record type>" } (or "loading": "manual" if its files are loaded by hand)';

describe('a lexer folder without dataset_id and record_type', () => {
  it('is warned about when ferry watch starts, text and --json, and a manual one is not', async () => {
    const { dir, config, plain, byHand } = await lexerFolders();
    await writeFile(join(plain, 'orders-2024-06-12-v1.ndjson'), '{"id":1}\n');
    const state = join(dir, 'state');
    const args = ['watch', '--config', config, '--once', '--settle', '0.3', '--state-dir', state];
    const text = ferry(args, { FERRY_TOKEN: sandbox.token });
    expect(await text.exited, text.output()).toBe(0);
    const lines = text.output().split('\n');
    expect(lines.filter((line) => line.startsWith('! folder'))).toEqual([
      `! folder ${plain}: ${WARNING}, so such files would wait for someone to load them; ${FIX}`,
    ]);
    expect(text.output()).not.toContain(byHand);

    const json = ferry([...args, '--json'], { FERRY_TOKEN: sandbox.token });
    expect(await json.exited).toBe(0);
    const events = json
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; folder?: string; message?: string });
    expect(events.filter((e) => e.event === 'warning')).toEqual([
      { event: 'warning', folder: plain, message: expect.stringContaining(WARNING) as unknown },
    ]);
  });

  it('fails ferry doctor with the config lines to add; a manual folder is not checked', async () => {
    const { dir, config, plain, byHand } = await lexerFolders();
    const run = await ferryRun(['doctor', '--config', config, '--state-dir', join(dir, 'state')], {
      FERRY_TOKEN: sandbox.token,
    });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith(`✗ automatic loading of ${plain}: ${WARNING}`));
    expect(at, run.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe(`    fix: ${FIX}`);
    expect(run.stdout).toContain(
      `– automatic loading of ${byHand}: its files are loaded by hand ("loading": "manual")`,
    );
  });

  it('is warned about by ferry upload for an NDJSON file, which is still delivered, not for a CSV', async () => {
    const { config, plain } = await lexerFolders();
    const ndjson = join(plain, 'orders-2024-06-12-v1.ndjson');
    const csv = join(plain, 'orders-2024-06-12-v1.csv');
    await writeFile(ndjson, '{"id":1}\n');
    await writeFile(csv, 'id\n1\n');
    const run = await ferryRun(['upload', '--config', config, ndjson, csv], { FERRY_TOKEN: sandbox.token });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `ferry: warning: ${ndjson}: ${WARNING}, so such files would wait for someone to load them; ${FIX}\n`,
    );
    expect(run.stdout).toMatch(/2 file\(s\): 2 delivered/);
  });
});
