import { describe, expect, it } from 'vitest';
import {
  formBoundary,
  formUpload,
  readFileList,
  readTaskId,
  readTaskStatus,
  taskUrl,
  type FormSpec,
} from '../../../src/engine/protocols/form.js';

const spec: FormSpec = {
  endpoint: 'https://files.example/api/v1/file/new',
  auth: 'bearer',
  fields: { file_description: 'daily {descriptor}', file_size_limit: 1000, enforce_schema: true },
  idPath: 'task_id',
};

async function* once(text: string): AsyncGenerator<Uint8Array> {
  await Promise.resolve();
  yield new TextEncoder().encode(text);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += new TextDecoder().decode(chunk);
  return out;
}

describe('formUpload', () => {
  it('builds a multipart body of exactly the announced length, fields first, then the file', async () => {
    const content = 'id,email\n1,a@example.com\n';
    const form = formUpload(
      spec,
      { descriptor: 'customers' },
      'tok-123',
      { name: 'customers-2024-01-31-v1.csv', size: content.length, stream: once(content) },
      'B0UND',
    );
    const body = await collect(form.body.stream);
    expect(body).toBe(
      '--B0UND\r\nContent-Disposition: form-data; name="file_description"\r\n\r\ndaily customers\r\n' +
        '--B0UND\r\nContent-Disposition: form-data; name="file_size_limit"\r\n\r\n1000\r\n' +
        '--B0UND\r\nContent-Disposition: form-data; name="enforce_schema"\r\n\r\ntrue\r\n' +
        '--B0UND\r\nContent-Disposition: form-data; name="file"; filename="customers-2024-01-31-v1.csv"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\n' +
        content +
        '\r\n--B0UND--\r\n',
    );
    expect(form.body.length).toBe(new TextEncoder().encode(body).byteLength);
    expect(form.headers['content-length']).toBe(String(form.body.length));
    expect(form.headers['content-type']).toBe('multipart/form-data; boundary=B0UND');
    expect(form.headers.authorization).toBe('Bearer tok-123');
    expect(body.slice(form.fileOffset, form.fileOffset + content.length)).toBe(content);
  });

  it('cannot be broken out of by a quote or a line break in a name', async () => {
    const form = formUpload(
      { ...spec, fields: {} },
      {},
      't',
      { name: 'a"b\r\nc.csv', size: 1, stream: once('x') },
      'B',
    );
    expect(await collect(form.body.stream)).toContain('filename="a%22b  c.csv"');
  });

  it('makes 32-hex-digit boundaries from the injected random source', () => {
    expect(formBoundary(() => 0.999)).toBe(`----ferry-${'f'.repeat(32)}`);
    expect(formBoundary(() => 0)).toBe(`----ferry-${'0'.repeat(32)}`);
  });
});

describe('readTaskId and taskUrl', () => {
  it('reads the task id, or calls the answer bad', () => {
    expect(readTaskId(spec, { status: 200, headers: {}, body: '{"task_id":"t-1"}' })).toBe('t-1');
    expect(() => readTaskId(spec, { status: 200, headers: {}, body: '<html/>' })).toThrow(
      "the upload answered HTTP 200 without a usable task id at 'task_id'",
    );
  });

  it('follows the task next to the /api/v1/ endpoint', () => {
    expect(taskUrl('https://f.example/api/v1/file/new', 't 1')).toBe('https://f.example/api/v1/tasks/t%201');
    expect(taskUrl('http://127.0.0.1:8/base/api/v1/files', 't')).toBe(
      'http://127.0.0.1:8/base/api/v1/tasks/t',
    );
    expect(taskUrl('https://f.example/upload/new', 't')).toBe('https://f.example/upload/tasks/t');
  });
});

describe('readFileList', () => {
  const answer = (body: unknown) => ({ status: 200, headers: {}, body: JSON.stringify(body) });

  it("reads seed 003's files_list, keeping each entry as the vendor wrote it", () => {
    const entry = {
      created_at: '2023-11-25T13:25:00+0000',
      entitlement: 'rw',
      file_description: 'Description',
      file_id: '53c9c295-83f4-4754-a781-cd03841c806f',
      file_name: 'number_3_digits.csv',
      user_name: 'demo:account',
    };
    expect(readFileList(answer({ files_list: [entry, { file_name: 'no id' }, 'junk'] }))).toEqual([
      {
        id: '53c9c295-83f4-4754-a781-cd03841c806f',
        name: 'number_3_digits.csv',
        createdAt: '2023-11-25T13:25:00+0000',
        entry,
      },
    ]);
  });

  it('calls an answer without the list a bad answer', () => {
    expect(() => readFileList(answer({ files: [] }))).toThrow(
      "the file-list request answered HTTP 200 with no 'files_list' array",
    );
  });
});

describe('readTaskStatus', () => {
  const answer = (body: unknown) => ({ status: 200, headers: {}, body: JSON.stringify(body) });

  it("takes the file id from a finished task's result, and nothing from one still working", () => {
    expect(readTaskStatus(answer({ status: 'SUCCESS', result: { file_id: 'f-9' } }))).toEqual({
      phase: 'completed',
      fileId: 'f-9',
    });
    expect(readTaskStatus(answer({ status: 'SUCCESS', result: null }))).toEqual({ phase: 'completed' });
    expect(readTaskStatus(answer({ status: 'STARTED', result: { file_id: 'f-9' } }))).toEqual({
      phase: 'working',
    });
  });
});
