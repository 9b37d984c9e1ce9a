export interface SseMessage {
  readonly event: string;
  readonly data: string;
}

/**
 * Splits a server-sent event stream into messages as text arrives in
 * arbitrary pieces. EventSource would do this, but it cannot send an
 * Authorization header, and the access token must not go into a URL.
 */
export class SseParser {
  private buffer = '';

  push(text: string): SseMessage[] {
    this.buffer += text.replace(/\r\n?/g, '\n');
    const messages: SseMessage[] = [];
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) messages.push({ event, data: data.join('\n') });
      end = this.buffer.indexOf('\n\n');
    }
    return messages;
  }
}
