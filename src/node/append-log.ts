import { open, type FileHandle } from 'node:fs/promises';
import { PRIVATE_FILE } from './private-modes.js';

interface PendingLine {
  readonly text: string;
  readonly durable: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class AppendLogClosedError extends Error {
  override readonly name = 'AppendLogClosedError';
  constructor(readonly path: string) {
    super(`${path} is closed`);
  }
}

export class AppendLogBrokenError extends Error {
  override readonly name = 'AppendLogBrokenError';
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`${path} can no longer be written safely after a failed write: ${String(cause)}`, { cause });
  }
}

/**
 * An append-only file of lines behind one open handle. Appends are queued and written in call
 * order, never interleaved; lines that arrive while a write is under way go out together in the
 * next write, and one sync covers every durable line of that batch. The cost of an append does
 * not depend on the size of the file.
 */
export class AppendLog {
  private readonly queue: PendingLine[] = [];
  private draining: Promise<void> | undefined;
  private broken: AppendLogBrokenError | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    /** Bytes known to be in the file: a failed write is cut back to here. */
    private size: number,
  ) {}

  /**
   * Opens `path` for appending, creating it when missing. The file is its owner's alone (0600),
   * whatever the umask, and so is one an older Ferry left readable by others.
   */
  static async open(path: string): Promise<AppendLog> {
    const handle = await open(path, 'a', PRIVATE_FILE);
    try {
      const { size, mode } = await handle.stat();
      if ((mode & 0o777) !== PRIVATE_FILE) await handle.chmod(PRIVATE_FILE);
      return new AppendLog(path, handle, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Appends `line` and a newline. With `durable`, resolves only once the line has been synced
   * to the disk; otherwise once the operating system holds it, which survives the process
   * being killed but not a power loss.
   */
  append(line: string, durable: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new AppendLogClosedError(this.path));
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ text: `${line}\n`, durable, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Waits for every queued line, then closes the file. Later appends reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.draining;
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    for (let batch = this.queue.splice(0); batch.length > 0; batch = this.queue.splice(0)) {
      const error = this.broken ?? (await this.writeBatch(batch));
      for (const line of batch) {
        if (error === undefined) line.resolve();
        else line.reject(error);
      }
    }
    this.draining = undefined;
  }

  private async writeBatch(batch: readonly PendingLine[]): Promise<unknown> {
    const bytes = Buffer.from(batch.map((line) => line.text).join(''), 'utf8');
    try {
      await this.handle.appendFile(bytes);
    } catch (error) {
      // A partial write would glue the next line onto a torn one: cut the file back first.
      try {
        await this.handle.truncate(this.size);
      } catch {
        this.broken = new AppendLogBrokenError(this.path, error);
      }
      return error;
    }
    this.size += bytes.length;
    if (!batch.some((line) => line.durable)) return undefined;
    try {
      await this.handle.datasync();
    } catch (error) {
      // After a failed sync the kernel may have dropped the dirty pages: nothing written since
      // the last good sync can be trusted, and retrying the sync would falsely succeed.
      this.broken = new AppendLogBrokenError(this.path, error);
      return this.broken;
    }
    return undefined;
  }
}
