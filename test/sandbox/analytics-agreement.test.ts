import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContent, type ContentFormat } from '../../src/engine/content/check-content.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

/**
 * Ferry's pre-flight verdict and the vendor's import agree: a file Ferry would
 * refuse is one the sandbox's analytics import fails, and the other way round.
 * The sandbox checks on its own (it shares no code with the engine).
 */
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, processingDelayMs: 10 });
});

afterAll(async () => {
  await sandbox.close();
});

async function vendorStatus(name: string, type: string, bytes: Buffer): Promise<string> {
  const grant = await fetch(`${sandbox.endpoint}/analytics/files/upload`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${sandbox.token}`,
      'auth-api-token': sandbox.token,
    },
    body: JSON.stringify({ datasetType: 'transactions', file: { name, type } }),
  });
  expect(grant.status).toBe(200);
  const { id, url } = (await grant.json()) as { id: string; url: string };
  expect((await fetch(url, { method: 'PUT', body: bytes })).status).toBe(200);
  for (let i = 0; i < 100; i += 1) {
    const answer = await fetch(`${sandbox.endpoint}/analytics/files/${id}`, {
      headers: { authorization: `Bearer ${sandbox.token}`, 'auth-api-token': sandbox.token },
    });
    const { status } = (await answer.json()) as { status: string };
    if (status === 'Completed' || status === 'Failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the import never finished');
}

const FILES: [string, ContentFormat, string][] = [
  ['good', 'csv', 'id,name,city\n1,Ada,London\n2,"Lovelace, Ada","New\nYork"\n'],
  ['ragged', 'csv', 'id,name\n1,Ada\n2\n3,x\n'],
  ['too-wide', 'csv', 'id,name\n1,Ada,extra\n'],
  ['header-only', 'csv', 'id,name\n'],
  ['empty', 'csv', ''],
  ['good', 'ndjson', '{"id":1}\n{"id":2}\n'],
  ['broken', 'ndjson', '{"id":1}\nnot json\n'],
  ['array-line', 'ndjson', '{"id":1}\n[1,2]\n'],
];

describe('Ferry and the vendor agree', () => {
  it.each(
    FILES.flatMap(([stem, format, text]) => [
      { name: `${stem}-2024-06-12-v1.${format}`, format, bytes: Buffer.from(text) },
      { name: `${stem}-2024-06-12-v1.${format}.gz`, format, bytes: gzipSync(text) },
    ]),
  )('on $name', async ({ name, format, bytes }) => {
    const raw = name.endsWith('.gz') ? gunzipSync(bytes) : bytes;
    const ferry = await checkContent(format, [new Uint8Array(raw)]);
    const vendor = await vendorStatus(name, format, bytes);
    expect({ name, vendor }).toEqual({ name, vendor: ferry.verdict === 'ok' ? 'Completed' : 'Failed' });
  });
});
