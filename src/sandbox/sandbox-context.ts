import type { BackgroundWork } from './background-work.js';
import type { ObjectStore } from './object-store.js';
import type { Presigner } from './presigner.js';
import type { StateStore } from './sandbox-state.js';
import type { TokenRegistry } from './token-registry.js';

/** What every request handler of a running sandbox works with. */
export interface SandboxContext {
  readonly state: StateStore;
  readonly tokens: TokenRegistry;
  readonly objects: ObjectStore;
  readonly presigner: Presigner;
  readonly background: BackgroundWork;
  /** How long an arrived analytics file stays `Processing` before its import runs. */
  readonly processingDelayMs: number;
  /** S3's minimum size for every part but the last. */
  readonly minPartSize: number;
  /** How long a PUT's answer waits after its object is stored. */
  readonly answerDelayMs: number;
  readonly log: (message: string) => void;
}
