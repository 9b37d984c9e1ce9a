import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/node/logger.js';

function collector() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => lines.push(line) } };
}

const TOKEN = 'tok-0123456789abcdef';
const PRESIGNED = 'https://b.s3.amazonaws.com/k.csv?X-Amz-Credential=AKIAXYZ&X-Amz-Signature=feedface1234';

describe('createLogger', () => {
  it('writes JSON lines with the fields and message, at or above the level', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ destination, level: 'info' });
    logger.debug({ n: 1 }, 'hidden');
    logger.info({ target: 'lexer', attempt: 2 }, 'retrying');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 30,
      target: 'lexer',
      attempt: 2,
      msg: 'retrying',
    });
  });

  it('redacts tokens, auth headers and presigned queries from fields, messages and errors', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ destination, secrets: () => [TOKEN] });
    logger.warn(
      {
        headers: { 'auth-api-token': TOKEN, authorization: `Bearer ${TOKEN}` },
        url: PRESIGNED,
        err: new Error(`PUT ${PRESIGNED} failed with token ${TOKEN}`),
        proxy: 'http://me:hunter2secret@proxy:3128',
      },
      `vendor echoed ${TOKEN}`,
    );
    const line = lines.join('');
    for (const secret of [TOKEN, 'feedface1234', 'AKIAXYZ', 'hunter2secret'])
      expect(line).not.toContain(secret);
    const record = JSON.parse(line) as Record<string, unknown>;
    expect(record.url).toBe('https://b.s3.amazonaws.com/k.csv?[redacted]');
    expect(record.msg).toBe('vendor echoed [redacted]');
  });
});
