import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, ferrySync } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** Per-folder options from a config file, through the real binary to a real sandbox. */
let sandbox: RunningSandbox;
const tempDir = useTempDir('folder-options');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

async function configured(folderOptions: Record<string, unknown>) {
  const folder = await tempDir();
  const stateDir = await tempDir();
  const config = join(await tempDir(), 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { sandbox: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
      folders: [{ path: folder, target: 'sandbox', ...folderOptions }],
    }),
  );
  const once = async () => {
    const run = ferry(['watch', '--config', config, '--state-dir', stateDir, '--once', '--settle', '0.3'], {
      FERRY_TOKEN: sandbox.token,
    });
    return { code: await run.exited, output: run.output() };
  };
  return { folder, stateDir, once };
}

/** The bytes of the latest delivery with this name, read back from the sandbox's S3 store. */
async function delivered(filename: string): Promise<Buffer | undefined> {
  const found = (await sandbox.deliveries()).filter((d) => d.filename === filename).at(-1);
  if (found === undefined) return undefined;
  const response = await fetch(`${sandbox.s3.endpoint}/${sandbox.s3.bucket}/${found.key}`);
  return Buffer.from(await response.arrayBuffer());
}

describe('folder options', () => {
  it('converts CSV to typed NDJSON and sends it under the same descriptor, date and version', async () => {
    const { folder, once } = await configured({
      convert: 'csv-to-ndjson',
      types: { id: 'number', vip: 'boolean' },
    });
    await writeFile(join(folder, 'members-2024-06-12-v3.csv'), 'id,name,vip\n1,"Zoë, A.",yes\n2,Bo,no\n');
    const { code } = await once();
    expect(code).toBe(0);
    expect((await delivered('members-2024-06-12-v3.ndjson'))?.toString()).toBe(
      '{"id":1,"name":"Zoë, A.","vip":true}\n{"id":2,"name":"Bo","vip":false}\n',
    );
    expect(await delivered('members-2024-06-12-v3.csv')).toBeUndefined();
  });

  it('refuses a CSV that cannot be converted, naming the line', async () => {
    const { folder, once } = await configured({
      convert: 'csv-to-ndjson',
      types: { id: 'number' },
      checks: false,
    });
    await writeFile(join(folder, 'broken-2024-06-12-v1.csv'), 'id\n1\nabc\n');
    const { code, output } = await once();
    expect(code).toBe(1);
    expect(output).toMatch(
      /broken-2024-06-12-v1\.csv: content-convert: line 3: 'abc' in column 'id' is not a number/,
    );
  });

  it("holds converted records to the folder's required keys", async () => {
    const { folder, once } = await configured({ convert: 'csv-to-ndjson', requiredKeys: ['customer_id'] });
    await writeFile(join(folder, 'people-2024-06-12-v1.csv'), 'customer_id,name\n7,Ada\n');
    await writeFile(join(folder, 'leads-2024-06-12-v1.csv'), 'email,name\na@x,Bo\n');
    const { code, output } = await once();
    expect(code).toBe(1);
    expect((await delivered('people-2024-06-12-v1.ndjson'))?.toString()).toBe(
      '{"customer_id":"7","name":"Ada"}\n',
    );
    expect(output).toMatch(
      /leads-2024-06-12-v1\.csv: content-convert: line 1: the header has no column 'customer_id', which every record must have/,
    );
    expect(await delivered('leads-2024-06-12-v1.ndjson')).toBeUndefined();
  });

  it('compresses with gzip and sends <name>.gz', async () => {
    const { folder, once } = await configured({ compress: 'gzip' });
    const text = 'id,v\n1,a\n2,b\n';
    await writeFile(join(folder, 'packed-2024-06-12-v1.csv'), text);
    expect((await once()).code).toBe(0);
    const bytes = await delivered('packed-2024-06-12-v1.csv.gz');
    expect(bytes === undefined ? undefined : gunzipSync(bytes).toString()).toBe(text);
  });

  it('checks required NDJSON keys, and a rejected file can be sent anyway with retry --force', async () => {
    const { folder, stateDir, once } = await configured({ requiredKeys: ['customer_id'] });
    await writeFile(join(folder, 'people-2024-06-12-v1.ndjson'), '{"customer_id":1}\n{"email":"x"}\n');
    const first = await once();
    expect(first.code).toBe(1);
    expect(first.output).toMatch(
      /content-ndjson-keys: 1 record\(s\) lack the required key\(s\) 'customer_id': line 2/,
    );
    const [job] = JSON.parse(ferrySync(['jobs', '--json', '--state-dir', stateDir]).stdout) as {
      id: string;
    }[];
    expect(ferrySync(['retry', job?.id ?? '', '--force', '--state-dir', stateDir]).code).toBe(0);
    expect((await once()).code).toBe(0);
    expect(await delivered('people-2024-06-12-v1.ndjson')).toBeDefined();
  });

  it('skips content checks when a folder turns them off, and ignores files matching its globs', async () => {
    const { folder, stateDir, once } = await configured({ checks: false, ignore: ['draft-*'] });
    await writeFile(join(folder, 'ragged-2024-06-12-v7.csv'), 'a,b\n1\n');
    await writeFile(join(folder, 'draft-2024-06-12-v1.csv'), 'a\n1\n');
    expect((await once()).code).toBe(0);
    expect(await delivered('ragged-2024-06-12-v7.csv')).toBeDefined();
    const jobs = JSON.parse(ferrySync(['jobs', '--json', '--state-dir', stateDir]).stdout) as {
      file: string;
    }[];
    expect(jobs.map((j) => j.file)).toEqual([join(folder, 'ragged-2024-06-12-v7.csv')]);
  });

  it('names a bad folder option in the config error', async () => {
    const { once } = await configured({ convert: 'xml', checks: 'yes' });
    const { code, output } = await once();
    expect(code).toBe(2);
    expect(output).toMatch(/folders\[0\]\.convert: must be 'csv-to-ndjson'/);
    expect(output).toMatch(/folders\[0\]\.checks: must be true or false/);
  });
});
