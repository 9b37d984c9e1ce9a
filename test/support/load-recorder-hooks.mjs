import { appendFileSync } from 'node:fs';

let logPath;

export function initialize(path) {
  logPath = path;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (logPath !== undefined) appendFileSync(logPath, `${resolved.url} ${context.parentURL ?? ''}\n`);
  return resolved;
}
