import type { LedgerEntry } from '../delivery-ledger.js';

/** Reasons a person reads on a job that was not sent. */

export function duplicateReason(earlier: LedgerEntry): string {
  const when = new Date(earlier.deliveredAt).toISOString().replace('T', ' ').slice(0, 16);
  return `duplicate-content: the same bytes were delivered to '${earlier.target}' on ${when} UTC as ${earlier.path} (remote id ${earlier.remoteId}); retry with --force (Retry in the window) to send them again`;
}

const ERRNO_MEANINGS: Readonly<Record<string, string>> = {
  EBUSY: 'another program holds it open',
  EPERM: 'the operating system does not allow reading it',
  EACCES: 'Ferry may not read it (permissions)',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a link that points at itself',
  ENOTREG: 'it is not a regular file (a pipe, a socket or a device)',
};

export function errnoReason(code: string, path: string): string {
  return `unreadable (${code}): ${ERRNO_MEANINGS[code] ?? 'it cannot be read'} — ${path}`;
}
