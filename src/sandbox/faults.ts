/** What the sandbox does to one request instead of (or before) serving it. */
export type Fault =
  | { readonly kind: 'none' }
  | { readonly kind: 'status'; readonly status: 500 | 503 }
  | { readonly kind: 'reset' }
  | { readonly kind: 'stall' };

export interface FaultRates {
  /** Probability of a 500, a 503 or a connection reset, one third each. */
  readonly failRate: number;
  /** Probability that the request is left hanging (body no longer read, no answer). */
  readonly stallRate: number;
}

const NONE: Fault = { kind: 'none' };

/** Draws the fault for one request; `random` is injectable so tests can force outcomes. */
export function drawFault(rates: FaultRates, random: () => number): Fault {
  if (rates.stallRate > 0 && random() < rates.stallRate) return { kind: 'stall' };
  if (rates.failRate > 0 && random() < rates.failRate) {
    const which = Math.floor(random() * 3);
    if (which === 0) return { kind: 'status', status: 500 };
    if (which === 1) return { kind: 'status', status: 503 };
    return { kind: 'reset' };
  }
  return NONE;
}
