/** `data.upload.url`, `items.0.id`: where a value sits in a JSON answer. */
const DOT_PATH = /^[^.\s]+(?:\.[^.\s]+)*$/;

export function isDotPath(path: string): boolean {
  return DOT_PATH.test(path);
}

/** The value at `path`, or undefined when any step is missing. Numeric steps index arrays. */
export function readDotPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(step)) current = current[Number(step)];
    // Own keys only: `constructor` or `__proto__` in a path must not reach the prototype.
    else if (typeof current === 'object' && current !== null && Object.hasOwn(current, step))
      current = (current as Record<string, unknown>)[step];
    else return undefined;
  }
  return current;
}
