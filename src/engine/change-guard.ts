import { FileChanged } from './pacer.js';
import type { Clock, FileInfo, Files } from './ports.js';

/** A look at the file at most this often while its bytes go out (the host's news comes at once). */
export const CHANGE_CHECK_MS = 1_000;

export function sameVersion(a: FileInfo, b: FileInfo): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Watches the file under one round of its upload. While bytes still flow, a change cuts the
 * round off at once (its signal aborts with FileChanged): the vendor never completes a
 * superseded version. Once every byte is sent the vendor may already hold them, so the change
 * waits for the answer, and the delivery records what the vendor took; it cuts off the next
 * attempt instead, should there be one. A file that is gone is not a change: its open handle
 * still reads the version that was checked.
 */
export class ChangeGuard {
  #pending = false;
  #allSent = false;
  #lastLook = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly files: Files,
    private readonly clock: Clock,
    private readonly path: string,
    private readonly sending: FileInfo,
    private readonly round: AbortController,
  ) {}

  /** The host heard that the file changed (a watcher event): look now. */
  async look(): Promise<void> {
    this.#lastLook = this.clock.now();
    const now = await this.files.stat(this.path).catch(() => undefined);
    if (now === undefined || sameVersion(now, this.sending) || this.round.signal.aborted) return;
    if (this.#allSent) this.#pending = true;
    else this.round.abort(new FileChanged('the file changed during its upload'));
  }

  /** Bytes of the attempt the vendor has taken; looks at the file now and then meanwhile. */
  sent(sent: number, total: number): void {
    this.#allSent = sent >= total;
    if (this.#pending && !this.#allSent)
      this.round.abort(new FileChanged('the file changed during its upload'));
    else if (this.clock.now() - this.#lastLook >= CHANGE_CHECK_MS) void this.look();
  }

  /** Another attempt starts: a change seen meanwhile stops it before it sends. */
  nextAttempt(): void {
    this.#allSent = false;
    if (this.#pending) this.round.abort(new FileChanged('the file changed during its upload'));
  }
}
