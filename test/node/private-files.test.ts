import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { describe, expect, it } from 'vitest';
import { AppendLog } from '../../src/node/append-log.js';
import { CONTROL_SOCKET, listenForControl } from '../../src/node/control-socket.js';
import { replaceFile, replaceFileDurably } from '../../src/node/durable-file.js';
import { fileGrants } from '../../src/node/file-checkpoints.js';
import { LOG_FILE, openLogFile } from '../../src/node/log-file.js';
import { writeSampleFiles } from '../../src/node/sample-files.js';
import { AgentService } from '../../src/engine/agent/agent-service.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Every file Ferry writes in the state dir is its owner's alone (0600), whatever the umask and
 * whatever mode an older Ferry left it with: the journal names every file delivered, the grants
 * are live upload URLs, the log says what was sent where.
 */
const tempDir = useTempDir('private-files');

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** pino's destination is a SonicBoom, which ends once it has opened its file. */
function close(stream: DestinationStream): void {
  (stream as DestinationStream & { end(): void }).end();
}

/** A file an older Ferry made, readable by everyone. */
async function leftReadable(path: string): Promise<void> {
  await writeFile(path, '');
  await chmod(path, 0o644);
}

describe('files in the state dir', () => {
  it('an append log is created 0600, and an older one readable by others is made 0600', async () => {
    const dir = await tempDir();
    const log = await AppendLog.open(join(dir, 'jobs.journal'));
    await log.close();
    expect(await modeOf(join(dir, 'jobs.journal'))).toBe(0o600);
    await leftReadable(join(dir, 'delivered.ledger'));
    await (await AppendLog.open(join(dir, 'delivered.ledger'))).close();
    expect(await modeOf(join(dir, 'delivered.ledger'))).toBe(0o600);
  });

  it('a replaced file (the compacted journal, a record) is 0600, also over one readable by others', async () => {
    const dir = await tempDir();
    await leftReadable(join(dir, 'jobs.journal'));
    await replaceFileDurably(join(dir, 'jobs.journal'), ['{}\n']);
    expect(await modeOf(join(dir, 'jobs.journal'))).toBe(0o600);
    await leftReadable(join(dir, 'record.json.tmp'));
    await replaceFile(join(dir, 'record.json'), ['{}'], { sync: false });
    expect(await modeOf(join(dir, 'record.json'))).toBe(0o600);
  });

  it('a saved grant is 0600', async () => {
    const dir = await tempDir();
    await fileGrants(dir).save('k', {
      remoteId: '1',
      url: 'https://s3.example/b/k',
      endpoint: 'https://api.example/v1/uploads',
    });
    const folder = join(dir, 'grants');
    const [name = ''] = await readdir(folder);
    expect(await modeOf(join(folder, name))).toBe(0o600);
  });

  it('the log is 0600, also when an older one was readable by others', async () => {
    const dir = await tempDir();
    close(await openLogFile(dir));
    expect(await modeOf(join(dir, LOG_FILE))).toBe(0o600);
    const other = await tempDir();
    await leftReadable(join(other, LOG_FILE));
    close(await openLogFile(other));
    expect(await modeOf(join(other, LOG_FILE))).toBe(0o600);
  });

  it('the sandbox trial samples are 0600 in a 0700 folder', async () => {
    const folder = await writeSampleFiles(join(await tempDir(), 'sandbox-samples'), new Date());
    expect(await modeOf(folder)).toBe(0o700);
    for (const name of await readdir(folder)) expect(await modeOf(join(folder, name))).toBe(0o600);
  });

  it('the control socket is 0600', async () => {
    const dir = await tempDir();
    // No command is sent: the service is never asked.
    const control = await listenForControl(dir, Object.create(AgentService.prototype) as AgentService);
    try {
      expect(await modeOf(join(dir, CONTROL_SOCKET))).toBe(0o600);
    } finally {
      await control.close();
    }
  });
});
