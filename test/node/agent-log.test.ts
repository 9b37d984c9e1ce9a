import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentLog } from '../../src/node/agent-log.js';
import { LOG_FILE } from '../../src/node/log-file.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The log of `ferry watch` and the desktop app removes every token the agent has read, wherever
 * it appears, as `ferry upload`'s does: redact's patterns find a token only beside a name such
 * as `token=` or `Bearer` (issue #16, the agents' loggers).
 */
const tempDir = useTempDir('agent-log');
const TOKEN = 'QZ7tok-SECRET-0123456789';

describe('openAgentLog', () => {
  it('removes a token it was handed, even one read after the log was opened, from every line', async () => {
    const dir = await tempDir();
    const { logger, secrets } = await openAgentLog(dir, new FakeSecrets({ vendor: TOKEN }));
    expect(await secrets.token('vendor')).toBe(TOKEN);
    logger.warn({ file: `/data/${TOKEN}.csv`, said: `no such key ${TOKEN}` }, `sending ${TOKEN}`);
    logger.info({}, 'last line');
    await expect.poll(() => readFile(join(dir, LOG_FILE), 'utf8'), { timeout: 5_000 }).toContain('last line');
    const log = await readFile(join(dir, LOG_FILE), 'utf8');
    expect(log).toContain('[redacted]');
    expect(log).not.toContain(TOKEN);
  });
});
