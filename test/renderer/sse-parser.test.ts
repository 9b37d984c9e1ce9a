import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/renderer/transport/sse-parser.js';

describe('SseParser', () => {
  it('yields whole messages however the stream is cut', () => {
    const text = 'event: job\ndata: {"id":"a"}\n\nevent: progress\ndata: {"sent":1}\n\n';
    for (let cut = 1; cut < text.length; cut += 1) {
      const parser = new SseParser();
      const messages = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(messages).toEqual([
        { event: 'job', data: '{"id":"a"}' },
        { event: 'progress', data: '{"sent":1}' },
      ]);
    }
  });

  it('joins data lines, accepts CRLF, and skips comments and empty blocks', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\r\n\r\ndata: one\r\ndata: two\r\n\r\n')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });
});
