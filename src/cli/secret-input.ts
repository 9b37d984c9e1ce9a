/**
 * Reads a secret from stdin. On a terminal the typed characters are not echoed; from a pipe
 * (`printf %s "$TOKEN" | ferry token set`) everything up to EOF is read. Either way one
 * trailing newline is dropped: it is how lines end, not part of the token.
 */
export async function readSecret(input: NodeJS.ReadStream, prompt: (text: string) => void): Promise<string> {
  if (input.isTTY) return readHidden(input, prompt);
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) text += chunk as string;
  return text.replace(/\r?\n$/, '');
}

class InputCancelled extends Error {}

function readHidden(input: NodeJS.ReadStream, prompt: (text: string) => void): Promise<string> {
  prompt('token (input hidden): ');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          done();
          return;
        }
        if (char === '\u0003') {
          done(new InputCancelled('cancelled'));
          return;
        }
        // Backspace or DEL: terminals send either.
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
