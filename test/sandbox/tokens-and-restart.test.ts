import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { getJson, lexerUrl, postJson, put, rawRequest } from './http-client.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ferry-sandbox-data-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function createToken(sandbox: RunningSandbox, label: string) {
  return rawRequest(`${sandbox.endpoint}/sandbox/tokens`, {
    method: 'POST',
    headers: { 'auth-api-token': sandbox.token, 'content-type': 'application/json' },
    body: JSON.stringify({ label }),
  });
}

describe('tokens and --data-dir', () => {
  it('allows up to 5 active tokens, stores them hashed, revokes them, and keeps data across a restart', async () => {
    const first = await startSandbox({ port: 0, dataDir });
    let apiToken: string;
    let tokenId: string;
    try {
      // The demo token is one of the five.
      const created = [];
      for (let i = 0; i < 4; i++) created.push(await createToken(first, `t${i}`));
      expect(created.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      const sixth = await createToken(first, 'one too many');
      expect(sixth.status).toBe(409);
      expect((JSON.parse(sixth.body) as { error: string }).error).toContain('5');

      ({ token: apiToken, id: tokenId } = JSON.parse(created[0]?.body ?? '{}') as {
        token: string;
        id: string;
      });
      const url = await lexerUrl(first, 'kept-2024-07-01-v1.csv');
      expect((await put(url, 'survives restarts')).status).toBe(200);
      expect(
        (await postJson(first, '/v1/uploads', { filename: 'kept-2024-07-01-v1.csv' }, apiToken)).status,
      ).toBe(200);

      const onDisk = await readFile(join(dataDir, 'sandbox-state.json'), 'utf8');
      expect(onDisk).not.toContain(apiToken);
      expect(onDisk).not.toContain(first.token);
    } finally {
      await first.close();
    }

    const second = await startSandbox({ port: 0, dataDir });
    try {
      expect(second.token).not.toBe(first.token);
      expect(
        (await postJson(second, '/v1/uploads', { filename: 'kept-2024-07-01-v1.csv' }, first.token)).status,
      ).toBe(401);
      expect(
        (await postJson(second, '/v1/uploads', { filename: 'kept-2024-07-01-v1.csv' }, apiToken)).status,
      ).toBe(200);
      const listed = JSON.parse((await getJson(second, '/sandbox/deliveries')).body) as {
        deliveries: { filename: string; size: number }[];
      };
      expect(listed.deliveries).toContainEqual(
        expect.objectContaining({ filename: 'kept-2024-07-01-v1.csv', size: 17 }),
      );
      expect(await second.deliveries()).toEqual(listed.deliveries);
      const object = await fetch(`${second.s3.endpoint}/${second.s3.bucket}/lexer/1/kept-2024-07-01-v1.csv`);
      expect(await object.text()).toBe('survives restarts');
      // Ids keep counting instead of reusing keys.
      const next = JSON.parse(
        (await postJson(second, '/v1/uploads', { filename: 'kept-2024-07-01-v1.csv' })).body,
      ) as { id: number };
      expect(next.id).toBeGreaterThan(2);

      const revoke = await rawRequest(`${second.endpoint}/sandbox/tokens/${tokenId}`, {
        method: 'DELETE',
        headers: { 'auth-api-token': second.token },
      });
      expect(revoke.status).toBe(204);
      expect(
        (await postJson(second, '/v1/uploads', { filename: 'kept-2024-07-01-v1.csv' }, apiToken)).status,
      ).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('requires a token for the inspection endpoint', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      expect((await rawRequest(`${sandbox.endpoint}/sandbox/deliveries`)).status).toBe(401);
      expect((await getJson(sandbox, '/sandbox/deliveries')).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('removes its temporary data dir on close when none was given', async () => {
    const sandbox = await startSandbox({ port: 0 });
    await sandbox.close();
    await expect(readFile(join(sandbox.dataDir, 'sandbox-state.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
