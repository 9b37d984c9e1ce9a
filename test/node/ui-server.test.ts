import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/window-security.js';
import { watch, type Run } from '../support/ferry-cli.js';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rawRequest, suiteDir, uiAddress } from '../support/ferry-ui.js';

/** `ferry watch --ui`: the access rules of its HTTP server, tried with real requests. */
let sandbox: RunningSandbox;
let agent: Run;
let port = 0;
let token = '';
const dirs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  dirs.push(await suiteDir('ui-folder'), await suiteDir('ui-state'));
  agent = watch(sandbox, dirs[0] ?? '', dirs[1] ?? '', ['--ui']);
  const url = new URL(await uiAddress(agent));
  port = Number(url.port);
  token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await sandbox.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const host = () => `127.0.0.1:${port}`;
const summary = (headers: Record<string, string>) =>
  rawRequest(
    port,
    'POST',
    '/commands/agent.summary',
    { 'content-type': 'application/json', ...headers },
    '{}',
  );

describe('ferry watch --ui', () => {
  it('prints a loopback address with a long random token in its fragment', () => {
    expect(port).toBeGreaterThan(0);
    expect(token).toMatch(/^[\w-]{43}$/);
  });

  it('serves the page itself, with the app window CSP, without the token', async () => {
    const page = await rawRequest(port, 'GET', '/', { host: host() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).not.toContain('<script>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers commands only with the token as a Bearer header', async () => {
    expect((await summary({ host: host() })).status).toBe(401);
    expect((await summary({ host: host(), authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await summary({ host: host(), authorization: `Bearer ${token}x` })).status).toBe(401);
    // Not from a cookie: any page the browser visits could make it send one.
    expect((await summary({ host: host(), cookie: `token=${token}` })).status).toBe(401);
    const query = await rawRequest(
      port,
      'POST',
      `/commands/agent.summary?token=${token}`,
      { host: host() },
      '{}',
    );
    expect(query.status).toBe(401);
    const ok = await summary({ host: host(), authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ paused: false, counts: {} });
  });

  it('refuses every Host but 127.0.0.1 and localhost on its own port (DNS rebinding)', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    expect((await summary({ ...bearer, host: `evil.example:${port}` })).status).toBe(403);
    expect((await summary({ ...bearer, host: `127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await rawRequest(port, 'GET', '/', { host: 'evil.example' })).status).toBe(403);
    expect((await summary({ ...bearer, host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses a request another site sent, even with the token', async () => {
    const answer = await summary({
      host: host(),
      authorization: `Bearer ${token}`,
      origin: 'http://evil.example',
    });
    expect(answer.status).toBe(403);
  });

  it('streams events to a holder of the token only', async () => {
    expect((await rawRequest(port, 'GET', '/events', { host: host() })).status).toBe(401);
    const events = await rawRequest(
      port,
      'GET',
      '/events',
      { host: host(), authorization: `Bearer ${token}` },
      '',
      300,
    );
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.body).toMatch(/^event: summary\ndata: \{/);
  });

  it('never answers a secret: settings say whether a token is set, not which', async () => {
    const answer = await rawRequest(
      port,
      'POST',
      '/commands/settings.get',
      { host: host(), authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ targets: [{ name: 'default', hasToken: true }] });
    expect(answer.body).not.toContain(sandbox.token);
  });

  it('says that only the desktop app can show a file in its folder', async () => {
    await writeFile(join(dirs[0] ?? '', 'shown-2024-06-12-v1.csv'), 'id\n1\n');
    const run = (name: string, body: unknown) =>
      rawRequest(
        port,
        'POST',
        `/commands/${name}`,
        { host: host(), authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify(body),
      );
    let id: string | undefined;
    await expect
      .poll(async () => {
        const jobs = JSON.parse((await run('jobs.list', {})).body) as { id: string; file: string }[];
        id = jobs.find((job) => job.file === 'shown-2024-06-12-v1.csv')?.id;
        return id;
      })
      .toBeDefined();
    const answer = await run('jobs.showInFolder', { id });
    expect(answer.status).toBe(409);
    expect(answer.body).toContain('only the desktop app can open a folder');
    expect((await run('jobs.showInFolder', { id: 'no-such-job' })).status).toBe(404);
  });

  it('refuses an upload whose name could climb out of the uploads folder', async () => {
    const answer = await rawRequest(
      port,
      'POST',
      `/upload?name=${encodeURIComponent('../escape.csv')}&target=default`,
      { host: host(), authorization: `Bearer ${token}` },
      'id\n1\n',
    );
    expect(answer.status).toBe(400);
  });
});
