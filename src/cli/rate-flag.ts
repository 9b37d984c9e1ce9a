import { parseRate } from '../shared/rate.js';
import { UsageError } from './exit-codes.js';

/** `--limit-rate`: bytes per second, or a usage error (exit 2) saying what is wrong. */
export function rateFlag(text: string): number {
  const rate = parseRate(text);
  if (typeof rate === 'object') throw new UsageError(`--limit-rate: ${rate.problem}`);
  return rate;
}
