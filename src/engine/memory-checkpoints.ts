import type { MultipartCheckpoint, MultipartCheckpoints } from './ports.js';

/**
 * Checkpoints that live as long as the process: what a host without a state dir gets.
 * A retry within the run still resumes; a crash starts over.
 */
export function memoryCheckpoints(): MultipartCheckpoints {
  const saved = new Map<string, MultipartCheckpoint>();
  return {
    load: (key) => Promise.resolve(saved.get(key)),
    save: (key, checkpoint) => {
      saved.set(key, checkpoint);
      return Promise.resolve();
    },
    clear: (key) => {
      saved.delete(key);
      return Promise.resolve();
    },
  };
}
