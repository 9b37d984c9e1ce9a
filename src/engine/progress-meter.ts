import type { Clock } from './ports.js';

/**
 * Upload rate and time left, from recent progress samples only: an average over the
 * whole upload would keep showing yesterday's speed after the link changed.
 */

export interface ProgressSample {
  readonly at: number;
  readonly sent: number;
}

export interface Progress {
  readonly sent: number;
  readonly total: number;
  /** Undefined until two samples span some time. */
  readonly bytesPerSecond: number | undefined;
  readonly etaMs: number | undefined;
}

export const RATE_WINDOW_MS = 5_000;

/** Adds a sample and drops those older than the window, keeping the newest of them as the base. */
export function addSample(
  window: readonly ProgressSample[],
  sample: ProgressSample,
  windowMs: number = RATE_WINDOW_MS,
): readonly ProgressSample[] {
  // Fewer bytes than before means a new attempt started from zero: earlier samples describe another upload.
  if (window.some((s) => s.sent > sample.sent)) return [sample];
  const kept = window.filter((s) => s.at >= sample.at - windowMs);
  const older = window.filter((s) => s.at < sample.at - windowMs).at(-1);
  return [...(older === undefined ? [] : [older]), ...kept, sample];
}

export function measure(window: readonly ProgressSample[], total: number): Progress {
  const first = window[0];
  const last = window.at(-1);
  const sent = last?.sent ?? 0;
  if (first === undefined || last === undefined || last.at <= first.at) {
    return { sent, total, bytesPerSecond: undefined, etaMs: undefined };
  }
  const bytesPerSecond = ((last.sent - first.sent) * 1_000) / (last.at - first.at);
  const etaMs = bytesPerSecond > 0 ? Math.ceil(((total - sent) * 1_000) / bytesPerSecond) : undefined;
  return { sent, total, bytesPerSecond, etaMs };
}

/** Progress events are this far apart at most, the last one (all sent) aside. */
export const PROGRESS_EVERY_MS = 250;

/**
 * Turns a stream of byte counts into progress events at a pace people can read: every sample
 * joins the rate window, an event goes out at most every PROGRESS_EVERY_MS, and always at the end.
 */
export class ProgressSampler {
  #window: readonly ProgressSample[] = [];
  #lastEvent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly total: number,
    private readonly onProgress: (progress: Progress) => void,
  ) {}

  sample(sent: number): void {
    const at = this.clock.now();
    this.#window = addSample(this.#window, { at, sent });
    if (at - this.#lastEvent < PROGRESS_EVERY_MS && sent !== this.total) return;
    this.#lastEvent = at;
    this.onProgress(measure(this.#window, this.total));
  }
}
