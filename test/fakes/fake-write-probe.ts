import type { Files } from '../../src/engine/ports.js';
import type { WriteProbe } from '../../src/engine/write-settler.js';

/** Looks at files through a Files fake; a test marks the files another program holds open. */
export class FakeWriteProbe implements WriteProbe {
  readonly heldOpen = new Set<string>();
  /** Every path looked at, in order. */
  readonly looked: string[] = [];

  constructor(private readonly files: Pick<Files, 'stat'>) {}

  stat(path: string) {
    this.looked.push(path);
    return this.files.stat(path);
  }

  isHeldOpen(path: string): Promise<boolean> {
    return Promise.resolve(this.heldOpen.has(path));
  }
}
