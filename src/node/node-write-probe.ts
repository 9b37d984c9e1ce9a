import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileInfo } from '../engine/ports.js';
import type { WriteProbe } from '../engine/write-settler.js';

/** Node defines this open flag only on Windows (and @types/node omits it); its value there is fixed. */
const EXCLUSIVE_LOCK =
  (constants as unknown as Record<string, number | undefined>).UV_FS_O_EXLOCK ?? 0x10000000;

/**
 * Looks at files for the write settler. On Windows a writer's open handle is
 * visible: an exclusive open (UV_FS_O_EXLOCK) fails with EBUSY while another
 * program has the file open. Elsewhere files cannot be locked against us, so
 * the settle window alone decides.
 */
export class NodeWriteProbe implements WriteProbe {
  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  /** Only regular files are delivered: opening a pipe or a device would block or never end. */
  async stat(path: string): Promise<FileInfo> {
    const info = await stat(path);
    if (!info.isFile()) {
      throw Object.assign(new Error(`not a regular file: ${path}`), {
        code: info.isDirectory() ? 'EISDIR' : 'ENOTREG',
      });
    }
    return { size: info.size, mtimeMs: info.mtimeMs };
  }

  async isHeldOpen(path: string): Promise<boolean> {
    if (this.platform !== 'win32') return false;
    try {
      const handle = await open(path, constants.O_RDONLY | EXCLUSIVE_LOCK);
      await handle.close();
      return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EBUSY') return true;
      throw error;
    }
  }
}
