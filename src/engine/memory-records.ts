import type { DurableRecords } from './ports.js';

/**
 * Records that live as long as the process: what a host without a state dir gets.
 * A retry within the run still finds them; a crash starts over.
 */
export function memoryRecords<T>(): DurableRecords<T> {
  const saved = new Map<string, T>();
  return {
    load: (key) => Promise.resolve(saved.get(key)),
    save: (key, record) => {
      saved.set(key, record);
      return Promise.resolve();
    },
    clear: (key) => {
      saved.delete(key);
      return Promise.resolve();
    },
  };
}
