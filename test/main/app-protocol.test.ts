import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/window-security.js';

/** The app:// handler and the session's permissions, with Electron recorded instead of loaded. */
type AppHandler = (request: { url: string }) => Promise<Response>;
let handler: AppHandler | undefined;
type RequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string },
) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;
const permissions: { request?: RequestHandler; check?: CheckHandler } = {};

vi.mock('electron', () => ({
  protocol: {
    handle: (_scheme: string, handle: AppHandler) => {
      handler = handle;
    },
    registerSchemesAsPrivileged: () => undefined,
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handle: RequestHandler) => {
        permissions.request = handle;
      },
      setPermissionCheckHandler: (handle: CheckHandler) => {
        permissions.check = handle;
      },
    },
  },
}));

const { serveRenderer } = await import('../../src/main/app-protocol.js');
const { lockDownSession } = await import('../../src/main/app-session.js');
let root = '';

beforeAll(async () => {
  // One renderer folder for the whole file: every test reads it.
  root = await mkdtemp(join(tmpdir(), 'ferry-app-protocol-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<div id="root"></div>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  serveRenderer(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fetchApp(url: string): Promise<{ status: number; text: string; csp: string | null }> {
  if (handler === undefined) throw new Error('no app:// handler');
  const response = await handler({ url });
  return {
    status: response.status,
    text: await response.text(),
    csp: response.headers.get('content-security-policy'),
  };
}

describe('app:// (issue #16)', () => {
  it('serves the renderer on app://ferry with the CSP, a route as the page', async () => {
    expect(await fetchApp('app://ferry/assets/app.js')).toEqual({
      status: 200,
      text: 'console.log(1)',
      csp: CONTENT_SECURITY_POLICY,
    });
    expect((await fetchApp('app://ferry/jobs/42')).text).toBe('<div id="root"></div>');
  });

  it.each([
    'app://evil/index.html',
    'app://ferry/%E0%A4%A',
    'app://ferry/index.html%00.js',
    'app://ferry/assets/missing.js',
  ])('answers %s with 404, never a throw', async (url) => {
    expect(await fetchApp(url)).toMatchObject({ status: 404, text: 'not found' });
  });
});

describe('the session (issue #16)', () => {
  it('grants no permission a page asks for, and says so to every check', () => {
    lockDownSession();
    const granted = vi.fn();
    permissions.request?.(null, 'media', granted, { requestingUrl: 'app://ferry/index.html' });
    permissions.request?.(null, 'notifications', granted, { requestingUrl: 'https://evil.example/' });
    expect(granted.mock.calls).toEqual([[false], [false]]);
    expect(permissions.check?.(null, 'clipboard-read', 'app://ferry')).toBe(false);
  });
});
