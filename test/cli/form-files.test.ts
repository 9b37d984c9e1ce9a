import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferryRun } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The form API (seed 003) answers a form with a background task id; the file gets an id of its
 * own, by which the vendor lists and downloads it. That id is the delivery's remote id, and
 * `ferry remote list` shows what the vendor holds.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('form-files');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

const quick = () => ['--endpoint', `${sandbox.endpoint}/api/v1/file/new`, '--profile', 'form'];

interface Delivered {
  readonly file: string;
  readonly status: string;
  readonly remoteId: string;
  readonly taskId?: string;
}

describe('the form API', () => {
  it("reports the file's id as the remote id, keeps the task id, and lists the files it holds", async () => {
    const dir = await tempDir();
    const files = ['customers-2024-06-12-v1.csv', 'orders-2024-06-12-v1.csv'].map((name) => join(dir, name));
    for (const file of files) await writeFile(file, 'id,email\n1,a@example.com\n');
    const upload = await ferryRun(
      ['upload', ...files, ...quick(), '--field', 'file_description=nightly export', '--json'],
      { FERRY_TOKEN: sandbox.token },
    );
    expect(upload.stderr).toBe('');
    expect(upload.code).toBe(0);
    const delivered = JSON.parse(upload.stdout) as Delivered[];

    const listed = await ferryRun(['remote', 'list', ...quick(), '--json'], { FERRY_TOKEN: sandbox.token });
    expect(listed.code).toBe(0);
    const held = JSON.parse(listed.stdout) as {
      file_id: string;
      file_name: string;
      file_description: string;
    }[];
    for (const [index, record] of delivered.entries()) {
      expect(record.status).toBe('completed');
      expect(record.taskId).toMatch(/^[0-9a-f-]{36}$/);
      expect(record.remoteId).not.toBe(record.taskId);
      expect(held).toContainEqual(
        expect.objectContaining({
          file_id: record.remoteId,
          file_name: ['customers-2024-06-12-v1.csv', 'orders-2024-06-12-v1.csv'][index],
          file_description: 'nightly export',
        }),
      );
    }

    const text = await ferryRun(['remote', 'list', ...quick()], { FERRY_TOKEN: sandbox.token });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${delivered[0]?.remoteId ?? '?'}  customers-2024-06-12-v1.csv  `);
    expect(text.stdout).toMatch(/\n2 files at default\n$/);
  });

  it('says which targets cannot list, and when the vendor refuses the token', async () => {
    const lexer = await ferryRun(
      ['remote', 'list', '--endpoint', `${sandbox.endpoint}/v1/uploads`, '--profile', 'lexer'],
      { FERRY_TOKEN: sandbox.token },
    );
    expect(lexer.code).toBe(2);
    expect(lexer.stderr).toContain("target 'default' (profile lexer) cannot list what its vendor holds");

    const refused = await ferryRun(['remote', 'list', ...quick()], { FERRY_TOKEN: 'not-the-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('token rejected: the file-list request answered HTTP 401');
  });
});
