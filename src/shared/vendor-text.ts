import { redact } from './redact.js';

/**
 * Text from outside Ferry (a vendor's answer, above all) made safe to print, log and show. A
 * terminal obeys the control characters in what it is given: ESC starts colour codes, screen
 * clears and title (OSC) sequences, 0x9b is the one-byte CSI of C1. So every C0 and C1 control
 * character and DEL is shown escaped (`\x1b`), the words around it kept for a diagnosis; line
 * breaks and tabs become spaces, as every message is one line.
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const WHITESPACE = new Set(['\t', '\n', '\v', '\f', '\r']);

export function printable(text: string): string {
  return text.replace(CONTROL, (c) =>
    WHITESPACE.has(c) ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Whether `text` holds no control character: an id may be used as it is, or not at all. */
export function isPrintable(text: string): boolean {
  return !new RegExp(CONTROL.source).test(text);
}

/** How much of a vendor's value a message quotes: enough to recognise it. */
export const QUOTED_LENGTH = 120;

/**
 * A short excerpt of outside text for a message: scrubbed first, of `secrets` (the request's
 * token) and of what redact finds, as a secret cut in two is no longer recognised; printable,
 * on one line, and cut to `max` characters with an ellipsis, never between the halves of a
 * surrogate pair.
 */
export function excerpt(text: string, max = QUOTED_LENGTH, secrets: readonly string[] = []): string {
  const flat = printable(redact(text, secrets)).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const high = flat.charCodeAt(max - 1);
  const end = high >= 0xd800 && high <= 0xdbff ? max - 1 : max;
  return `${flat.slice(0, end)}…`;
}
