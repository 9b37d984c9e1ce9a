import { describe, expect, it } from 'vitest';
import { testConnection } from '../../src/engine/connection-test.js';
import type { TargetConfig } from '../../src/engine/config/target-schema.js';
import { targetSpec } from '../../src/engine/target-spec.js';
import { FakeHttp, json, text } from '../fakes/fake-http.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';
import { expectNoPieceOf } from '../support/no-secret.js';

/** "Test connection" shows the vendor's refusal, never the token it echoed (issue #16, finding 3). */
const TOKEN = 'QZ7tok-SECRET-0123456789';
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };
const LEXER: TargetConfig = {
  profile: 'lexer',
  endpoint: 'https://api.lexer.io/v1/uploads',
  auth: { style: 'auth-api-token' },
};
const BEARER: TargetConfig = { ...LEXER, auth: { style: 'bearer' } };

describe('Test connection, when the vendor echoes the token', () => {
  it.each([
    ['in a 401 JSON message, with Auth-Api-Token', LEXER, json(401, { message: `invalid token ${TOKEN}` })],
    ['in a 401 plain body, with a Bearer token', BEARER, text(401, `Bearer ${TOKEN} is revoked`)],
    ['in a 403 body, JSON-escaped', LEXER, text(403, `{"error":"no such key \\"${TOKEN}\\""}`)],
    ['in a 2xx answer that is not what the profile expects', LEXER, json(200, { note: TOKEN })],
  ])('%s: the window gets the failure without it', async (_what, config, answer) => {
    const spec = targetSpec('vendor', config, FOLDER);
    const result = await testConnection(
      { http: new FakeHttp(() => answer), secrets: new FakeSecrets({ vendor: TOKEN }) },
      spec,
      FOLDER,
      Date.UTC(2024, 5, 12),
      new AbortController().signal,
    );
    expect(result.outcome).toBe('failed');
    expectNoPieceOf(TOKEN, result.message);
  });
});
