/** Days of the week as config files write them: `mon-fri`, `sat,sun`, `mon-wed,fri`. */

/** 0 = Sunday … 6 = Saturday, as `Date.getUTCDay()` counts them. */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export type DayName = (typeof DAY_NAMES)[number];

/** The day's number for a name (`mon`, `Monday`); undefined when it names no day. */
export function weekday(name: string): number | undefined {
  const index = (DAY_NAMES as readonly string[]).indexOf(name.trim().toLowerCase().slice(0, 3));
  return index === -1 ? undefined : index;
}

/** `mon-fri`, `sat,sun`, `mon-wed,fri` as sorted day numbers; undefined when unreadable. A range may wrap (`fri-mon`). */
export function parseWeekdays(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [first = '', last, extra] = part.split('-');
    if (extra !== undefined) return undefined;
    const start = weekday(first);
    const end = last === undefined ? start : weekday(last);
    if (start === undefined || end === undefined) return undefined;
    for (let d = start; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}
