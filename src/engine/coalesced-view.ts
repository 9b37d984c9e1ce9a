import type { Clock } from './ports.js';

export interface CoalescedViewOptions<M> {
  /** The shortest time between two computations of the model; changes in between wait for the next. */
  readonly intervalMs: number;
  /** Whether two models show the same thing: a model equal to the one shown is not shown again. */
  readonly same: (a: M, b: M) => boolean;
}

/**
 * A view of live state that is costly to compute or to show (the tray's icon and native
 * menu, from a summary of every job), however often that state changes. `changed()` may
 * be called on every event: the model is computed at most once per interval and shown only
 * when it differs from the one shown last. A change after a quiet spell is shown at once;
 * changes that follow closely share one trailing update, so the last state is always shown.
 */
export class CoalescedView<M> {
  private shown: { readonly model: M } | undefined;
  private computedAt = -Infinity;
  private pending: AbortController | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly compute: () => M,
    private readonly show: (model: M) => void,
    private readonly options: CoalescedViewOptions<M>,
  ) {}

  /** Something the view shows may have changed. */
  changed(): void {
    if (this.closed || this.pending !== undefined) return;
    // Capped, so a wall clock set back cannot hold the view for as long as it moved.
    const wait = Math.min(
      this.options.intervalMs,
      this.computedAt + this.options.intervalMs - this.clock.now(),
    );
    if (wait <= 0) {
      this.update();
      return;
    }
    const pending = new AbortController();
    this.pending = pending;
    this.clock.sleep(wait, pending.signal).then(
      () => {
        if (this.pending !== pending) return;
        this.pending = undefined;
        this.update();
      },
      () => undefined,
    );
  }

  /** Shows nothing more, and drops an update still waiting (the tray is going away). */
  close(): void {
    this.closed = true;
    this.pending?.abort();
    this.pending = undefined;
  }

  private update(): void {
    this.computedAt = this.clock.now();
    const model = this.compute();
    if (this.shown !== undefined && this.options.same(this.shown.model, model)) return;
    this.shown = { model };
    this.show(model);
  }
}
